"""Line mode as scripts use it: one result per line, end of input ends it, bad lines are one error each."""

from __future__ import annotations

import io
import json

from rnnplay.lines import Line
from rnnplay.repl.pipe import read_lines
from tests.repl.conftest import blocks, run_script

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
