"""The Models tab: the table of saved models, the selected model's card and layers, load and delete."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import DataTable

from rnnplay.store import SHIPPED_DIR
from rnnplay.tui.app import RnnplayApp
from rnnplay.tui.screens.models import ModelsTab
from rnnplay.tui.screens.play import PlayTab
from rnnplay.tui.widgets.classifier_picker import ClassifierPicker
from rnnplay.tui.widgets.confirm_dialog import ConfirmDialog
from rnnplay.tui.widgets.errors_view import ErrorsView
from rnnplay.tui.widgets.layer_summary import LayerSummary
from rnnplay.tui.widgets.model_card import ModelCard
from tests.tui.conftest import pilot_test, settle, until


def shown_text(widget) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def open_models(pilot, row: str | None = None) -> DataTable:
    """Show the Models tab with the cursor on the model named ``row`` (moved there with the arrow keys)."""
    await settle(pilot)
    await pilot.press("f6")
    await pilot.pause()
    table = pilot.app.query_one(DataTable)
    if row is not None:
        await pilot.press(*["up"] * table.row_count, *["down"] * listed(table).index(row))
        await pilot.pause()
        assert listed(table)[table.cursor_row] == row
    return table


def listed(table: DataTable) -> list[str]:
    return [Path(str(key.value)).name for key in table.rows]


@pilot_test
async def test_the_table_lists_shipped_and_user_models(user_model: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        table = await open_models(pilot)
        assert listed(table) == ["my-bilstm", "imdb-bilstm", "imdb-cbow", "imdb-lstm", "reviews-cbow"]
        rows = {Path(str(key.value)).name: [str(cell) for cell in table.get_row(key)] for key in table.rows}
        assert rows["imdb-bilstm"][0] == "● imdb-bilstm *"  # in use, shipped
        assert rows["my-bilstm"][0].strip() == "my-bilstm"
        assert rows["imdb-bilstm"][1:5] == ["classifier", "reviews", "BiLSTM 32, vocab 20,000", "0.855"]
        assert rows["imdb-cbow"][1] == "vectors"
        assert rows["imdb-lstm"][0] == "  imdb-lstm *"  # shipped, not in use
        assert rows["imdb-lstm"][1:5] == ["classifier", "reviews", "LSTM 32, vocab 20,000", "0.837"]


@pilot_test
async def test_selecting_a_model_shows_its_card_and_layers(user_model: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_models(pilot, "imdb-cbow")
        card = shown_text(pilot.app.query_one(ModelCard))
        assert "imdb-cbow" in card and "shipped with rnnplay" in card and "window 5" in card
        assert "input vectors" in shown_text(pilot.app.query_one(LayerSummary))
        await open_models(pilot, "my-bilstm")
        card = shown_text(pilot.app.query_one(ModelCard))
        assert "my-bilstm" in card and str(user_model.parent.name) in card and "0.855" in card
        layers = shown_text(pilot.app.query_one(LayerSummary))
        for line in ("Embedding", "(batch, time, 64)", "1,280,000", "Bidirectional(LSTM)", "24,832", "Total params", "1,309,057"):
            assert line in layers


@pilot_test
async def test_enter_loads_the_selected_classifier_and_play_follows(contrary_model: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"a wonderful film")
        await settle(pilot)
        before = pilot.app.query_one(PlayTab).explanation.probability
        table = await open_models(pilot, "contrarian")
        await pilot.press("enter")
        await until(pilot, lambda: pilot.app.classifier.name == "contrarian", "the selected model is loaded")
        await settle(pilot)
        assert str(table.get_row(str(contrary_model))[0]).startswith("●")
        play = pilot.app.query_one(PlayTab)
        assert play.shown[1] is pilot.app.classifier
        assert abs(play.explanation.probability - (1 - before)) < 1e-6
        assert pilot.app.query_one(ClassifierPicker).value == str(contrary_model)
        assert any("contrarian" in n.message for n in pilot.app._notifications)


@pilot_test
async def test_l_loads_word_vectors_for_the_words_tab() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = pilot.app.vectors
        await open_models(pilot, "imdb-cbow")
        await pilot.press("l")
        await until(pilot, lambda: pilot.app.vectors is not before, "the vectors are loaded again")
        assert pilot.app.vectors.name == "imdb-cbow"
        assert pilot.app.classifier.name == "imdb-bilstm"


@pilot_test
async def test_loading_a_corrupt_model_is_a_notification(corrupt_model: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_models(pilot, "broken")
        before = pilot.app.classifier
        await pilot.press("l")
        await until(pilot, lambda: any("broken" in n.message and n.severity == "error" for n in pilot.app._notifications),
                    "an error notification names the broken model")
        await settle(pilot)
        assert pilot.app.classifier is before


@pilot_test
async def test_an_unreadable_card_is_listed_explained_and_cannot_be_loaded(models_dir: Path) -> None:
    (models_dir / "garbled").mkdir(parents=True)
    (models_dir / "garbled" / "card.json").write_text("{not json")
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        table = await open_models(pilot, "garbled")
        assert [str(cell) for cell in table.get_row(str(models_dir / "garbled"))][1] == "unreadable"
        assert "not valid JSON" in pilot.app.query_one(ModelsTab).selected().problem  # the reason, whole
        assert shown_text(pilot.app.query_one(ModelCard)).startswith("garbled cannot be read:")  # a long path may elide it
        await pilot.press("l")
        await until(pilot, lambda: any("garbled" in n.message for n in pilot.app._notifications), "a notification")
        assert pilot.app.classifier.name == "imdb-bilstm"


@pilot_test
async def test_shipped_models_cannot_be_deleted() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_models(pilot, "imdb-bilstm")
        await pilot.press("d")
        await until(pilot, lambda: any("cannot be deleted" in n.message and n.severity == "warning"
                                       for n in pilot.app._notifications), "a warning")
        assert not isinstance(pilot.app.screen, ConfirmDialog)
        assert (SHIPPED_DIR / "imdb-bilstm" / "card.json").is_file()


@pilot_test
async def test_delete_asks_first_and_then_removes_the_model_everywhere(user_model: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        table = await open_models(pilot, "my-bilstm")
        catalog = pilot.app.catalog
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "the question is asked")
        await pilot.press("n")
        await until(pilot, lambda: not isinstance(pilot.app.screen, ConfirmDialog), "the question is answered")
        assert user_model.is_dir()
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "the question is asked again")
        await pilot.click("#confirm-yes")
        await until(pilot, lambda: not user_model.exists(), "the model is deleted")
        assert pilot.app.catalog == catalog + 1
        assert listed(table) == ["imdb-bilstm", "imdb-cbow", "imdb-lstm", "reviews-cbow"]
        assert str(user_model) not in pilot.app.query_one(ClassifierPicker).folders


@pilot_test
async def test_the_table_fits_80_columns_without_scrolling_sideways(user_model: Path) -> None:
    async with RnnplayApp().run_test(size=(80, 24)) as pilot:
        table = await open_models(pilot)
        assert table.virtual_size.width <= table.size.width
        assert pilot.app.query_one(ModelsTab).query_one("#models-legend").region.bottom <= pilot.app.screen.region.bottom


def test_snapshot_models(snap_compare) -> None:
    """Models at 100×30 with the shipped models: the table, the layer listing and the card."""

    async def show_models(pilot) -> None:
        await open_models(pilot, "imdb-bilstm")

    assert snap_compare(RnnplayApp(), terminal_size=(100, 30), run_before=show_models)


@pilot_test
async def test_names_and_cards_from_files_are_shown_escaped(models_dir: Path) -> None:
    """A folder renamed by hand and a crafted card: their control characters show as escapes, never raw."""
    from tests.conftest import TINY_VOCAB, classifier_arrays, classifier_card, write_raw_model

    hostile = "ev\x1b]0;pwned\x07il"
    card = dict(classifier_card(hostile), training={"corpus": "x\x1b[31mred", "note": "\u202eevil"})
    write_raw_model(models_dir / hostile, card, classifier_arrays(card), TINY_VOCAB)
    (models_dir / "broken\x1b[2J").mkdir()
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        table = await open_models(pilot, hostile)
        rows = [[str(cell) for cell in table.get_row(key)] for key in table.rows]
        assert not any("\x1b" in cell or "\x07" in cell for row in rows for cell in row)
        assert any("ev\\x1b]0;pwned\\x07il" in row[0] for row in rows) and any("broken\\x1b[2J" in row[0] for row in rows)
        card_text = shown_text(pilot.app.query_one(ModelCard))
        assert "\x1b" not in card_text and "\u202e" not in card_text
        assert "x\\x1b[31mred" in card_text and "\\u202eevil" in card_text


def region_text(app, widget) -> str:
    """The words ``widget`` shows on screen, lines joined: what a person can read of it, cut or not."""
    region = widget.region
    lines = app.screen._compositor.render_strips()
    return " ".join(" ".join(lines[y].text[region.x : region.right].split()) for y in range(region.y, region.bottom)).strip()


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
@pilot_test
async def test_the_delete_dialog_shows_its_whole_text(size: tuple[int, int], user_model: Path) -> None:
    """It cut its own sentence ("It stays loaded until you"): a Label is as wide as its text, the box is not."""
    async with RnnplayApp(model=str(user_model)).run_test(size=size) as pilot:
        await open_models(pilot, "my-bilstm")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "the question is asked")
        await pilot.pause()
        dialog = pilot.app.screen
        detail = dialog.query_one("#confirm-detail")
        assert detail.region.right <= dialog.query_one("#confirm-box").region.right
        shown = region_text(pilot.app, detail)
        assert shown.endswith("The folder is removed for good. It stays loaded until you pick another model.")
        assert shown.replace(" ", "").startswith(str(user_model).replace(" ", ""))
        assert region_text(pilot.app, dialog.query_one("#confirm-question")) == "Delete my-bilstm?"


def marked(table: DataTable) -> set[str]:
    """The models whose name cell carries the in-use mark."""
    return {Path(str(key.value)).name for key in table.rows if str(table.get_row(key)[0]).startswith("●")}


@pilot_test
async def test_the_vectors_in_use_are_marked_too(user_model: Path) -> None:
    """The mark followed only the classifier: runtime Vectors did not carry the folder they came from."""
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        table = await open_models(pilot)
        await until(pilot, lambda: pilot.app.vectors is not None, "the vectors are loaded")
        assert marked(table) == {"imdb-bilstm", "imdb-cbow"}  # the classifier, and the CBOW vectors
        pilot.app.load_vectors(str(user_model))  # a classifier's embedding used as word vectors
        await until(pilot, lambda: pilot.app.vectors.path == user_model, "the embedding is the word space")
        await pilot.pause()
        assert marked(table) == {"imdb-bilstm", "my-bilstm"}


# --- what a classifier gets wrong (e) ----------------------------------------------------------------

@pytest.fixture
def last_word(models_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The hand-checked model of tests/test_mistakes.py as a user model, trained (says its card) on ./reviews.csv."""
    from tests.test_mistakes import write_corpus, write_last_word_model

    monkeypatch.chdir(tmp_path)
    write_corpus(tmp_path / "reviews.csv")
    return write_last_word_model(models_dir / "last-word", "reviews.csv")


