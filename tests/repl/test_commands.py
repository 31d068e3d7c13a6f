"""Every command against exact answers: the shipped classifier through explain, the planted word vectors."""

from __future__ import annotations

import json
import shutil

import pytest
from rich.console import Console

from rnnplay.repl.commands import BY_NAME, COMMANDS, find
from rnnplay.repl.dispatch import handle
from rnnplay.runtime.explain import explain
from rnnplay.store import load_model, resolve
from tests.conftest import SHIPPED_LSTM, SHIPPED_MODEL, SHIPPED_VECTORS


def shown(outcome) -> str:
    """What a person sees, as plain text."""
    console = Console(width=100, color_system=None)
    with console.capture() as captured:
        for part in outcome.view:
            console.print(part)
    return captured.get()


def test_classify_shows_the_verdict_the_words_and_their_shares(session):
    outcome = handle(session, "a wonderful film")
    expected = explain(session.classifier, "a wonderful film")
    text = shown(outcome)
    assert text.startswith(f"{expected.label} {expected.probability:.3f}  a wonderful film")
    strongest = max(range(3), key=lambda i: abs(expected.shares[i]))
    assert f"shares: {expected.tokens[strongest]} {expected.shares[strongest]:+.3f}" in text
    assert outcome.data["model"] == "imdb-bilstm"


def test_classify_says_when_words_were_not_read(session):
    outcome = handle(session, "good " * 310)
    assert outcome.data["dropped"] == 10 and "(10 words not read: imdb-bilstm reads the last 300)" in shown(outcome)


def test_nn_ranks_neighbours_with_k(session):
    outcome = handle(session, ":nn good 2")
    assert [r["word"] for r in outcome.data["results"]] == ["great", "excellent"]
    assert outcome.data["vectors"] == "planted" and "nearest to 'good' in planted" in shown(outcome)
    assert len(handle(session, ":nn good").data["results"]) == 10


@pytest.mark.parametrize("line, message", [
    (":nn", "usage: :nn WORD [k]"),
    (":nn good bad", "k must be a whole number from 1 to 1,000, not 'bad'"),
    (":nn good 0", "k must be a whole number"),
    (":nn good 5 6", "usage: :nn WORD [k]"),
    (":analogy actor man", "usage: :analogy A B C [k]"),
    (":sim good", "usage: :sim A B"),
    (":guess", "usage: :guess [OPTIONS] TEXT with ___"),
    (":tokens", "usage: :tokens TEXT"),
    (":prefix  ", "usage: :prefix TEXT"),
    (":inside", "usage: :inside TEXT"),
    (":models extra", ":models takes no arguments, not 'extra' (switch with :model NAME or :vectors NAME)"),
    (":help frob", "no command :frob"),
])
def test_argument_mistakes_say_the_usage(session, line, message):
    assert message in handle(session, line).error


@pytest.mark.parametrize("line, message", [
    # nothing after a command that needs something: its usage
    (":classify", "usage: :classify TEXT"),
    (":classify   ", "usage: :classify TEXT"),
    (":guess --exclude-context", "usage: :guess [OPTIONS] TEXT with ___"),
    # too many or too few words: how many it takes, what it got, its usage
    (":nn good 5 6", ":nn takes one word and an optional k, not 3 ('good 5 6'); usage: :nn WORD [k]"),
    (":analogy actor man", ":analogy takes three words and an optional k, not 2 ('actor man'); usage: :analogy A B C [k]"),
    (":sim good", ":sim takes two words, not 1 ('good'); usage: :sim A B"),
    (":sim good bad great", ":sim takes two words, not 3 ('good bad great'); usage: :sim A B"),
    (":help nn sim", ":help takes one command name, not 'nn sim' (usage: :help [COMMAND])"),
    (":model imdb-bilstm extra", ":model takes one model name or folder, not 'imdb-bilstm extra' (usage: :model [NAME])"),
    (":vectors imdb-cbow extra", ":vectors takes one model name or folder, not 'imdb-cbow extra' (usage: :vectors [NAME])"),
    # arguments to a command that takes none
    (":quit extra", ":quit takes no arguments, not 'extra' (type :quit alone to leave, or press Ctrl-D)"),
    (":q now", ":quit takes no arguments, not 'now' (type :quit alone to leave, or press Ctrl-D)"),
    # a bad option
    (":guess --bogus a ___", "unknown option '--bogus'; :guess takes --exclude-context and --dissect (usage: :guess [OPTIONS] TEXT with ___)"),
    # a text with nothing to guess from is not blamed on the vocabulary
    (":guess ___", "the text has no words around the blank (___) to guess from: write a sentence with a gap, e.g. 'the special ___ were amazing'"),
    (":guess zzz ___ qqq", "none of the words around the blank (zzz, qqq) is in planted's vocabulary: nothing to guess from"),
])
def test_every_mistake_says_what_the_command_expects(session, line, message):
    outcome = handle(session, line)
    assert outcome.error == message and not outcome.quit


