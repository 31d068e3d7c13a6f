"""One text through every layer: what the Inside views read."""

from __future__ import annotations

import numpy as np
import pytest

from rnnplay.runtime.inside import GATES_SHOWN, MEMORY_GATE, trace, trace_ids
from rnnplay.text import OOV_ID
from tests.runtime.networks import EVERY_SHAPE, random_network


def test_the_shipped_model_reads_the_learners_sentence(shipped_classifier):
    text = "the first hour is dull, but the ending is wonderful"
    recorded = trace(shipped_classifier, text)
    assert recorded.tokens == ["the", "first", "hour", "is", "dull", "but", "the", "ending", "is", "wonderful"]
    assert recorded.words == 10 and recorded.directions == 2 and recorded.cell == "lstm"
    ids = shipped_classifier.encoder.encode(text)
    assert recorded.logit == pytest.approx(float(shipped_classifier.network.logits([ids])[0]), abs=1e-5)
    assert recorded.probability == pytest.approx(float(shipped_classifier.predict([text])[0]), abs=1e-6)
    forward, backward = recorded.layers[0]
    assert (forward.name, backward.name) == ("forward", "backward")
    assert set(forward.gates) == set(GATES_SHOWN["lstm"]) and MEMORY_GATE["lstm"] == "forget"
    np.testing.assert_array_equal(forward.x, shipped_classifier.network.embedding[ids])
    np.testing.assert_allclose(recorded.features, np.concatenate([forward.h[-1], backward.h[0]]))  # each direction's last step
    for gate in ("input", "forget", "output"):
        assert ((forward.gates[gate] > 0) & (forward.gates[gate] < 1)).all()


def test_truncation_is_the_models_and_unknown_words_are_read_as_such(shipped_classifier):
    recorded = trace(shipped_classifier, "zzqx " * 350)
    assert recorded.words == 300 and recorded.dropped == 50
    assert (recorded.ids == OOV_ID).all()


@pytest.mark.parametrize("cell,bidirectional,layers", EVERY_SHAPE)
def test_an_empty_text_has_no_steps_and_the_heads_answer_on_zero_states(cell, bidirectional, layers):
    network = random_network(cell, bidirectional, layers)
    recorded = trace_ids(network, np.zeros(0, dtype=np.int64))
    assert recorded.words == 0 and len(recorded.layers) == layers and recorded.directions == (2 if bidirectional else 1)
    for layer in recorded.layers:
        for step in layer:
            assert step.h.shape == (0, 5) and all(g.shape == (0, 5) for g in step.gates.values())
    assert recorded.logit == pytest.approx(float(network.head_logit(np.zeros((1, recorded.features.size)))[0]))


def test_names_say_the_layer_when_there_are_several():
    recorded = trace_ids(random_network("gru", True, 2), np.array([3, 4]))
    assert [[d.name for d in layer] for layer in recorded.layers] == [["forward", "backward"], ["layer 2 forward", "layer 2 backward"]]
