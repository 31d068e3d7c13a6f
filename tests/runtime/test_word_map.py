"""The map of words: the PCA plane of the chosen words' unit vectors, its variance share, the words left off."""

from __future__ import annotations

import numpy as np
import pytest

from rnnplay.errors import RnnplayError
from rnnplay.runtime.vectors import Vectors, unit_rows
from rnnplay.runtime.word_map import DEFAULT_GROUPS, parse_groups, word_map, word_maps


def test_groups_from_arguments():
    assert parse_groups(["good,great", "bad", ",,"]) == [["good", "great"], ["bad"]]
    assert parse_groups([]) == [list(group) for group in DEFAULT_GROUPS]


def test_the_plane_is_the_principal_components_of_the_unit_vectors(planted_vectors):
    space = Vectors.load(planted_vectors)
    words = ["good", "great", "excellent", "bad", "awful", "king", "queen"]
    result = word_map(space, [words[:3], words[3:5], words[5:]])
    rows = unit_rows(space.vectors[[space.key_to_index[w] for w in words]]).astype(np.float64)
    centred = rows - rows.mean(axis=0)
    singular = np.linalg.svd(centred, compute_uv=False)
    shares = singular**2 / (singular**2).sum()
    assert result.explained == pytest.approx(tuple(shares[:2]))
    assert result.kept == pytest.approx(shares[:2].sum())
    xy = np.array([(p.x, p.y) for p in result.points])
    # the plane keeps each point's distance to the others as far as two components can: the projected
    # squared distances sum to the first two components' variance
    assert (xy**2).sum() == pytest.approx((singular[:2] ** 2).sum())
    assert [p.word for p in result.points] == words and [p.group for p in result.points] == [0, 0, 0, 1, 1, 2, 2]


def test_missing_and_repeated_words(planted_vectors):
    space = Vectors.load(planted_vectors)
    result = word_map(space, [["Good", "good", "zzzq"], ["bad", "two words"]])
    assert [p.word for p in result.points] == ["good", "bad"] and result.missing == ("zzzq", "two words")
    assert result.explained[0] == pytest.approx(1.0) and result.explained[1] == pytest.approx(0.0, abs=1e-9)
    lonely = word_map(space, [["good", "zzzq"]])
    assert lonely.points == () and lonely.missing == ("zzzq",)
    assert lonely.to_json()["points"] == []


def test_the_shipped_spaces_side_by_side(planted_vectors, shipped_classifier):
    maps = word_maps([Vectors.load(planted_vectors), None, Vectors.from_stored(shipped_classifier.stored)],
                     parse_groups([]))
    assert [m.name for m in maps] == ["planted", "imdb-bilstm"]
    assert maps[0].missing == ("terrible",) and maps[1].missing == ()
    assert all(0 < m.kept <= 1 + 1e-9 for m in maps)
    with pytest.raises(RnnplayError, match="give some words"):
        word_maps([maps and Vectors.load(planted_vectors)], [[]])
