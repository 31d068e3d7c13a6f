"""The shares ranking: known words only, repeated words grouped, zero shares left out, both scales."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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

WORDS = st.sampled_from(["good", "bad", "not", "the", "zxqv", "blorp", "\x1b[31m", "a b"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORDS, st.floats(-1, 1, allow_nan=False)), min_size=1, max_size=30), st.booleans())
def test_any_text_ranks_each_known_word_once_with_its_summed_share(pairs, logit) -> None:
    tokens = [token for token, _ in pairs]
    shares = [share for _, share in pairs]
    explanation = made(tokens, shares, unknown=("zxqv", "blorp"), logit_shares=shares)
    up, down, unknown = ranked(explanation, logit)
    digits = 2 if logit else 3
    for group, sign in ((up, 1), (down, -1)):
        assert [m.share * sign for m in group] == sorted((m.share * sign for m in group), reverse=True)
        for mover in group:
            assert mover.token not in ("zxqv", "blorp") and round(mover.share, digits) != 0 and mover.share * sign > 0
            assert mover.count == tokens.count(mover.token)
            assert mover.share == pytest.approx(sum(s for t, s in pairs if t == mover.token))
    assert len({m.token for m in up + down}) == len(up + down)
    unknown_shares = [s for t, s in pairs if t in ("zxqv", "blorp")]
    if unknown is None:
        assert not unknown_shares or round(sum(unknown_shares), digits) == 0
    else:
        assert unknown.count == len(unknown_shares) and unknown.share == pytest.approx(sum(unknown_shares))
    line = movers(explanation, logit).plain
    assert "\x1b" not in line and "zxqv" not in line and "blorp" not in line
