"""Line mode as scripts use it: one result per line, end of input ends it, bad lines are one error each."""

from __future__ import annotations

import io
import json
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnplay.lines import Line
from rnnplay.printable import is_printable
from rnnplay.repl.pipe import read_lines
from tests.conftest import PLANTED_WORDS, SHIPPED_MODEL, planted_arrays, write_raw_model
from tests.repl.conftest import blocks, run_script
from tests.repl.strategies import input_lines

EVERY_COMMAND = [
    ("a wonderful film", "positive"), (":classify dull and boring", "negative"), (":nn good 2", "nearest to 'good'"),
    (":analogy actor man woman 1", "actor − man + woman"), (":sim good great", "cosine(good, great)"),
    (":guess the film ___ was plot", "context (2 each side)"), (":tokens a film", "2 tokens, 0 out of vocabulary"),
    (":prefix a film", "P(positive) word by word"), (":model", "using imdb-bilstm"), (":models", "imdb-bilstm *"),
    (":vectors", "using planted"), (":help", ":help [COMMAND]"), (":help sim", ":sim A B"),
    (":train --help", "Usage: rnnplay train [OPTIONS]"), (":cbow eval --help", "Usage: rnnplay cbow eval"),
    (":frob", "error: unknown command :frob"), (":nn zzzz", "error: \"zzzz\" is not in planted's vocabulary"),
]


def test_every_command_gives_one_block_in_order(session):
    script = "".join(f"{line}\n" for line, _ in EVERY_COMMAND).encode()
    code, output = run_script(session, script)
    found = blocks(output)
    assert len(found) == len(EVERY_COMMAND)
    for block, (line, expected) in zip(found, EVERY_COMMAND):
        assert expected in block, (line, block)
    assert code == 1  # two lines failed; the rest still ran


def test_a_thousand_lines_give_a_thousand_blocks(session):
    lines = ["a wonderful film", "dull", ":sim good bad", ":nn great 3", ":frob"] * 200
    code, output = run_script(session, "\n".join(lines).encode() + b"\n")
    assert len(blocks(output)) == 1000 and code == 1
    assert output.count("error: unknown command :frob") == 200


def test_a_thousand_lines_give_a_thousand_json_objects(session):
    lines = ["a wonderful film", "", ":nn good 1", "\udcff", ":quitt"] * 200  # \udcff: the lone byte 0xff
    script = "\n".join(lines).encode("utf-8", "surrogateescape") + b"\n"
    code, output = run_script(session, script, json_lines=True)
    records = [json.loads(line) for line in output.splitlines()]
    assert code == 1 and len(records) == 1000 and [r["line"] for r in records] == list(range(1, 1001))
    assert [r["command"] for r in records[:5]] == ["classify", None, "nn", None, "quitt"]
    assert records[1] == {"line": 2, "command": None, "blank": True}
    assert records[3] == {"line": 4, "command": None, "error": "line 4: invalid UTF-8 (byte 0xff at byte 1)"}


def test_blank_lines_give_no_block_but_a_json_object(session):
    code, output = run_script(session, b"\n   \ngood\n\n")
    assert code == 0 and len(blocks(output)) == 1
    code, output = run_script(session, b"\n   \ngood\n\n", json_lines=True)
    assert [json.loads(line).get("blank") for line in output.splitlines()] == [True, True, None, True]


def test_end_of_input_ends_at_once_with_or_without_a_last_newline(session):
    assert run_script(session, b"") == (0, "")
    code, output = run_script(session, b"good\nbad")
    assert code == 0 and len(blocks(output)) == 2


def test_quit_stops_reading(session):
    code, output = run_script(session, b"good\n:quit\nbad\n")
    assert code == 0 and len(blocks(output)) == 1
    code, output = run_script(session, b"good\n:q\nbad\n", json_lines=True)
    assert [json.loads(line)["command"] for line in output.splitlines()] == ["classify", "quit"]


def test_invalid_utf8_and_nul_are_one_error_each_and_the_rest_goes_on(session):
    code, output = run_script(session, b"good\n\xff\xfe bad\nnul\x00here\nfine film\n")
    found = blocks(output)
    assert code == 1 and len(found) == 4
    assert found[1] == "error: line 2: invalid UTF-8 (byte 0xff at byte 1)"
    assert found[2].startswith("error: line 3: contains a NUL byte") and "fine film" in found[3]


def test_very_long_lines_are_one_error_and_not_kept(session):
    code, output = run_script(session, b"good\n" + b"word " * 100_000 + b"\nbad\n")
    found = blocks(output)
    assert code == 1 and len(found) == 3 and "longer than 20,000 characters" in found[1]
    assert found[2].startswith("negative")


def test_read_lines_handles_crlf_bom_and_the_limit():
    stream = io.BytesIO(b"\xef\xbb\xbfgood\r\n" + b"x" * 50 + b"\nok")
    lines = list(read_lines(stream, max_chars=10))
    assert lines[0] == Line(1, "text", "good") and lines[1].kind == "error" and lines[2] == Line(3, "text", "ok")
    # the limit counts characters: ten two-byte characters fit in a ten-character limit
    assert list(read_lines(io.BytesIO(("é" * 10 + "\n").encode()), max_chars=10)) == [Line(1, "text", "é" * 10)]