async def open_errors(pilot, row: str | None) -> ErrorsView:
    """``e`` on the model named ``row``; None: on the row the cursor is on (no waiting for workers to finish)."""
    if row is not None:
        await open_models(pilot, row)
    await pilot.press("e")
    await until(pilot, lambda: isinstance(pilot.app.screen, ErrorsView), "the errors view opens")
    return pilot.app.screen


def listed_mistakes(view: ErrorsView) -> list[list[str]]:
    table = view.query_one(DataTable)
    return [[str(cell) for cell in table.get_row(key)] for key in table.rows]


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
@pilot_test
async def test_errors_show_the_matrix_and_the_mistakes_and_enter_opens_one_on_play(size, last_word: Path) -> None:
    async with RnnplayApp().run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press(*"my own review")
        await settle(pilot)
        view = await open_errors(pilot, "last-word")
        await until(pilot, lambda: view.result is not None, "the errors are computed")
        await pilot.pause()
        status = region_text(pilot.app, view.query_one("#errors-status"))
        assert status.startswith("last-word on reviews.csv's test split (seed 0): 5 reviews 3 misclassified, accuracy 0.4000")
        matrix = region_text(pilot.app, view.query_one("#errors-matrix"))
        assert "true negative 1 50.0% 1 50.0% 2 true positive 2 66.7% 1 33.3% 3" in matrix
        rows = listed_mistakes(view)
        assert [row[:3] for row in rows] == [["1", "positive", "0.000"], ["2", "positive", "0.052"], ["3", "negative", "0.730"]]
        assert [row[3] for row in rows] == ["row11 the film was bad", "row24 the film was great", "row19 the film was film"]
        list_region = view.query_one(DataTable).region
        assert list_region.bottom <= view.query_one("#errors-hint").region.y <= pilot.app.screen.region.bottom
        await pilot.press("down", "enter")  # the second surest mistake
        await until(pilot, lambda: not isinstance(pilot.app.screen, ErrorsView), "the view closes")
        await settle(pilot)
        play = pilot.app.query_one(PlayTab)
        assert pilot.app.query_one("TabbedContent").active == "play"
        assert play.text == "row24 the film was great" and play.query_one("TextArea").has_focus
        await pilot.press("ctrl+z")  # one undoable edit: the user's own text comes back
        assert play.text == "my own review"