def test_quit_alone_quits(session):
    assert handle(session, ":quit").quit and handle(session, ":quit   ").quit


def test_a_folder_whose_path_holds_a_space_is_still_one_name(session, tmp_path):
    folder = tmp_path / "my models" / "mine"
    shutil.copytree(SHIPPED_MODEL, folder)
    assert handle(session, f":model {folder}").error is None and session.classifier.stored.path == folder


def test_unknown_words_offer_spellings(session):
    outcome = handle(session, ":sim excelent good")
    assert outcome.error is None and 'did you mean: excellent?' in shown(outcome)
    assert "“excelent” is not in imdb-bilstm's vocabulary: read as [UNK] (id 1)" in shown(outcome)


def test_analogy_and_sim(session):
    analogy = handle(session, ":analogy actor man woman 2")
    assert [r["word"] for r in analogy.data["results"]] == ["actress", "queen"]
    assert "actor − man + woman in planted" in shown(analogy)
    sim = handle(session, ":sim good bad")
    assert sim.data["cosine"] == pytest.approx(session.vectors.similarity("good", "bad"), abs=1e-6)
    assert [space["one_hot_cosine"] for space in sim.data["spaces"]] == [0.0, 0.0]
    assert sim.data["spaces"][1]["name"] == "imdb-bilstm"
    assert "planted (word vectors) 0 \u22120.83 16 long · 8 numbers" in " ".join(shown(sim).split())


def test_onehot(session):
    outcome = handle(session, ":onehot good great")
    assert outcome.error is None and "(1 at row 4 of 16)" in shown(outcome)
    cost = handle(session, ":onehot --cost a fine film")
    assert cost.error is None and cost.data["tokens"] == 3 and cost.data["equal"]
    assert "unknown option '--x'" in handle(session, ":onehot --x good").error
    assert "usage: :onehot A B" in handle(session, ":onehot --cost").error


def test_guess_shows_the_context_it_read(session):
    outcome = handle(session, ":guess The film ___ was plot")
    assert [r["word"] for r in outcome.data["results"]][:3] == ["great", "excellent", "the"]
    assert outcome.data["context"] == ["the", "film", "___", "was", "plot"]
    assert "context (2 each side): the film ___ was plot" in shown(outcome)
    assert "put one blank" in handle(session, ":guess no blank here").error
    assert outcome.data["context_excluded"] is False


def test_guess_can_leave_the_context_words_out(session):
    outcome = handle(session, ":guess --exclude-context The film ___ was plot")
    read = {"the", "film", "was", "plot"}
    expected = [w for w, _ in session.vectors.guess("the film ___ was plot", k=10, exclude_context=True)]
    assert [r["word"] for r in outcome.data["results"]] == expected and not read & set(expected)
    assert outcome.data["context_excluded"] is True and outcome.data["context"] == ["the", "film", "___", "was", "plot"]
    assert "context (2 each side): the film ___ was plot (context words left out)" in shown(outcome)


def test_tokens_is_the_encoder_view(session):
    outcome = handle(session, ":tokens Isn't it GREAT?<br />xyzzyq")
    encoder = session.classifier.encoder
    assert [t["token"] for t in outcome.data["tokens"]] == ["isnt", "it", "great", "xyzzyq"]
    assert [t["id"] for t in outcome.data["tokens"]] == encoder.encode("Isn't it GREAT?<br />xyzzyq").tolist()
    assert [t["oov"] for t in outcome.data["tokens"]] == [False, False, False, True]
    text = shown(outcome)
    assert "4 tokens, 1 out of vocabulary (id 1)" in text and "xyzzyq  1    OOV" in text
    assert "the last 300 tokens" in text
    assert handle(session, ":tokens ...").error.startswith("the text has no words")
    assert handle(session, ":tokens " + "word " * 305).data["dropped"] == 5


