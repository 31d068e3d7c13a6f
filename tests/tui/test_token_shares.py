"""The shares ranking: known words only, repeated words grouped, zero shares left out, both scales."""

from __future__ import annotations

import numpy as np
import pytest

from rnnplay.runtime.explain import Explanation
from rnnplay.text import OOV_ID
from rnnplay.tui.widgets.token_shares import grouped, movers, ranked


def made(tokens: list[str], shares: list[float], unknown: tuple[str, ...] = (), logit_shares: list[float] | None = None) -> Explanation:
    """An explanation with the given shares (``unknown``: the tokens read as [UNK])."""
    ids = np.array([OOV_ID if t in unknown else 10 + i for i, t in enumerate(tokens)])
    values = np.array(shares)
    return Explanation(tokens, ids, 0.6, values, np.full(len(tokens), 0.6), 0, False, None, 0.4,
                       np.array(logit_shares) if logit_shares is not None else 4 * values)


def test_unknown_words_are_not_ranked_but_summed_apart() -> None:
    explanation = made(["great", "zxqv", "film", "blorp"], [0.2, -0.013, 0.05, -0.004], unknown=("zxqv", "blorp"))
    up, down, unknown = ranked(explanation)
    assert [m.token for m in up] == ["great", "film"] and down == []
    assert unknown is not None and unknown.count == 2 and unknown.share == pytest.approx(-0.017)
    line = movers(explanation).plain
    assert "zxqv" not in line and "blorp" not in line
    assert line.splitlines()[1] == "unknown words, not ranked: [UNK] ×2 together -0.017"


def test_a_repeated_word_is_one_entry_with_its_shares_summed() -> None:
    explanation = made(["good", "and", "good"], [0.1, 0.02, 0.05])
    movers_, _ = grouped(explanation, logit=False)
    assert [(m.token, m.count) for m in movers_] == [("good", 2), ("and", 1)]
    line = movers(explanation).plain
    assert line.count("good") == 1 and "good ×2 +0.150" in line
    assert "×n: the shares of its n occurrences summed" in line


def test_shares_that_round_to_zero_are_left_out() -> None:
    explanation = made(["a", "wonderful", "film"], [0.0004, 0.3, -0.0004])
    line = movers(explanation).plain
    assert "wonderful +0.300" in line
    assert " a " not in f" {line} " and "film" not in line and "down" not in line
    assert ranked(made(["zxqv"], [0.0001], unknown=("zxqv",)))[2] is None  # unknown words that did nothing: not mentioned
    assert "no known word moved it" in movers(made(["the"], [0.0002])).plain


def test_the_logit_scale_ranks_logit_shares_at_its_own_precision() -> None:
    explanation = made(["bad", "not"], [-0.001, 0.0004], logit_shares=[-0.8, 0.3])
    assert "down bad -0.001" in movers(explanation).plain and "not" not in movers(explanation).plain
    line = movers(explanation, logit=True).plain
    assert "up not +0.30" in line and "down bad -0.80" in line
