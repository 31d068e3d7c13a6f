"""The Words tab: one query fills two spaces side by side; unknown words offer spellings; analogy; guess."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Button, Checkbox, Input, OptionList, Select

from rnnplay.runtime.vectors import EXAMPLE, Vectors, cosines_across
from rnnplay.tui.app import RnnplayApp
from rnnplay.tui.screens.words import NEIGHBOURS, NO_VECTORS, NONE_LABEL, WordsTab
from rnnplay.tui.widgets.analogy_box import ANSWERS, AnalogyBox
from rnnplay.tui.widgets.blank_guess import GUESSES, BlankGuess
from rnnplay.tui.widgets.cross_space import MAX_LINES, CrossSpace, signed
from rnnplay.tui.widgets.neighbour_list import NeighbourList
from rnnplay.tui.widgets.ranked_words import RankedWords
from tests.conftest import PLANTED_WORDS, SHIPPED_MODEL, SHIPPED_VECTORS, planted_arrays, write_vectors_model
from tests.test_render import AA, contrast
from tests.tui.conftest import pilot_test, steady_cursors, until, write_user_model


async def open_words(pilot, vectors_expected: bool = True) -> WordsTab:
    """Wait for both start models (they load in worker threads), then show the Words tab."""
    app = pilot.app
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.classifier is not None and (app.vectors is not None or not vectors_expected):
            break
    assert app.classifier is not None and (app.vectors is not None) == vectors_expected
    await pilot.press("f3")
    await pilot.pause()
    return app.query_one(WordsTab)


async def query(pilot, word: str) -> None:
    await pilot.press("ctrl+n", "ctrl+u", *word, "enter")
    await pilot.pause()


def column(pilot, which: str) -> NeighbourList:
    return pilot.app.query_one(f"#{which}-neighbours", NeighbourList)


def expected(space: Vectors, word: str) -> list[str]:
    return [w for w, _ in space.neighbours(word, NEIGHBOURS)]


@pilot_test
async def test_one_query_fills_both_spaces_with_their_own_neighbours(planted_vectors: Path) -> None:
    async with RnnplayApp(model=str(SHIPPED_MODEL), vectors=str(planted_vectors)).run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        assert pilot.app.focused.id == "word"  # arriving on the tab puts the cursor in the word box
        await query(pilot, "good")
        planted = Vectors.load(planted_vectors)
        embedding = Vectors.from_stored(pilot.app.classifier.stored)
        assert column(pilot, "vectors").answers == expected(planted, "good")
        assert column(pilot, "vectors").answers[0] == "great"  # planted: same sentiment axis, nearest intensity
        assert column(pilot, "embedding").answers == expected(embedding, "good")
        assert column(pilot, "vectors").border_title == "Word vectors · planted"
        assert column(pilot, "embedding").border_title == "Classifier embedding · imdb-bilstm"
        assert column(pilot, "embedding").border_subtitle == f"{len(embedding):,} words × {embedding.vector_size}"


@pilot_test
async def test_the_lists_show_as_many_neighbours_as_fit() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        await query(pilot, "good")
        short = column(pilot, "vectors").query_one(RankedWords).size.height
        await pilot.resize_terminal(100, 50)
        await pilot.pause()
        tall = column(pilot, "vectors").query_one(RankedWords).size.height
        assert tall > short
        assert len(column(pilot, "vectors").answers) == NEIGHBOURS  # all ranked, cut only when drawn


@pilot_test
async def test_a_word_unknown_in_one_space_is_a_message_there_and_the_other_still_answers(planted_vectors: Path) -> None:
    async with RnnplayApp(model=str(SHIPPED_MODEL), vectors=str(planted_vectors)).run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        await query(pilot, "movie")  # the classifier knows it; the 16 planted words do not
        assert column(pilot, "vectors").answers == []
        assert '"movie" is not in planted\'s vocabulary (16 words)' in column(pilot, "vectors").problem
        assert column(pilot, "embedding").answers == expected(Vectors.from_stored(pilot.app.classifier.stored), "movie")
        assert column(pilot, "embedding").problem == ""


@pilot_test
async def test_an_unknown_word_offers_spellings_and_choosing_one_queries_it(planted_vectors: Path) -> None:
    async with RnnplayApp(model=str(SHIPPED_MODEL), vectors=str(planted_vectors)).run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        await query(pilot, "actres")
        left = column(pilot, "vectors")
        assert "did you mean" in left.problem
        offered = [button.name for button in left.query(Button)]
        assert offered == Vectors.load(planted_vectors).suggestions("actres") and "actress" in offered
        await pilot.click(next(button for button in left.query(Button) if button.name == "actress"))
        await pilot.pause()
        assert pilot.app.query_one("#word", Input).value == "actress"
        assert left.answers == expected(Vectors.load(planted_vectors), "actress")


def strip(pilot) -> CrossSpace:
    return pilot.app.query_one(CrossSpace)


@pilot_test
async def test_the_strip_shows_the_same_words_cosine_in_both_spaces() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        words = await open_words(pilot)
        await query(pilot, "good")
        vectors, embedding = pilot.app.vectors, words.embedding
        shown = strip(pilot)
        assert shown.rows == cosines_across("good", [vectors, embedding]) and shown.message == ""
        # Each space's own measurement. (Whether the classifier pulls good and bad apart depends on the model: the
        # shipped one started from CBOW vectors and kept them close; one trained from random vectors does not.)
        left, right = dict(shown.rows)["bad"]
        assert left == pytest.approx(vectors.similarity("good", "bad"), abs=1e-6) and left > 0
        assert right == pytest.approx(embedding.similarity("good", "bad"), abs=1e-6)
        assert f"bad {signed(left)} / {signed(right)}" in shown.text
        assert "word vectors / classifier" in shown.text and "“good”" in shown.text
        assert 0 < shown.size.height <= MAX_LINES  # both lists still show most of their words
        assert column(pilot, "vectors").query_one(RankedWords).size.height > 4
        await query(pilot, "great")  # every query asks again
        assert shown.rows == cosines_across("great", [vectors, embedding])


@pilot_test
async def test_a_word_one_space_lacks_leaves_one_dim_line_in_the_strip(planted_vectors: Path) -> None:
    async with RnnplayApp(model=str(SHIPPED_MODEL), vectors=str(planted_vectors)).run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        await query(pilot, "movie")  # the classifier knows it; the 16 planted words do not
        assert strip(pilot).rows == [] and "“movie” is not in both vocabularies" in strip(pilot).message
        assert strip(pilot).size.height == 1
        await query(pilot, "good film")  # the columns say it is two words; the strip says nothing
        assert strip(pilot).rows == [] and strip(pilot).text == ""
        await query(pilot, "good")  # and answers again once the word is fine
        assert [w for w, _ in strip(pilot).rows] == [w for w, _ in cosines_across("good", [pilot.app.vectors, pilot.app.query_one(WordsTab).embedding])]


@pilot_test
async def test_an_empty_or_two_word_query_is_an_inline_message() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        await query(pilot, "")
        assert "give a word" in column(pilot, "vectors").problem
        await query(pilot, "good film")
        assert "give one word" in column(pilot, "embedding").problem


@pilot_test
async def test_without_word_vectors_each_part_says_so_and_the_classifier_still_answers() -> None:
    async with RnnplayApp(vectors="no-such-vectors").run_test(size=(100, 30)) as pilot:
        await open_words(pilot, vectors_expected=False)
        assert any("no-such-vectors" in n.message for n in pilot.app._notifications)
        await query(pilot, "good")
        assert "no word vectors are loaded" in column(pilot, "vectors").problem
        assert strip(pilot).rows == [] and "needs word vectors" in strip(pilot).message
        assert column(pilot, "embedding").answers == expected(Vectors.from_stored(pilot.app.classifier.stored), "good")
        await pilot.press("ctrl+g", *"the film was ___", "enter")
        await pilot.pause()
        assert "no word vectors are loaded" in str(pilot.app.query_one(BlankGuess).query_one(".problem").content)


@pilot_test
async def test_the_analogy_box_solves_a_minus_b_plus_c(planted_vectors: Path) -> None:
    async with RnnplayApp(model=str(SHIPPED_MODEL), vectors=str(planted_vectors)).run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        # Enter moves from term to term and solves once all three are there.
        await pilot.press("ctrl+y", *"king", "enter", *"man", "enter", *"woman", "enter")
        await pilot.pause()
        box = pilot.app.query_one(AnalogyBox)
        planted = Vectors.load(planted_vectors)
        assert box.answers == [w for w, _ in planted.analogy("king", "man", "woman", ANSWERS)]
        assert box.answers[0] == "queen"  # planted so that king − man + woman is exactly queen
        await pilot.press("ctrl+y", "ctrl+u", *"kingg", "enter")
        await pilot.pause()
        assert box.answers == [] and '"kingg" is not in planted' in str(box.query_one(".problem").content)


@pilot_test
async def test_guess_the_blank_with_cbow_and_a_polite_no_without(planted_vectors: Path) -> None:
    async with RnnplayApp(model=str(SHIPPED_MODEL), vectors=str(planted_vectors)).run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        text = "the film was ___"
        await pilot.press("ctrl+g", *text, "enter")
        await pilot.pause()
        box = pilot.app.query_one(BlankGuess)
        planted = Vectors.load(planted_vectors)
        assert box.answers == [w for w, _ in planted.guess(text, GUESSES)]
        left, right = planted.context(text)
        assert box.border_subtitle == f"read: {' '.join(left + ['___'] + right)}"

        assert pilot.app.use_vectors(SHIPPED_MODEL)  # a classifier's embedding: no output layer
        await pilot.pause()
        left_column = column(pilot, "vectors")
        assert left_column.border_title == "Classifier embedding · imdb-bilstm"  # says which kind of space it is
        assert str(left_column.query_one(".space-note").content) == "near: push the verdict the same way"
        assert box.answers == []
        message = str(box.query_one(".problem").content)
        assert message == "imdb-bilstm is a classifier's embedding: it has no output layer to guess with; use CBOW vectors (pick them at the top of the tab)"


@pilot_test
async def test_the_embedding_column_follows_the_classifier_on_play(models_dir: Path) -> None:
    def shuffle_embedding(arrays: dict) -> None:
        rows = arrays["embedding"][2:]
        arrays["embedding"] = np.concatenate([arrays["embedding"][:2], rows[np.random.default_rng(0).permutation(len(rows))]])

    other = write_user_model(models_dir, "shuffled", shuffle_embedding)
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        await query(pilot, "good")
        before = column(pilot, "embedding").answers
        assert pilot.app.use_classifier(other)
        await pilot.pause()
        after = column(pilot, "embedding").answers
        assert after != before
        assert after == expected(Vectors.load(other), "good")
        assert column(pilot, "embedding").border_title == "Classifier embedding · shuffled"
        assert column(pilot, "vectors").answers == expected(Vectors.load(SHIPPED_VECTORS), "good")
        assert strip(pilot).rows == cosines_across("good", [pilot.app.vectors, Vectors.load(other)])


@pilot_test
async def test_the_vectors_list_switches_spaces_and_learns_of_new_models(models_dir: Path) -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        words = await open_words(pilot)
        choice = pilot.app.query_one("#vectors-choice", Select)
        assert choice.value == "imdb-cbow"
        write_vectors_model(models_dir / "planted-here", PLANTED_WORDS, planted_arrays())
        pilot.app.catalog_changed()
        await pilot.pause()
        assert "planted-here" in words.choices
        await query(pilot, "good")
        # Keyboard only: Ctrl+O opens the list (as on Play), move to the new entry, choose it.
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert choice.expanded and choice.has_focus_within
        names = list(words.choices)  # the user's models come first, as resolve() finds them
        steps = names.index("planted-here") - names.index("imdb-cbow")
        await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
        await pilot.pause()
        assert pilot.app.vectors.name == "planted-here"
        assert column(pilot, "vectors").border_title == "Word vectors · planted-here"
        assert column(pilot, "vectors").answers == expected(pilot.app.vectors, "good")  # the query is asked again
        assert strip(pilot).rows == cosines_across("good", [pilot.app.vectors, words.embedding])


def listed(select: Select) -> list[str]:
    """The entries the vectors list offers, as drawn."""
    options = select.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def picked(select: Select) -> str:
    """What the closed picker shows."""
    return str(select.query_one("SelectCurrent").query_one("#label").render())


@pilot_test
async def test_the_vectors_picker_offers_no_blank_while_vectors_are_in_use(models_dir: Path) -> None:
    """It used to offer "(none)", which showed "(none)" while imdb-cbow stayed in use."""
    write_vectors_model(models_dir / "planted-here", PLANTED_WORDS, planted_arrays())
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        words = await open_words(pilot)
        choice = pilot.app.query_one("#vectors-choice", Select)
        assert listed(choice) == list(words.choices) and NONE_LABEL not in listed(choice)
        assert choice.value == pilot.app.vectors.name == "imdb-cbow" and picked(choice) == "imdb-cbow"
        await pilot.press("ctrl+o", "home", "enter")  # the first entry is a model, never a blank
        await pilot.pause()
        assert pilot.app.vectors.name == next(iter(words.choices)) == choice.value == picked(choice) == "planted-here"
        await pilot.press("ctrl+o", "end", "enter")
        await pilot.pause()
        assert pilot.app.vectors.name == choice.value == picked(choice) == list(words.choices)[-1] == "reviews-cbow"


@pilot_test
async def test_none_is_listed_only_while_no_vectors_are_loaded() -> None:
    async with RnnplayApp(vectors="no-such-vectors").run_test(size=(100, 30)) as pilot:
        words = await open_words(pilot, vectors_expected=False)
        choice = pilot.app.query_one("#vectors-choice", Select)
        assert choice.value == NO_VECTORS and picked(choice) == NONE_LABEL
        assert listed(choice) == [NONE_LABEL, *words.choices]
        await pilot.press("ctrl+o", "enter")  # choosing "(none)" again changes nothing
        await pilot.pause()
        assert pilot.app.vectors is None and choice.value == NO_VECTORS
        await pilot.press("ctrl+o", "down", "enter")
        await until(pilot, lambda: pilot.app.vectors is not None, "the chosen vectors to load")
        await pilot.pause()
        assert choice.value == pilot.app.vectors.name == "imdb-cbow" and NONE_LABEL not in listed(choice)


@pilot_test
async def test_ctrl_o_opens_the_vectors_list_from_anywhere_on_the_tab() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        choice = pilot.app.query_one("#vectors-choice", Select)
        for part in ("ctrl+n", "ctrl+y", "ctrl+g"):
            await pilot.press(part, "ctrl+o")
            await pilot.pause()
            assert choice.expanded and choice.has_focus_within, part
            await pilot.press("escape")
            await pilot.pause()
            assert not choice.expanded and choice.value == "imdb-cbow"


@pilot_test
async def test_hide_context_leaves_the_words_read_out_of_the_guesses(planted_vectors: Path) -> None:
    async with RnnplayApp(model=str(SHIPPED_MODEL), vectors=str(planted_vectors)).run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        text = "the film ___ was plot"
        planted = Vectors.load(planted_vectors)
        box = pilot.app.query_one(BlankGuess)
        checkbox = box.query_one("#hide-context", Checkbox)
        assert str(checkbox.label) == "hide context" and not checkbox.value
        await pilot.press("ctrl+g", *text, "enter")
        await pilot.pause()
        assert box.answers == [w for w, _ in planted.guess(text, GUESSES)] and "the" in box.answers[:3]
        await pilot.press("tab", "space")  # from the text to the checkbox beside it, and tick it
        await pilot.pause()
        assert checkbox.has_focus and checkbox.value
        read = set(planted.context(text)[0] + planted.context(text)[1])
        assert box.answers == [w for w, _ in planted.guess(text, GUESSES, exclude_context=True)]
        assert not read & set(box.answers)
        assert box.border_subtitle == "read, not ranked: the film ___ was plot"
        await pilot.press("space")
        await pilot.pause()
        assert box.answers == [w for w, _ in planted.guess(text, GUESSES)] and box.border_subtitle == "read: the film ___ was plot"


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pilot_test
async def test_rankings_and_cosines_read_in_both_themes(theme: str) -> None:
    """Every cell of the rankings and the cosine strip, as composited on screen, has at least 4.5:1 contrast
    (WCAG AA) with its own background: the light theme once drew the ranking grey on grey."""
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await open_words(pilot)
        await query(pilot, "good")
        await pilot.press("ctrl+y", *"king", "enter", *"man", "enter", *"woman", "enter")
        await pilot.press("ctrl+g", *EXAMPLE, "enter", "tab", "space", "ctrl+n")  # ticked, then focus leaves it
        await pilot.pause()
        pilot.app.theme = theme
        await pilot.pause()
        widgets = [*pilot.app.query(RankedWords), strip(pilot), pilot.app.query_one("#hide-context", Checkbox)]
        assert all(widget.rows for widget in widgets[:4]) and strip(pilot).rows
        cells = 0
        for widget in widgets:
            region = widget.content_region if isinstance(widget, RankedWords) else widget.region
            for y in range(region.y, region.bottom):
                for x in range(region.x, region.right):
                    style = pilot.app.screen.get_style_at(x, y)
                    if isinstance(widget, Checkbox) and x < region.x + 3 and x != region.x + 1:
                        continue  # the box's two edge glyphs are a shape, not text; its mark (X) is checked
                    if style.color is None:
                        continue  # padding right of the table: nothing is drawn there
                    ratio = contrast(style.color.get_truecolor(), style.bgcolor.get_truecolor())
                    assert ratio >= AA, (theme, type(widget).__name__, x - region.x, y - region.y, style, ratio)
                    cells += 1
        assert cells > 1000


@pilot_test
async def test_words_fits_80_by_24() -> None:
    async with RnnplayApp().run_test(size=(80, 24)) as pilot:
        await open_words(pilot)
        await query(pilot, "good")
        for which in ("vectors", "embedding"):
            ranked = column(pilot, which).query_one(RankedWords)
            assert ranked.size.height >= 4 and ranked.region.right <= 80
        assert pilot.app.query_one(AnalogyBox).region.bottom <= 23  # above the footer
        guess_line = pilot.app.query_one(BlankGuess).query_one(".guess-line")
        assert guess_line.region.right <= 80 and pilot.app.query_one("#hide-context").region.right <= guess_line.region.right
        assert pilot.app.query_one("#blank-text").size.width >= 12  # room left to type the text
        assert strip(pilot).rows and strip(pilot).size.height <= MAX_LINES and strip(pilot).region.right <= 80
        assert column(pilot, "vectors").region.bottom <= strip(pilot).region.y < pilot.app.query_one(AnalogyBox).region.y


def test_words_snapshot(snap_compare) -> None:
    """Words after querying "good", an analogy and a blank, at 100×30."""

    async def run_before(pilot) -> None:
        await open_words(pilot)
        steady_cursors(pilot)
        await query(pilot, "good")
        await pilot.press("ctrl+y", *"king", "enter", *"man", "enter", *"woman", "enter")
        await pilot.press("ctrl+g", *EXAMPLE, "enter")
        await pilot.press("ctrl+n")
        await pilot.pause()

    assert snap_compare(RnnplayApp(), terminal_size=(100, 30), run_before=run_before)


def test_words_light_theme_snapshot(snap_compare) -> None:
    """The same in the light theme (Ctrl+T), with the context words left out of the guesses."""

    async def run_before(pilot) -> None:
        await open_words(pilot)
        steady_cursors(pilot)
        await query(pilot, "bad")
        await pilot.press("ctrl+g", *"the acting was ___ and the plot made no sense", "enter", "tab", "space")
        await pilot.press("ctrl+t", "ctrl+n")
        await pilot.pause()

    assert snap_compare(RnnplayApp(), terminal_size=(100, 30), run_before=run_before)


def test_words_unknown_word_snapshot(snap_compare, planted_vectors: Path) -> None:
    """A word one space lacks: a message with spellings to choose on the left, neighbours on the right."""

    async def run_before(pilot) -> None:
        await open_words(pilot)
        steady_cursors(pilot)
        await query(pilot, "actres")

    # The planted model lives in a temporary folder, but only its name (planted) is drawn.
    assert snap_compare(RnnplayApp(model=str(SHIPPED_MODEL), vectors=str(planted_vectors)), terminal_size=(100, 30),
                        run_before=run_before)


def test_the_strip_packs_whole_entries_into_its_width_and_prefers_the_explicit_layout(planted_vectors: Path) -> None:
    from rnnplay.tui.widgets.cross_space import entry, layouts, pack

    planted = Vectors.load(planted_vectors)
    rows = cosines_across("good", [planted, planted])
    for width in range(40, 130, 7):
        for header, joiner in layouts("good", ["a", "b"]):
            entries = [entry(word, cosines, joiner) for word, cosines in rows]
            lines = pack(header, entries, width)
            assert all(line.cell_len <= width for line in lines)
            texts = [line.plain for line in lines]
            assert texts[0].startswith(header)
            texts[0] = texts[0][len(header):].strip()
            pieces = " · ".join(text for text in texts if text).split(" · ")
            assert pieces == [item.plain for item in entries]  # every entry whole, in order
    strip = CrossSpace()
    strip.show("good", rows, ["a", "b"])
    explicit, terse = layouts("good", ["a", "b"])
    assert strip.lines(10_000)[0].plain.startswith(explicit[0])
    assert strip.lines(60)[0].plain.startswith(terse[0]) and len(strip.lines(60)) > MAX_LINES  # grows rather than hides