def test_tokens_shows_the_encoder_step_by_step(session):
    filler = "Really GOOD acting, truly. "
    text = filler * 4 + "Don't miss it.<br /><br />I give it 7/10, the zorblax plot was awful. " + filler * 72
    outcome = handle(session, ":tokens " + text)
    shown_text = shown(outcome)
    encoding = session.classifier.encoder.trace(text)
    assert [step["step"] for step in outcome.data["steps"]] == ["<br />", "lower-case", "punctuation"]
    assert outcome.data["steps"][-1]["text"].split() == encoding.tokens  # the last step is what is split into tokens
    assert ["7/10,", "710"] in outcome.data["steps"][2]["changes"] and ["Don't", "don't"] in outcome.data["steps"][1]["changes"]
    assert outcome.data["dropped_words"] == ["really", "good", "acting", "truly"] * 4  # the shipped model keeps the last 300
    assert outcome.data["max_length"] == 300 and outcome.data["mask_zero"] is True
    for line in ["<br />      it.<br /><br />I → it. I", "lower-case  Really → really ×76  GOOD → good ×76  Don't → don't  I → i",
                 "don't → dont  it. → it  7/10, → 710", "split       316 tokens",
                 "truncate    16 of 316 dropped (the last 300 kept): really good acting truly really",
                 "ids         [89 720 9 11 199 9 2535 2 1 111 14 382 63 49",
                 "1 × 300, unpadded: what the model reads", "in a Keras batch: already max_length 300 long",
                 "mask        all 300 read (mask_zero; only 0 is skipped, [UNK] = 1 is read)"]:
        assert line in shown_text, line


def test_tokens_says_when_a_model_does_not_mask(session, models_dir):
    from tests.tui.conftest import write_user_model

    path = write_user_model(models_dir, "unmasked", architecture={"mask_zero": False})
    handle(session, f":model {path}")
    outcome = handle(session, ":tokens a good film")
    assert outcome.data["mask_zero"] is False
    assert "mask        none (mask_zero off)" in shown(outcome)
    assert "padded      [3 49 19 0 … 0]  in a Keras batch: 297 zeros up to max_length 300" in shown(outcome)


def test_prefix_traces_p_after_each_word(session):
    outcome = handle(session, ":prefix not bad at all")
    expected = explain(session.classifier, "not bad at all")
    assert [t["after"] for t in outcome.data["tokens"]] == pytest.approx(expected.prefix.tolist(), abs=1e-6)
    assert f"{expected.prefix[0]:.3f} → {expected.probability:.3f} ({expected.label})" in shown(outcome)


def test_model_shows_and_switches_the_classifier(session, models_dir):
    outcome = handle(session, ":model")
    assert shown(outcome).startswith("using imdb-bilstm: BiLSTM 32, vocab 20,000, held-out accuracy")
    assert outcome.data["accuracy"] == session.classifier.card.held_out_accuracy  # the card's, not 3 shown decimals
    shutil.copytree(SHIPPED_MODEL, models_dir / "mine")
    outcome = handle(session, ":model mine")
    assert outcome.error is None and session.classifier.stored.path == models_dir / "mine"
    assert shown(outcome).startswith("now using")


def test_model_refuses_vectors_and_unknown_names_and_keeps_the_current_one(session):
    before = session.classifier
    assert handle(session, ":model imdb-cbow").error == "imdb-cbow is word vectors, not a classifier (:vectors imdb-cbow queries its words)"
    assert "no model named 'nope'" in handle(session, ":model nope").error
    assert session.classifier is before


def test_vectors_shows_and_switches_the_space(session):
    assert handle(session, ":vectors").data == {"vectors": "planted", "words": 16, "dimension": 8, "source_kind": "vectors",
                                                 "can_guess": True}
    outcome = handle(session, ":vectors imdb-bilstm")
    assert outcome.data["source_kind"] == "classifier" and "cannot guess" in shown(outcome)
    assert handle(session, ":nn good 1").data["vectors"] == "imdb-bilstm"
    assert "no output layer" in handle(session, ":guess a ___ film").error
    assert "no model named" in handle(session, ":vectors nope").error and session.vectors.name == "imdb-bilstm"


