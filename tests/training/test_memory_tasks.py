"""The Memory lab's task generators: deterministic for a seed, and their targets what the tasks say."""

from __future__ import annotations

import numpy as np
import pytest

from rnnplay.training.memory_tasks import ADDING_TOLERANCE, TASKS, TaskData, chance, generate, mean_baseline, split, swap_decisive, within


@pytest.mark.parametrize("task", TASKS)
def test_the_same_seed_gives_the_same_sequences_and_another_seed_others(task):
    a, b, c = generate(task, 50, 30, 7), generate(task, 50, 30, 7), generate(task, 50, 30, 8)
    np.testing.assert_array_equal(a.inputs, b.inputs)
    np.testing.assert_array_equal(a.targets, b.targets)
    assert not np.array_equal(a.inputs, c.inputs)


def test_the_first_token_is_the_label_and_the_rest_is_noise():
    data = generate("first", 2000, 20, 1)
    assert data.inputs.shape == (2000, 20) and data.kind == "binary"
    np.testing.assert_array_equal(data.inputs[:, 0], data.targets)
    assert set(np.unique(data.targets)) == {0, 1}
    assert set(np.unique(data.inputs[:, 1:])) == set(range(data.vocab))  # the noise uses every token, 0 and 1 too
    later = data.inputs[:, 1:]
    for t in range(later.shape[1]):  # the noise says nothing about the label
        assert abs(np.corrcoef(later[:, t], data.targets)[0, 1]) < 0.1


@pytest.mark.parametrize("scaled", [False, True])
def test_the_adding_target_is_the_marked_values(scaled):
    data = generate("adding", 500, 40, 3, scaled=scaled)
    values, markers = data.inputs[..., 0], data.inputs[..., 1]
    assert data.inputs.shape == (500, 40, 2) and data.kind == "regression"
    np.testing.assert_array_equal(markers.sum(axis=1), 2)
    np.testing.assert_array_equal(markers[:, :20].sum(axis=1), 1)  # one marked in each half
    total = (values * markers).sum(axis=1)
    expected = 0.5 + total / 4 if scaled else total
    np.testing.assert_allclose(data.targets, expected, rtol=1e-6)
    assert values.min() >= (-1.0 if scaled else 0.0) and values.max() < 1.0


def test_the_adding_baseline_is_the_variance_of_the_targets():
    train, test = split("adding", 20_000, 30, 4)
    assert mean_baseline(train, test) == pytest.approx(1 / 6, rel=0.05)  # var(U + U) = 2/12
    assert within(test.targets + ADDING_TOLERANCE / 2, test.targets) == 1.0
    assert within(test.targets + 2 * ADDING_TOLERANCE, test.targets) == 0.0


def test_temporal_order_places_its_symbols_as_trainingrnns_does():
    length = 50
    data = generate("order", 1000, length, 5)
    ids = data.inputs
    assert data.kind == "classes" and data.classes == 4
    marked = ids < 2
    np.testing.assert_array_equal(marked.sum(axis=1), 2)
    first = marked.argmax(axis=1)
    second = length - 1 - marked[:, ::-1].argmax(axis=1)
    assert first.min() >= 5 and first.max() < 10  # [T/10, 2T/10)
    assert second.min() >= 25 and second.max() < 30  # [5T/10, 6T/10)
    rows = np.arange(len(ids))
    np.testing.assert_array_equal(data.targets, ids[rows, first] + 2 * ids[rows, second])
    assert set(np.unique(data.targets)) == {0, 1, 2, 3}
    assert set(np.unique(ids[~marked])) == {2, 3, 4, 5}


def test_the_test_split_is_drawn_apart_and_chance_is_measured():
    train, test = split("first", 100, 10, 0)
    assert (len(train), len(test)) == (80, 20)
    assert not any((test.inputs == row).all(axis=1).any() for row in train.inputs[:20])
    assert 0.2 <= chance(train, test) <= 0.8


def test_bad_requests_are_refused():
    with pytest.raises(ValueError, match="unknown task"):
        generate("copy", 10, 10, 0)
    with pytest.raises(ValueError, match="at least 10"):
        generate("order", 10, 9, 0)


def right_answer(task: str, inputs: np.ndarray) -> np.ndarray:
    """The label the task's rule gives these inputs, read back from the tokens (independently of the generator)."""
    if task == "first":
        return inputs[:, 0]
    marked = [np.flatnonzero(row < 2) for row in inputs]
    return np.array([row[m[0]] + 2 * row[m[1]] for row, m in zip(inputs, marked)])


@pytest.mark.parametrize("task", ["first", "order"])
def test_swapping_the_decisive_token_changes_one_token_and_every_right_answer(task):
    data = generate(task, 300, 40, 5)
    swapped = swap_decisive(data)
    assert swapped is not None and data.inputs is not swapped
    np.testing.assert_array_equal(np.sum(swapped != data.inputs, axis=1), 1)
    np.testing.assert_array_equal(right_answer(task, data.inputs), data.targets)
    assert np.all(right_answer(task, swapped) != data.targets)
    np.testing.assert_array_equal(right_answer(task, swap_decisive(TaskData(task, swapped, data.targets))), data.targets)


def test_the_adding_problem_has_no_decisive_token_to_swap():
    assert swap_decisive(generate("adding", 10, 20, 0)) is None