@pilot_test
async def test_errors_are_computed_in_a_worker_and_kept_for_the_session(last_word: Path, monkeypatch) -> None:
    """While the worker runs the view says "computing…" and keys still work; a second look computes nothing."""
    from rnnplay import mistakes

    release, calls = threading.Event(), []
    real = mistakes.find_mistakes

    def held(*args, **kwargs):
        calls.append(args[0])
        assert release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(mistakes, "find_mistakes", held)
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        view = await open_errors(pilot, "last-word")
        await until(pilot, lambda: len(calls) == 1, "the worker starts")
        assert region_text(pilot.app, view.query_one("#errors-status")).startswith("computing…")
        await pilot.press("escape")  # the screen answers while the worker waits
        await until(pilot, lambda: not isinstance(pilot.app.screen, ErrorsView), "escape closes the view")
        again = await open_errors(pilot, None)
        assert again.result is None and len(calls) == 1  # the same computation is still on its way
        release.set()
        await until(pilot, lambda: again.result is not None, "the result reaches the view opened since")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(pilot.app.screen, ErrorsView), "escape closes the view")
        third = await open_errors(pilot, None)
        assert third.result is again.result and len(calls) == 1  # kept for the session
        assert calls[0].card.name == "last-word"


@pilot_test
async def test_errors_of_the_classifier_in_use_reuse_it(monkeypatch) -> None:
    from rnnplay import mistakes

    seen = []
    monkeypatch.setattr(mistakes, "find_mistakes", lambda classifier, *a, **k: seen.append(classifier) or (_ for _ in ()).throw(
        mistakes.RnnplayError("stop here")))
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = await open_errors(pilot, "imdb-bilstm")
        await until(pilot, lambda: seen, "the worker runs")
        assert seen == [pilot.app.classifier]  # not read from disk again
        await until(pilot, lambda: "stop here" in region_text(pilot.app, view.query_one("#errors-status")), "the error shows")


