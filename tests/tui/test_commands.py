"""The Ctrl+P palette's rnnplay commands, driven as a user does: open it, type part of a name, press Enter,
and check what the command did."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.widgets import Button, Input, Select, TabbedContent, TextArea

from rnnplay.tui.app import RnnplayApp
from rnnplay.tui.screens.play import EXAMPLES
from rnnplay.tui.screens.train import TrainTab
from rnnplay.tui.widgets.help_screen import HelpScreen
from rnnplay.tui.widgets.training_form import TrainingForm
from tests.conftest import PLANTED_WORDS, planted_arrays, write_vectors_model
from tests.tui.conftest import pilot_test, settle, until


async def listed(pilot, query: str = "") -> list[str]:
    """Open the palette, type ``query``, and return the commands it lists (names as shown, best first)."""
    await pilot.press("ctrl+p")
    await until(pilot, lambda: CommandPalette.is_open(pilot.app), "the palette opens")
    palette = pilot.app.screen
    if query:
        await pilot.press(*query)
    await until(pilot, lambda: palette.has_class("-ready") and palette.query_one(Input).value == query
                and palette.query_one(CommandList).option_count > 0, f"the palette lists commands for {query!r}")
    await pilot.pause(0.3)  # the last batch of hits
    commands = palette.query_one(CommandList)
    return [commands.get_option_at_index(i).prompt.plain.splitlines()[0] for i in range(commands.option_count)]


async def run(pilot, query: str, expected: str) -> None:
    """Type ``query`` in the palette, check ``expected`` comes first, and run it with Enter."""
    names = await listed(pilot, query)
    assert names[0] == expected, names
    await pilot.press("down", "enter")
    await until(pilot, lambda: not CommandPalette.is_open(pilot.app), "the palette closes")
    await pilot.pause()


@pilot_test
async def test_the_palette_lists_rnnplay_commands_and_only_the_textual_ones_that_fit() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        names = await listed(pilot)
        for name in ("Help: Play", "Example review on Play", "Go to Play", "Go to Words", "Go to Train", "Go to Models",
                     "Use classifier imdb-bilstm *", "Use classifier imdb-lstm *", "Use word vectors imdb-cbow *", "Train preset default",
                     "Train preset tutorial", "Light/dark theme", "Quit"):
            assert name in names
        assert "Keys" not in names and "Theme" not in names  # F7 and Ctrl+T do those here


@pilot_test
async def test_fuzzy_search_finds_a_command_by_part_of_its_name() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        names = await listed(pilot, "tutor")
        assert names[0] == "Train preset tutorial"
        assert "Go to Play" not in names


@pilot_test
async def test_switching_the_classifier(contrary_model: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await run(pilot, "contrarian", "Use classifier contrarian")
        await settle(pilot)
        assert pilot.app.classifier.name == "contrarian"
        assert pilot.app.query_one(TabbedContent).active == "play"  # the tab stays where it was


@pilot_test
async def test_switching_the_word_vectors(models_dir: Path) -> None:
    write_vectors_model(models_dir / "planted-here", PLANTED_WORDS, planted_arrays())
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await run(pilot, "planted", "Use word vectors planted-here")
        await until(pilot, lambda: pilot.app.vectors is not None and pilot.app.vectors.name == "planted-here",
                    "the new vectors are loaded")


@pilot_test
async def test_an_example_from_another_tab_lands_on_play() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await run(pilot, "example", "Example review on Play")
        await settle(pilot)
        assert pilot.app.query_one(TabbedContent).active == "play"
        assert pilot.app.query_one("#play-text", TextArea).text == EXAMPLES[0]
        assert pilot.app.focused.id == "play-text"


@pilot_test
async def test_going_to_a_tab() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await run(pilot, "go to models", "Go to Models")
        assert pilot.app.query_one(TabbedContent).active == "models"
        await until(pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == "models-table",
                    "the keys go to the tab shown")


@pilot_test
async def test_a_preset_fills_the_train_form_and_waits_on_start() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        form = pilot.app.query_one(TrainingForm)
        form.query_one("#train-kind", Select).value = "vectors"  # from CBOW, and with an edited field
        form.query_one("#train-units", Input).value = "7"
        await pilot.press("f1")
        await run(pilot, "preset tutorial", "Train preset tutorial")
        assert pilot.app.query_one(TabbedContent).active == "train"
        assert form.kind == "classifier" and form.preset == "tutorial"
        assert form.query_one("#train-units", Input).value == "64"  # the tutorial's BiLSTM 64
        assert form.query_one("#train-vocab-size", Input).value == "1000"
        await until(pilot, lambda: pilot.app.focused is pilot.app.query_one("#train-start", Button), "Start has the focus")
        await pilot.pause(0.2)
        assert pilot.app.focused.id == "train-start"  # and keeps it
        assert not pilot.app.query_one(TrainTab).running  # nothing starts by itself
        await pilot.press("tab")  # from the Train tab itself, with the focus elsewhere in it
        await run(pilot, "preset default", "Train preset default")
        assert form.preset == "default" and form.query_one("#train-units", Input).value == "32"
        await until(pilot, lambda: pilot.app.focused is pilot.app.query_one("#train-start", Button), "Start has the focus")


@pilot_test
async def test_help_from_the_palette_is_the_current_tabs() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await run(pilot, "help", "Help: Models")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the help opens")
        assert pilot.app.screen.tab == "models"


@pilot_test
async def test_the_theme_command_toggles_light_and_dark() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dark = pilot.app.theme
        await run(pilot, "light", "Light/dark theme")
        assert pilot.app.theme != dark and "light" in pilot.app.theme


@pilot_test
async def test_quit_is_kept() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await run(pilot, "quit", "Quit")
        await until(pilot, lambda: pilot.app._exit, "the app quits")


@pilot_test
async def test_over_the_help_the_palette_offers_no_rnnplay_command() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the help opens")
        names = await listed(pilot)
        assert "Quit" in names
        assert not any(name.startswith(("Go to", "Use ", "Help", "Train preset")) for name in names)


@pilot_test
async def test_a_model_name_is_never_read_as_markup(models_dir: Path) -> None:
    write_vectors_model(models_dir / "[b]old", PLANTED_WORDS, planted_arrays())
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Use word vectors [b]old" in await listed(pilot)
        await pilot.press("escape")
        await run(pilot, "[b]old", "Use word vectors [b]old")
        await until(pilot, lambda: pilot.app.vectors is not None and pilot.app.vectors.name == "[b]old", "loaded")
