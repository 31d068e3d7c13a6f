"""A map of chosen words: the 2-D principal-component plane of their vectors, in one space or several.

The same words land differently in CBOW's space (near: used in the same contexts, so "good" beside
"bad") and in a classifier's embedding (near: push the verdict the same way, so "good" beside
"great" and away from "bad"). Each map is the PCA of the chosen words' unit vectors (direction is what
cosine compares), so it keeps a share of their variance, reported with it: a plane that keeps little
of it is a poor picture of the distances. The PCA is ``profile.pca``'s (SVD of the centred rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from rnnplay.errors import RnnplayError
from rnnplay.runtime.profile import pca
from rnnplay.runtime.vectors import Vectors, unit_rows

DEFAULT_GROUPS: tuple[tuple[str, ...], ...] = (("good", "great", "excellent"), ("bad", "awful", "terrible"),
                                               ("actor", "actress", "king", "queen"))


@dataclass(frozen=True)
class MapPoint:
    word: str  # the token the space knows
    group: int  # which of the chosen groups it came in (colours the map)
    x: float  # along the first principal component
    y: float  # along the second


@dataclass(frozen=True)
class WordMap:
    name: str
    kind: str  # "word vectors" or "classifier"
    points: tuple[MapPoint, ...]
    missing: tuple[str, ...]  # chosen words the space has no vector for, left off the map
    explained: tuple[float, float]  # share of the words' variance along PC1 and PC2

    @property
    def kept(self) -> float:
        """The share of the chosen words' variance the plane keeps."""
        return sum(self.explained)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "explained": [round(v, 6) for v in self.explained],
                "kept": round(self.kept, 6), "missing": list(self.missing),
                "points": [{"word": p.word, "group": p.group, "x": round(p.x, 6), "y": round(p.y, 6)} for p in self.points]}


def parse_groups(items: Sequence[str]) -> list[list[str]]:
    """``["good,great", "bad"]`` → ``[["good", "great"], ["bad"]]``: a comma joins words into one group."""
    groups = [[word for word in item.split(",") if word.strip()] for item in items]
    return [group for group in groups if group] or [list(group) for group in DEFAULT_GROUPS]


def word_map(space: Vectors, groups: Sequence[Sequence[str]]) -> WordMap:
    """The chosen words on ``space``'s PC1–PC2 plane; words it lacks (or repeats) listed, not placed."""
    chosen: list[tuple[str, int]] = []
    missing: list[str] = []
    seen: set[str] = set()
    for number, group in enumerate(groups):
        for word in group:
            tokens = space.settings.tokens(word)
            token = tokens[0] if len(tokens) == 1 else None
            if token is None or token not in space.key_to_index:
                missing.append(word)
            elif token not in seen:
                seen.add(token)
                chosen.append((token, number))
    if len(chosen) < 2:
        return WordMap(space.name, space.kind, (), tuple(missing), (0.0, 0.0))
    rows = unit_rows(space.vectors[[space.key_to_index[token] for token, _ in chosen]])
    components = pca(rows, np.zeros(len(rows)), k=2)
    xy = components.project(rows)
    explained = (float(components.explained[0]), float(components.explained[1]) if len(components.explained) > 1 else 0.0)
    points = tuple(MapPoint(token, group, float(x), float(y)) for (token, group), (x, y) in zip(chosen, xy))
    return WordMap(space.name, space.kind, points, tuple(missing), explained)


def word_maps(spaces: Sequence[Vectors | None], groups: Sequence[Sequence[str]]) -> list[WordMap]:
    """One map per space given (None: left out), the same words chosen for each."""
    if not any(group for group in groups):
        raise RnnplayError("give some words to map")
    return [word_map(space, groups) for space in spaces if space is not None]