@pilot_test
async def test_errors_when_the_corpus_is_gone_is_one_line_in_the_view(last_word: Path, tmp_path: Path) -> None:
    (tmp_path / "reviews.csv").unlink()
    async with RnnplayApp().run_test(size=(80, 24)) as pilot:
        view = await open_errors(pilot, "last-word")
        expected = (f"last-word was trained on reviews.csv, which is not there any more (read from {tmp_path}): "
                    "its test split cannot be rebuilt")
        await until(pilot, lambda: region_text(pilot.app, view.query_one("#errors-status")).replace(" ", "")
                    == expected.replace(" ", ""), "the reason shows, whole")
        assert not view.query_one(DataTable).display
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(pilot.app.screen, ErrorsView), "escape closes the view")


@pilot_test
async def test_errors_of_word_vectors_is_a_notification() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_models(pilot, "imdb-cbow")
        await pilot.press("e")
        await until(pilot, lambda: any("only a classifier gets reviews wrong" in n.message for n in pilot.app._notifications),
                    "a notification says why")
        assert not isinstance(pilot.app.screen, ErrorsView)


def test_snapshot_errors_view(snap_compare, last_word: Path, monkeypatch) -> None:
    """The errors view of the hand-checked model at 100×30 (the time it took is pinned to 0.0 s)."""
    from rnnplay import mistakes

    monkeypatch.setattr(mistakes.time, "perf_counter", lambda: 0.0)

    async def show_errors(pilot) -> None:
        view = await open_errors(pilot, "last-word")
        await until(pilot, lambda: view.result is not None, "the errors are computed")
        await pilot.pause()

    assert snap_compare(RnnplayApp(), terminal_size=(100, 30), run_before=show_errors)


@pilot_test
async def test_errors_list_at_most_the_limit_and_say_so(last_word: Path, monkeypatch) -> None:
    from rnnplay import limits
    from rnnplay.tui.widgets import errors_view

    monkeypatch.setattr(errors_view, "MISTAKES_LISTED", 2)
    assert limits.MISTAKES_LISTED == 1_000
    async with RnnplayApp().run_test(size=(80, 24)) as pilot:
        view = await open_errors(pilot, "last-word")
        await until(pilot, lambda: view.result is not None, "the errors are computed")
        await pilot.pause()
        assert len(listed_mistakes(view)) == 2
        assert region_text(pilot.app, view.query_one("#errors-hint")).startswith("the 2 surest of 3 mistakes · ")
