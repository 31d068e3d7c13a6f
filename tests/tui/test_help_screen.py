"""F7 opens the help for the tab in front, from anywhere, even a text box; it fits 80×24 and scrolls."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Footer, TabbedContent

from rnnplay.tui.app import TABS, RnnplayApp
from rnnplay.tui.help import key_name
from rnnplay.tui.widgets.help_screen import HelpScreen, blocks, render
from tests.tui.conftest import pilot_test, settle, until

TAB_KEYS = {"play": "f1", "inside": "f2", "words": "f3", "lab": "f4", "train": "f5", "models": "f6"}


async def open_help(pilot) -> HelpScreen:
    await pilot.press("f7")
    await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the help opens")
    await pilot.pause()
    return pilot.app.screen


def tab_widget(pilot, tab: str):
    return pilot.app.screen_stack[0].query_one(f"#{tab}-tab")


@pilot_test
async def test_f7_opens_the_help_while_typing_and_esc_gives_the_text_box_back() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"not bad")
        assert pilot.app.focused.id == "play-text"
        help_screen = await open_help(pilot)
        assert help_screen.tab == "play" and "P(positive)" in help_screen.text
        assert pilot.app.query_one("#play-text").text == "not bad"  # F7 was not typed into the box
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(pilot.app.screen, HelpScreen), "Esc closes the help")
        await until(pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == "play-text", "typing resumes")
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the help opens again")
        await pilot.press("f7")
        await until(pilot, lambda: not isinstance(pilot.app.screen, HelpScreen), "F7 closes it too")


@pilot_test
async def test_every_tab_gets_its_own_help_listing_every_key_of_its_bindings() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for tab in TABS:
            await pilot.press(TAB_KEYS[tab])
            await until(pilot, lambda tab=tab: pilot.app.query_one(TabbedContent).active == tab, f"{tab} shows")
            await pilot.pause()
            help_screen = await open_help(pilot)
            assert help_screen.tab == tab
            assert help_screen.query_one("#help-box").border_title == f"Help · {TABS[tab]}"
            keys = help_screen.text.split("## Keys on this tab")[1].split("## Keys everywhere")[0]
            widget_class = type(tab_widget(pilot, tab))
            for binding in getattr(widget_class, "HELP_BINDINGS", widget_class.BINDINGS):
                for key in binding.key.split(","):
                    assert f"**{key_name(key)}**" in keys
                assert binding.description in keys
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(pilot.app.screen, HelpScreen), "the help closes")


@pilot_test
async def test_f1_to_f6_in_the_help_turn_to_another_tabs_help_and_bring_that_tab_forward() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        help_screen = await open_help(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert pilot.app.screen is help_screen and help_screen.tab == "words" and "Analogy" in help_screen.text
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(pilot.app.screen, HelpScreen), "the help closes")
        assert pilot.app.query_one(TabbedContent).active == "words"
        await until(pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == "word", "the word box has the keys")


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
@pilot_test
async def test_the_help_fits_and_scrolls_to_its_end(size: tuple[int, int]) -> None:
    async with RnnplayApp().run_test(size=size) as pilot:
        await settle(pilot)
        help_screen = await open_help(pilot)
        box = help_screen.query_one("#help-box")
        assert box.region.right <= size[0] and box.region.bottom <= size[1]
        assert help_screen.query_one("#help-hint").region.bottom <= box.region.bottom
        scroll = help_screen.query_one("#help-scroll")
        assert pilot.app.focused is scroll and scroll.max_scroll_y > 0
        await pilot.press("end")
        await until(pilot, lambda: scroll.scroll_y == scroll.max_scroll_y, "the end is reached")


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
@pilot_test
async def test_the_footer_shows_f7_help_first_on_every_tab(size: tuple[int, int]) -> None:
    """First, because a tab's own keys come before the app's and a narrow footer cuts its end."""
    async with RnnplayApp().run_test(size=size) as pilot:
        await settle(pilot)
        for tab in TABS:
            await pilot.press(TAB_KEYS[tab])
            await pilot.pause()
            keys = list(pilot.app.query_one(Footer).query("FooterKey"))
            assert (keys[0].key, keys[0].description) == ("f7", "Help")
            assert len(keys) > 1 and keys[0].region.x == 0 and keys[0].region.right <= size[0]


def test_the_small_markdown_joins_lines_lists_items_and_leaves_no_marks() -> None:
    source = "# Title\n\nA **bold** first\nline, then `code`.\n\n## Part\n- one\n  more\n- two *it*\n"
    assert blocks(source) == [("title", "Title"), ("paragraph", "A **bold** first line, then `code`."),
                              ("heading", "Part"), ("item", "one more"), ("item", "two *it*")]
    from rich.console import Console

    console = Console(width=40, record=True)
    console.print(render(source))
    shown = console.export_text()
    assert "A bold first line, then code." in shown and "• one more" in shown and "• two it" in shown
    assert "**" not in shown and "`" not in shown


def test_markup_in_the_help_is_shown_as_written() -> None:
    from rich.console import Console

    console = Console(width=60, record=True)
    console.print(render("Ids: [UNK] and [bold]x[/bold] stay as typed."))
    assert "Ids: [UNK] and [bold]x[/bold] stay as typed." in console.export_text()


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
def test_snapshot_help_on_play(snap_compare, size: tuple[int, int]) -> None:
    """The top of Play's help, over the app: the title, the box, the first sections and the hint line."""

    async def open_it(pilot) -> None:
        await settle(pilot)
        await open_help(pilot)

    assert snap_compare(RnnplayApp(), terminal_size=size, run_before=open_it)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1 *`#-[]/\n"), max_size=80))
def test_any_help_text_renders_and_keeps_every_word(source: str) -> None:
    """Unbalanced marks, stray brackets, empty lines: the small Markdown never fails and drops no word."""
    import re

    from rich.console import Console

    console = Console(width=10_000, record=True)
    console.print(render(source))
    shown = console.export_text()
    for word in re.findall(r"[ab1]+", source):
        assert word in shown
