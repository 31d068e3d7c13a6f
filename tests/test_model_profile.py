"""The corpus profile of a saved model: computed over its own held-out reviews, cached per weights, and a
damaged, foreign or hostile cache file recomputed, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnplay import limits
from rnnplay.errors import Cancelled, RnnplayError
from rnnplay.model_profile import cache_file, cached_profile, model_profile, profiles_dir, weights_digest
from rnnplay.runtime.classifier import Classifier
from tests.bounded import child_env, memory_cap
from tests.conftest import SHIPPED_MODEL, TINY_VOCAB, classifier_arrays, classifier_card, write_raw_model
from tests.test_mistakes import write_corpus


def write_model(folder: Path, corpus: Path | None, seed: int = 0, **architecture) -> Path:
    card = classifier_card(folder.name, **{"units": 3, "bidirectional": True, **architecture})
    if corpus is not None:
        card["training"] = {"corpus": str(corpus), "split_seed": seed, "split": {"train": 18, "validation": 2, "test": 5}}
    return write_raw_model(folder, card, classifier_arrays(card), TINY_VOCAB)


@pytest.fixture
def model(tmp_path: Path) -> Classifier:
    return Classifier.load(write_model(tmp_path / "tiny", write_corpus(tmp_path / "reviews.csv")))


def test_the_profile_is_computed_once_then_read_from_the_cache(model: Classifier, tmp_path: Path) -> None:
    seen: list[float] = []
    first = model_profile(model, progress=seen.append)
    assert not first.cached and first.cache_problem == ""
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    assert first.texts == 5 and first.corpus == str(tmp_path / "reviews.csv") and first.seed == 0
    # the five held-out texts read "rowNN the film was WORD": 5 tokens each, so the cut is 5 words
    assert first.profile.connectivity.reviews == 5 and first.profile.connectivity.length == 5
    path = cache_file(model)
    assert path.parent == profiles_dir() == tmp_path / "profiles" and path.name == f"{weights_digest(model)}.json"
    assert weights_digest(model) == model.card.files["weights.npz"]
    second = model_profile(model, progress=seen.append)
    assert second.cached and seen[-1] == 1.0
    assert json.dumps(second.profile.to_json()) == json.dumps(first.profile.to_json())
    assert second.to_json()["cached"] is True and second.to_json()["weights_sha256"] == weights_digest(model)


def test_refresh_recomputes_and_a_renamed_copy_shares_the_cache(model: Classifier, tmp_path: Path) -> None:
    model_profile(model)
    assert not model_profile(model, refresh=True).cached
    copy = Classifier.load(write_model(tmp_path / "copy", tmp_path / "reviews.csv"))
    assert copy.name != model.name and cached_profile(copy) is not None


def test_another_split_or_other_weights_do_not_use_the_cache(model: Classifier, tmp_path: Path) -> None:
    model_profile(model)
    reseeded = Classifier.load(write_model(tmp_path / "reseeded", tmp_path / "reviews.csv", seed=1))
    assert cached_profile(reseeded) is None  # same weights, another split: recomputed
    assert not model_profile(reseeded).cached and model_profile(reseeded).seed == 1
    other = Classifier.load(write_model(tmp_path / "other", tmp_path / "reviews.csv", units=4))
    assert cache_file(other) != cache_file(model) and cached_profile(other) is None


def test_a_model_not_saved_yet_is_keyed_by_its_arrays(model: Classifier, tmp_path: Path) -> None:
    stored = model.stored
    unsaved = Classifier.in_memory(tmp_path / "unsaved", {k: v for k, v in stored.card.raw.items() if k != "files"},
                                   stored.arrays, stored.vocabulary)
    digest = weights_digest(unsaved)
    assert len(digest) == 64 and digest != weights_digest(model)
    changed = dict(stored.arrays, embedding=stored.arrays["embedding"] + 1)
    assert weights_digest(Classifier.in_memory(tmp_path / "u2", dict(unsaved.card.raw), changed, stored.vocabulary)) != digest
    assert model_profile(unsaved).cache_problem == "" and cached_profile(unsaved) is not None


DAMAGE = {
    "empty": b"",
    "not json": b"\x00\xff garbage",
    "truncated": None,  # the first half of a good file
    "a list": b"[]",
    "no profile": None,
    "wrong shape": None,
    "nan": None,
    "deep": b"[" * 100_000 + b"]" * 100_000,
}


def damaged(kind: str, good: bytes) -> bytes:
    content = DAMAGE[kind]
    if content is not None:
        return content
    data = json.loads(good)
    if kind == "truncated":
        return good[: len(good) // 2]
    if kind == "no profile":
        del data["profile"]
    elif kind == "wrong shape":
        data["profile"]["axis"]["readout"] = [1.0, 2.0]
    elif kind == "nan":
        return good.replace(b'"mean":0', b'"mean":NaN', 1) if b'"mean":0' in good else good.replace(b'"seconds":', b'"seconds":NaN,"x":', 1)
    return json.dumps(data).encode()


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_damaged_cache_file_is_recomputed_and_replaced(model: Classifier, kind: str) -> None:
    model_profile(model)
    path = cache_file(model)
    good = path.read_bytes()
    path.write_bytes(damaged(kind, good))
    assert cached_profile(model) is None
    again = model_profile(model)
    assert not again.cached and again.cache_problem == ""
    assert cached_profile(model) is not None and json.loads(path.read_bytes())["header"] == json.loads(good)["header"]


def test_a_cache_file_over_the_limit_is_not_read(model: Classifier, monkeypatch: pytest.MonkeyPatch) -> None:
    model_profile(model)
    size = cache_file(model).stat().st_size
    monkeypatch.setattr(limits, "MAX_PROFILE_BYTES", size - 1)
    assert cached_profile(model) is None
    monkeypatch.setattr(limits, "MAX_PROFILE_BYTES", size)
    assert cached_profile(model) is not None


@pytest.mark.parametrize("kind", ["folder", "fifo", "symlink"])
def test_something_else_in_the_cache_file_s_place_is_no_cache(model: Classifier, tmp_path: Path, kind: str) -> None:
    path = cache_file(model)
    path.parent.mkdir(parents=True)
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        model_profile(model)
        target = tmp_path / "elsewhere.json"
        path.rename(target)
        path.symlink_to(target)
    assert cached_profile(model) is None  # a link is not followed, a pipe not waited on
    result = model_profile(model)
    assert not result.cached
    if kind == "folder":
        assert "is a folder" in result.cache_problem and "\n" not in result.cache_problem
    else:
        assert result.cache_problem == "" and cached_profile(model) is not None  # replaced by a plain file


def test_a_cache_that_cannot_be_written_does_not_fail_the_profile(model: Classifier, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RNNPLAY_PROFILES_DIR", str(blocker / "profiles"))
    result = model_profile(model)
    assert result.profile.axis is not None and result.cache_problem.startswith("cannot write ")
    assert "\n" not in result.cache_problem and cached_profile(model) is None


def test_the_cache_lives_in_the_user_s_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("RNNPLAY_PROFILES_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert profiles_dir() == tmp_path / "data" / "rnnplay" / "profiles"


def test_a_model_without_a_test_split_says_so_in_one_line(tmp_path: Path) -> None:
    imported = Classifier.load(write_model(tmp_path / "imported", None))
    with pytest.raises(RnnplayError, match="no test split") as raised:
        model_profile(imported)
    assert "\n" not in str(raised.value)
    assert cached_profile(imported) is None


def test_stopping_ends_the_computation(model: Classifier) -> None:
    with pytest.raises(Cancelled):
        model_profile(model, should_stop=lambda: True)
    assert not cache_file(model).exists()


JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
                    max_leaves=10)


def leaves(value: object, path: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in leaves(v, path + (k,))] + [path]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in leaves(v, path + (i,))] + [path]
    return [path]


@pytest.fixture(scope="module")
def good_cache(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    folder = tmp_path_factory.mktemp("hostile")
    model = Classifier.load(write_model(folder / "tiny", write_corpus(folder / "reviews.csv")))
    model_profile(model, folder=folder / "profiles")
    return folder / "tiny", cache_file(model, folder / "profiles").read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choice=st.integers(0, 10**6), replacement=JSON)
def test_any_one_field_replaced_is_checked_never_a_traceback(good_cache: tuple[Path, bytes], choice: int, replacement: object,
                                                             tmp_path: Path) -> None:
    folder, good = good_cache
    model = Classifier.load(folder)
    data = json.loads(good)
    paths = leaves(data)
    path = paths[choice % len(paths)]
    if not path:
        data = replacement
    else:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = replacement
    cache = tmp_path / "cache"
    cache.mkdir(exist_ok=True)
    (cache / f"{weights_digest(model)}.json").write_text(json.dumps(data))
    found = cached_profile(model, cache)  # a profile that fits the model, or None: nothing else
    assert found is None or found.profile.axis.cloud.shape[1] == 2


def test_reading_a_huge_cache_file_stays_within_its_bound(model: Classifier, tmp_path: Path) -> None:
    """A 4 GB file where the cache should be is refused after reading at most MAX_PROFILE_BYTES, in a capped process."""
    path = cache_file(model)
    path.parent.mkdir(parents=True)
    with path.open("wb") as f:
        f.truncate(4 << 30)  # sparse: no disk used
    script = ("import sys; from pathlib import Path; from rnnplay.runtime.classifier import Classifier; "
              "from rnnplay.model_profile import cached_profile; "
              "print(cached_profile(Classifier.load(Path(sys.argv[1]))))")
    result = subprocess.run([sys.executable, "-c", script, str(model.stored.path)], capture_output=True, text=True,
                            preexec_fn=memory_cap(), timeout=120, env=child_env(RNNPLAY_PROFILES_DIR=str(path.parent)))
    assert result.returncode == 0 and result.stdout == "None\n", result.stderr[-2000:]


@pytest.fixture(scope="module")
def shipped_profile(tmp_path_factory: pytest.TempPathFactory):
    return model_profile(Classifier.load(SHIPPED_MODEL), folder=tmp_path_factory.mktemp("shipped-profile"))


def test_the_shipped_bilstm_reproduces_the_reference_figures(shipped_profile) -> None:
    """The figures the issue and DESIGN.md report (200 reviews of 300 words; 1,000 reviews for the axis)."""
    profile = shipped_profile.profile
    forward, backward = profile.connectivity.first_half
    assert forward == pytest.approx(0.132, abs=0.005) and backward == pytest.approx(0.967, abs=0.005)
    assert profile.connectivity.together == pytest.approx(0.39, abs=0.01)
    assert profile.memory.mean == pytest.approx(0.742, abs=0.003) and profile.memory.saturated == pytest.approx(0.028, abs=0.003)
    assert profile.memory_at_init.mean == pytest.approx(0.731, abs=0.003) and profile.memory_at_init.saturated == 0.0
    assert profile.axis.pca.explained[0] == pytest.approx(0.42, abs=0.01)
    assert profile.axis.forward.explained[0] == pytest.approx(0.64, abs=0.01)
    assert profile.axis.pca.r == pytest.approx(0.991, abs=0.005)
    assert shipped_profile.texts == 6706 and profile.axis.reviews == 1000 and profile.connectivity.reviews == 200