def test_models_lists_and_marks_the_ones_in_use(session, models_dir):
    shutil.copytree(SHIPPED_VECTORS, models_dir / "my-vectors")
    session.use_vectors("my-vectors")
    outcome = handle(session, ":models")
    rows = {row["name"]: row for row in outcome.data["models"]}
    assert rows["imdb-bilstm"]["in_use"] and rows["my-vectors"]["in_use"] and not rows["imdb-cbow"]["in_use"]
    assert rows["my-vectors"]["source"] == "user" and rows["imdb-bilstm"]["kind"] == "classifier"
    assert rows["imdb-bilstm"]["accuracy"] == session.classifier.card.held_out_accuracy
    assert rows["imdb-cbow"]["accuracy"] is None
    assert rows["imdb-lstm"]["source"] == "shipped" and not rows["imdb-lstm"]["in_use"]
    assert rows["imdb-lstm"]["accuracy"] == load_model(SHIPPED_LSTM).card.held_out_accuracy
    assert "→ imdb-bilstm *" in shown(outcome)


def test_help_lists_every_command_and_explains_each(session):
    listing = shown(handle(session, ":help"))
    for command in COMMANDS:
        assert command.usage in listing
        detail = handle(session, f":help {command.name}")
        assert detail.error is None and command.summary in shown(detail)
    assert "(also :neighbours, :neighbors)" in shown(handle(session, ":help :nn"))
    assert {c["name"] for c in handle(session, ":h").data["commands"]} == {c.name for c in COMMANDS}


def test_every_alias_finds_its_command():
    for name, command in BY_NAME.items():
        assert find(name.upper()) is command


def test_quit_stops(session):
    outcome = handle(session, ":quit")
    assert outcome.quit and outcome.blank and outcome.command == "quit"


def test_session_locates_the_vectors_at_start_and_reads_them_on_first_use(planted_vectors):
    from rnnplay.errors import RnnplayError
    from rnnplay.repl.session import Session

    session = Session("imdb-bilstm", str(planted_vectors))
    assert not session.vectors_loaded and session.vectors_name == "planted"
    assert session.vectors.name == "planted" and session.vectors_loaded
    with pytest.raises(RnnplayError, match="no model named 'nope'"):
        Session("imdb-bilstm", "nope")
    with pytest.raises(RnnplayError, match="not a classifier"):
        Session("imdb-cbow", "imdb-cbow")
    assert session.model_names() == sorted({p.name for p in (resolve("imdb-bilstm").parent.iterdir()) if p.is_dir()})


@pytest.mark.parametrize("given", ["³", "٣", "𝟑", "²", "Ⅻ", "½", "-1", "+5", "5.0", "1e3", "0", "1001", "0x10",
                                   "9" * 5000, "99999999999999999999"])
def test_k_is_a_whole_number_in_ascii_digits_or_one_usage_line(session, given):
    """``str.isdigit`` takes ``³``, which ``int`` refuses; ``int`` refuses 5,000 digits: each was a dead session."""
    for line, usage in ((f":nn good {given}", ":nn WORD [k]"), (f":analogy actor man woman {given}", ":analogy A B C [k]")):
        outcome = handle(session, line)
        assert outcome.error.startswith("k must be a whole number from 1 to 1,000, not '") and len(outcome.error) < 120
        assert outcome.error.endswith(f"(usage: {usage})")


def test_k_may_have_leading_zeros_and_reach_the_limit(session):
    assert len(handle(session, ":nn good 0002").data["results"]) == 2
    assert handle(session, ":nn good 1000").error is None and handle(session, ":nn good 00001000").error is None


def test_a_home_folder_that_does_not_exist_is_one_usage_line(session):
    """pathlib raises RuntimeError for ``~someone`` it cannot expand; store.resolve turns it into one line."""
    for line in (":model ~nosuchuser", ":vectors ~nosuchuser/models/x"):
        error = handle(session, line).error
        assert error.startswith("cannot look for the model '~") and error.endswith("no such user's home folder")
    assert handle(session, ":model ~ good").error.startswith(":model takes one model name or folder, not '~ good'")
    assert "no model folder at" in handle(session, ":model ~/no-such-model-here").error


EVIL = "ev\x1b]0;title\x07il\u202e"


@pytest.mark.parametrize("line", [":model", ":vectors", ":sim good great", ":tokens good", "good " * 310])
def test_views_escape_model_names(session, line):
    """A name comes from a folder or a card: its escape codes must show as text, not retitle the terminal."""
    session.classifier.name = session.vectors.name = EVIL
    text = shown(handle(session, line))
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "ev\\x1b]0;title\\x07il\\u202e" in text