def test_output_is_plain_text_for_a_blog_post(session):
    _, output = run_script(session, b"a wonderful film\n:nn good 3\n")
    assert "\x1b" not in output


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(input_lines(), min_size=1, max_size=12))
def test_n_lines_of_anything_give_n_json_objects_and_their_blocks(shipped_session, lines):
    """Any bytes, any text, any command (but the training ones): one object per line, until a :quit."""
    script = b"\n".join(lines) + b"\n"
    code, output = run_script(shipped_session, script, json_lines=True)
    records = [json.loads(row) for row in output.split("\n")[:-1]]
    assert [r["line"] for r in records] == list(range(1, len(records) + 1))
    assert len(records) == len(lines) or records[-1]["command"] == "quit"
    assert not any(r.get("error", "").startswith("internal error") for r in records)
    assert code == (1 if any("error" in r for r in records) else 0)
    assert all(is_printable(row) for row in output.splitlines())
    code, output = run_script(shipped_session, script)
    shown = [r for r in records if not r.get("blank") and (r["command"] != "quit" or "error" in r)]  # :quit x is refused
    assert len(blocks(output)) == len(shown) and all(is_printable(row) for row in output.splitlines())


HOSTILE = [b":nn good \xc2\xb3", b":", b"::", b":train \"--name", b":nn good " + b"9" * 5000, b"nul\x00", b"\xff\xfe",
           b"\xed\xa0\x80 surrogate", b"\x1b]0;title\x07 \x1b[2J", b":model \x1b[31m", b":help \x9b", b"x" * 20_001,
           b":analogy actor man woman 10000000000", b":guess", b":vectors ~nosuchuser", b"\r", b"a wonderful film"]


def test_hostile_lines_get_one_error_line_each_and_the_session_goes_on(session):
    code, output = run_script(session, b"\n".join(HOSTILE) + b"\n")
    found = blocks(output)
    assert code == 1 and len(found) == len(HOSTILE) - 1  # "\r" is a blank line
    assert found[0] == "error: k must be a whole number from 1 to 1,000, not '³' (usage: :nn WORD [k])"
    assert found[-1].startswith("positive") and all(is_printable(row) for row in output.splitlines())
    code, output = run_script(session, b"\n".join(HOSTILE) + b"\n", json_lines=True)
    assert len(output.splitlines()) == len(HOSTILE)


def test_what_files_hold_reaches_the_output_escaped(session, models_dir):
    """A vocabulary word and a folder name with escape codes, a BEL, C1 and a bidirectional override."""
    words = list(PLANTED_WORDS)
    words[words.index("great")] = "gr\x1b[31meat\x9b\u202e"
    hostile = "ev\x1b]0;pwned\x07il"  # no rnnplay command makes such a name; a user's mv or a crafted folder can
    card = {"name": hostile, "kind": "vectors", "architecture": {"method": "cbow", "vocab_size": 16, "dimension": 8, "window": 2},
            "text": {"standardize": "lower_and_strip_punctuation", "strip_markup": True, "max_length": None, "truncate": "start"}}
    write_raw_model(models_dir / hostile, card, planted_arrays(), words)
    script = b":vectors ev\x1b]0;pwned\x07il\n:nn good 3\n:guess the ___ was\n:models\n:vectors\n:sim good bad\n"
    code, output = run_script(session, script)
    assert code == 0 and len(blocks(output)) == 6
    assert all(is_printable(row) for row in output.splitlines()) and "gr\\x1b[31meat\\x9b\\u202e" in output
    assert "ev\\x1b]0;pwned\\x07il" in output
    code, output = run_script(session, script, json_lines=True)
    assert code == 0 and all(is_printable(row) for row in output.splitlines())
    records = [json.loads(row) for row in output.splitlines()]
    assert records[1]["results"][0]["word"] == "gr\x1b[31meat\x9b\u202e"  # the data stays exact
    assert records[0]["vectors"] == "ev\x1b]0;pwned\x07il"


def test_a_malformed_model_costs_lines_not_the_session(session, models_dir, allow_internal_errors):
    """A card the loader accepts today but classifying trips over (max_length a string): one object per line."""
    card_path = shutil.copytree(SHIPPED_MODEL, models_dir / "odd") / "card.json"
    card = json.loads(card_path.read_text())
    card["text"]["max_length"] = "300"
    card_path.write_text(json.dumps(card))
    script = b":model odd\ngood\n:tokens good\n:prefix good\n:model imdb-bilstm\na wonderful film\n"
    code, output = run_script(session, script, json_lines=True)
    records = [json.loads(row) for row in output.splitlines()]
    assert code == 1 and len(records) == 6 and all("\n" not in r.get("error", "") for r in records)
    assert records[4]["command"] == "model" and "error" not in records[4]
    assert records[5]["label"] == "positive"