def test_a_model_with_a_malformed_card_is_not_switched_to(session, models_dir):
    """A card whose metrics are not a table: the loader refuses it in one line and the old model stays."""
    card_path = shutil.copytree(SHIPPED_MODEL, models_dir / "odd") / "card.json"
    card = json.loads(card_path.read_text())
    card["metrics"] = "not a table"
    card_path.write_text(json.dumps(card))
    before = session.classifier
    outcome = handle(session, ":model odd")
    assert "metrics must be a JSON object, not a text" in outcome.error and "\n" not in outcome.error
    assert session.classifier is before
    assert handle(session, "a wonderful film").error is None


def test_errors_shows_the_confusion_matrix_and_the_surest_mistakes(session, tmp_path):
    """On the last-word model of tests/test_mistakes.py, whose test split is known by hand."""
    from tests.test_mistakes import write_corpus, write_last_word_model

    model = write_last_word_model(tmp_path / "last-word", str(write_corpus(tmp_path / "reviews.csv")))
    handle(session, f":model {model}")
    outcome = handle(session, ":errors 2")
    assert outcome.error is None and outcome.command == "errors"
    assert outcome.data["confusion"] == {"true_negative": {"predicted_negative": 1, "predicted_positive": 1},
                                         "true_positive": {"predicted_negative": 2, "predicted_positive": 1}}
    assert outcome.data["accuracy"] == 0.4 and outcome.data["matches_card"] is True and outcome.data["misclassified"] == 3
    assert [m["text"].split()[0] for m in outcome.data["mistakes"]] == ["row11", "row24"]  # the limit, surest first
    text = shown(outcome)
    assert "3 misclassified, accuracy 0.4000 (as on its card)" in text
    assert "the 2 most confident mistakes of 3" in text and "row11 the film was bad" in text and "row19" not in text
    assert len(handle(session, ":errors").data["mistakes"]) == 3  # 10 by default: all three


@pytest.mark.parametrize("line, message", [
    (":errors 0", "N must be a whole number from 1 to 1,000, not '0' (usage: :errors [N])"),
    (":errors ³", "N must be a whole number from 1 to 1,000, not '³' (usage: :errors [N])"),
    (":errors 1001", "N must be a whole number from 1 to 1,000, not '1001' (usage: :errors [N])"),
    (":errors 1 2", "usage: :errors [N]"),
])
def test_errors_arguments_are_one_usage_line(session, line, message):
    assert handle(session, line).error == message


def test_errors_of_a_model_without_a_split_is_one_line(session, tmp_path):
    from tests.test_mistakes import write_last_word_model

    handle(session, f":model {write_last_word_model(tmp_path / 'imported', None, imported_from='x.keras')}")
    outcome = handle(session, ":errors")
    assert outcome.error == "imported has no test split to check it on (an imported model keeps none)"


def test_inside_prints_the_five_views_and_gives_the_arrays(session, shared_profiles, monkeypatch):
    monkeypatch.setenv("RNNPLAY_PROFILES_DIR", str(shared_profiles))
    outcome = handle(session, ":inside not bad at all")
    text = shown(outcome)
    assert outcome.error is None and outcome.data["tokens"] == ["not", "bad", "at", "all"]
    assert len(outcome.data["layers"][0][0]["h"]) == 4 and outcome.data["stream"]["steps_every_word"] == 4 + 4 * 5 // 2
    assert outcome.data["profile"] is not None and outcome.data["path"] is not None
    for title in ("Step by step", "Gradient through time", "Memory span", "Sentiment axis", "Stream vs re-read"):
        assert title in text
    assert "word 4 of 4" in text and "held-out" in text


def test_map(session):
    outcome = handle(session, ":map good,great bad,awful king")
    assert outcome.error is None and [m["name"] for m in outcome.data["maps"]] == ["planted", "imdb-bilstm"]
    assert [p["word"] for p in outcome.data["maps"][0]["points"]] == ["good", "great", "bad", "awful", "king"]
    assert "planted (word vectors)" in shown(outcome)


def test_guess_dissected(session):
    outcome = handle(session, ":guess --dissect --exclude-context The film ___ was plot")
    assert outcome.error is None and outcome.data["exclude_context"]
    plain = session.vectors.guess("The film ___ was plot", k=10, exclude_context=True)
    assert [(r["word"], r["probability"]) for r in outcome.data["final"]] == [(w, pytest.approx(p)) for w, p in plain]
    assert "gensim: softmax(W′·h)" in shown(outcome)
