"""The corpus profile's statistics on small hand-made networks whose answer is known by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from rnnplay.runtime import profile as P
from rnnplay.runtime.classifier import Network


def architecture(cell: str = "lstm", units: int = 2, embedding_dim: int = 3, layers: int = 1, bidirectional: bool = False,
                 head: list | None = None, vocab_size: int = 6, output: str = "logit", pooling: str = "last") -> dict:
    return {"vocab_size": vocab_size, "embedding_dim": embedding_dim, "cell": cell, "units": units, "layers": layers,
            "bidirectional": bidirectional, "head": head or [{"units": 1, "activation": "linear"}], "output": output,
            "pooling": pooling}


def zero_network(gate_bias: dict[str, float] | None = None, **shape) -> Network:
    """Every weight zero but the named gate biases (LSTM i/f/c/o, GRU z/r/h): each gate is then a constant."""
    spec = architecture(**shape)
    from rnnplay.card import parse_classifier

    parsed = parse_classifier(spec)
    arrays = {name: np.zeros(s.shape, np.float32) for name, s in parsed.arrays().items()}
    order = {"lstm": "ifco", "gru": "zrh", "rnn": "h"}[parsed.cell]
    for name in arrays:
        if name.endswith("/bias") and name.startswith("recurrent/"):
            for gate, value in (gate_bias or {}).items():
                block = order.index(gate)
                arrays[name][..., block * parsed.units : (block + 1) * parsed.units] = value / (2 if parsed.cell == "gru" else 1)
    return Network.from_arrays(spec, arrays)


def reviews(count: int = 4, length: int = 7, vocab: int = 6, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(1, vocab, (count, length))


# --- the keep gate ---------------------------------------------------------------------------------------------


def test_a_huge_forget_bias_keeps_everything() -> None:
    stats = P.GateStats.of("forget", P.keep_gates(zero_network({"f": 40.0}), reviews()))
    assert stats.mean == 1.0 and stats.above == 1.0 and stats.below == 0.0 and stats.saturated == 1.0
    assert stats.histogram[-1] == 1.0 and stats.histogram.sum() == pytest.approx(1.0)
    assert all(span.tau == math.inf for span in stats.spans())
    assert stats.count == 4 * 7 * 2


def test_a_very_negative_forget_bias_forgets_at_every_word() -> None:
    stats = P.GateStats.of("forget", P.keep_gates(zero_network({"f": -40.0}), reviews()))
    assert stats.mean == pytest.approx(0.0, abs=1e-12) and stats.below == 1.0 and stats.above == 0.0
    assert stats.histogram[0] == 1.0
    assert [span.tau for span in stats.spans()] == pytest.approx([1.0, 1.0])


def test_a_zero_forget_gate_is_one_half_and_remembers_two_words() -> None:
    stats = P.GateStats.of("forget", P.keep_gates(zero_network({"f": 0.0}, bidirectional=True, layers=2), reviews()))
    assert stats.mean == 0.5 and stats.saturated == 0.0
    assert stats.histogram[P.BINS // 2] == 1.0  # [0.5, 0.55)
    assert stats.unit_means.shape == (2, 2, 2)
    assert [span.tau for span in stats.spans()] == [2.0] * 8


def test_the_gru_keep_gate_is_the_update_gate_with_both_bias_rows() -> None:
    network = zero_network({"z": 3.0, "r": -50.0, "h": 50.0}, cell="gru")  # each row holds half: z = σ(1.5 + 1.5)
    stats = P.GateStats.of("update", P.keep_gates(network, reviews()))
    assert stats.mean == pytest.approx(1 / (1 + math.exp(-3.0)), abs=1e-6)
    assert stats.spans()[0].tau == pytest.approx(1 + math.exp(3.0), rel=1e-4)


def test_a_simple_rnn_has_no_gate() -> None:
    assert P.keep_gates(zero_network(cell="rnn"), reviews()) is None
    assert P.GateStats.of("forget", []) is None


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def slow_forget_gates(network: Network, ids: np.ndarray) -> list[list[np.ndarray]]:
    """Keras' LSTM written out step by step, one text at a time: the forget gate of every layer and direction."""
    found = []
    x_all = network.embedding[ids]
    for layer in network.layers:
        u, gates, outputs = layer.units, [], []
        for d, w in enumerate(layer.weights):
            f_all = np.zeros((ids.shape[1], ids.shape[0], u))
            h_all = np.zeros((ids.shape[0], ids.shape[1], u))
            for row in range(ids.shape[0]):
                h, c = np.zeros(u), np.zeros(u)
                steps = range(ids.shape[1]) if d == 0 else reversed(range(ids.shape[1]))
                for t in steps:
                    z = x_all[row, t] @ w.kernel + h @ w.recurrent_kernel + w.bias
                    i, f, g, o = sigmoid(z[:u]), sigmoid(z[u : 2 * u]), np.tanh(z[2 * u : 3 * u]), sigmoid(z[3 * u :])
                    c = f * c + i * g
                    h = o * np.tanh(c)
                    f_all[t, row], h_all[row, t] = f, h
            gates.append(f_all)
            outputs.append(h_all)
        found.append(gates)
        x_all = np.concatenate(outputs, axis=-1)
    return found


def test_keep_gates_equal_the_lstm_written_out_for_every_layer_and_direction() -> None:
    network = Network.random(architecture(units=3, layers=2, bidirectional=True), seed=3)
    ids = reviews(3, 9, seed=1)
    fast, slow = P.keep_gates(network, ids), slow_forget_gates(network, ids)
    for fast_layer, slow_layer in zip(fast, slow):
        for a, b in zip(fast_layer, slow_layer):
            np.testing.assert_allclose(a, b, atol=1e-5)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_keep_gates_equal_the_textbook_cells_of_the_trace(cell: str) -> None:
    from rnnplay.runtime.inside import trace_ids

    network = Network.random(architecture(cell=cell, units=3, layers=2, bidirectional=True), seed=4)
    ids = reviews(3, 9, seed=2)
    fast = P.keep_gates(network, ids)
    for row in range(3):
        traced = trace_ids(network, ids[row])
        for layer in range(2):
            for direction in range(2):
                expected = traced.at(layer, direction).gates[P.MEMORY_GATE[cell]]
                np.testing.assert_allclose(fast[layer][direction][:, row], expected, atol=1e-5)
    assert P.GateStats.of(P.MEMORY_GATE[cell], fast).count == 3 * 9 * 2 * 2 * 3


def test_gates_counted_in_chunks_are_the_gates_counted_at_once() -> None:
    network = Network.random(architecture(units=3, layers=2, bidirectional=True), seed=9)
    ids = reviews(7, 6, seed=4)
    whole = P.GateStats.of("forget", P.keep_gates(network, ids))
    chunked = P.corpus_gate_stats(network, ids, chunk=3)  # 3 + 3 + 1 reviews
    assert chunked.count == whole.count and chunked.mean == pytest.approx(whole.mean)
    assert (chunked.below, chunked.above) == (whole.below, whole.above)
    np.testing.assert_allclose(chunked.histogram, whole.histogram)
    np.testing.assert_allclose(chunked.unit_means, whole.unit_means)
    assert P.corpus_gate_stats(zero_network(cell="rnn"), ids) is None
    assert P.corpus_gate_stats(network, ids[:0]) is None


# --- Keras' initialisation -------------------------------------------------------------------------------------


def test_the_initial_network_is_initialised_as_keras_does() -> None:
    trained = Network.random(architecture(units=16, embedding_dim=24, vocab_size=500, bidirectional=True,
                                          head=[{"units": 32, "activation": "relu"}, {"units": 1, "activation": "linear"}]))
    network = P.initial_network(trained)
    assert np.abs(network.embedding).max() <= 0.05 and network.embedding.std() == pytest.approx(0.1 / math.sqrt(12), rel=0.05)
    for w in network.layers[0].weights:
        limit = math.sqrt(6 / (24 + 64))
        assert np.abs(w.kernel).max() <= limit and w.kernel.std() == pytest.approx(limit / math.sqrt(3), rel=0.05)
        np.testing.assert_allclose(w.recurrent_kernel @ w.recurrent_kernel.T, np.eye(16), atol=1e-5)  # orthonormal rows
        assert w.bias.tolist() == [0.0] * 16 + [1.0] * 16 + [0.0] * 32  # [i f c o]: unit_forget_bias
    assert network.head[0].kernel.shape == (32, 32) and not network.head[0].bias.any()
    assert network.output == trained.output and [d.activation for d in network.head] == ["relu", "linear"]
    assert not np.array_equal(P.initial_network(trained, seed=1).embedding, network.embedding)


def test_the_initial_gru_has_a_zero_bias_of_two_rows() -> None:
    network = P.initial_network(Network.random(architecture(cell="gru", units=4)))
    assert network.layers[0].weights[0].bias.shape == (2, 12) and not network.layers[0].weights[0].bias.any()


def test_at_initialisation_the_lstm_forget_gate_is_near_sigmoid_one() -> None:
    network = P.initial_network(Network.random(architecture(units=32, embedding_dim=64, vocab_size=200)))
    stats = P.GateStats.of("forget", P.keep_gates(network, reviews(20, 50, vocab=200)))
    assert stats.mean == pytest.approx(1 / (1 + math.exp(-1)), abs=0.01) and stats.saturated == 0.0


@pytest.mark.tensorflow
def test_the_numpy_initialisers_draw_what_keras_draws() -> None:
    import keras

    units, width = 32, 64
    keras.utils.set_random_seed(0)
    lstm = keras.layers.LSTM(units)
    lstm.build((None, None, width))
    gru = keras.layers.GRU(units)
    gru.build((None, None, width))
    embedding = keras.layers.Embedding(1000, width)
    embedding.build((None, None))
    ours = P.initial_network(Network.random(architecture(units=units, embedding_dim=width, vocab_size=1000)))
    ours_gru = P.initial_network(Network.random(architecture(cell="gru", units=units, embedding_dim=width, vocab_size=1000)))
    kernel, recurrent, bias = (v.numpy() for v in lstm.weights)
    w = ours.layers[0].weights[0]
    assert kernel.shape == w.kernel.shape and recurrent.shape == w.recurrent_kernel.shape
    assert w.kernel.std() == pytest.approx(kernel.std(), rel=0.05)
    assert np.abs(w.kernel).max() <= np.abs(kernel).max() * 1.01 + 1e-3
    np.testing.assert_allclose(recurrent @ recurrent.T, w.recurrent_kernel @ w.recurrent_kernel.T, atol=1e-5)
    np.testing.assert_array_equal(bias, w.bias)
    _, g_recurrent, g_bias = (v.numpy() for v in gru.weights)
    g = ours_gru.layers[0].weights[0]
    assert g_bias.shape == g.bias.shape and not g_bias.any()
    assert g.recurrent_kernel.std() == pytest.approx(g_recurrent.std(), rel=0.05)
    table = embedding.weights[0].numpy()
    assert table.min() >= -0.05 and table.max() <= 0.05
    assert ours.embedding.std() == pytest.approx(table.std(), rel=0.05)


# --- connectivity -----------------------------------------------------------------------------------------------


def test_first_half_shares_are_of_the_mean_curves() -> None:
    stats = P.ConnectivityStats(3, 4, np.array([[3.0, 1.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]]), np.array([0.0, 0.0, 0.0, 0.0]))
    assert stats.first_half == (1.0, 0.5)
    assert math.isnan(stats.together)  # a gradient that is zero everywhere has no share
    odd = P.ConnectivityStats(1, 3, np.array([[1.0, 1.0, 2.0]]), np.array([1.0, 1.0, 2.0]))
    assert odd.first_half == (0.25,) and odd.together == 0.25  # the first half of 3 words is word 0


# --- choosing the reviews --------------------------------------------------------------------------------------


def test_reviews_long_enough_are_taken_in_split_order() -> None:
    sequences = [np.ones(n, np.int64) for n in (5, 12, 3, 10, 11, 30)]
    chosen, length = P.choose_reviews(sequences, count=2, length=10)
    assert chosen.tolist() == [1, 3] and length == 10


def test_too_few_long_reviews_shorten_the_cut_to_the_longest_ones() -> None:
    sequences = [np.ones(n, np.int64) for n in (5, 12, 3, 1, 11)]
    chosen, length = P.choose_reviews(sequences, count=3, length=10)
    assert chosen.tolist() == [0, 1, 4] and length == 5
    chosen, length = P.choose_reviews([np.ones(n, np.int64) for n in (1, 0, 3)], count=3, length=10)
    assert chosen.tolist() == [2] and length == 3  # a text of one word has no halves
    chosen, length = P.choose_reviews([np.ones(1, np.int64)], count=3, length=10)
    assert chosen.tolist() == [] and length == 0


# --- the sentiment axis ----------------------------------------------------------------------------------------


def test_states_on_a_line_have_one_component_that_explains_everything() -> None:
    rng = np.random.default_rng(0)
    t = rng.normal(size=50)
    direction = np.array([3.0, -4.0, 0.0]) / 5
    states = 2.0 + t[:, None] * direction
    result = P.pca(states, logits=-7 * t)
    assert result.explained[0] == pytest.approx(1.0)
    np.testing.assert_allclose(result.components[0], -direction, atol=1e-9)  # PC1 rises with the logit, −7t
    assert result.r == pytest.approx(1.0)
    coordinates = result.project(states)
    np.testing.assert_allclose(coordinates[:, 0], -(t - t.mean()), atol=1e-9)
    np.testing.assert_allclose(coordinates[:, 1], 0.0, atol=1e-9)


def test_components_and_variance_of_a_known_ellipse() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=2000), rng.normal(size=2000)
    states = np.stack([3 * a, b, np.zeros(2000)], axis=1)
    result = P.pca(states, logits=a)
    assert result.explained[:2] == pytest.approx([0.9, 0.1], abs=0.02)
    assert abs(result.components[0, 0]) == pytest.approx(1.0, abs=1e-3) and result.components[0, 0] > 0
    assert result.r == pytest.approx(1.0, abs=1e-3)


def last_word_network(head: list | None = None, arrays_head: dict | None = None) -> Network:
    """A SimpleRNN of 2 units without recurrence: h = (tanh(e(last word)), 0), so every state is on one line."""
    spec = architecture(cell="rnn", units=2, embedding_dim=1, vocab_size=6, head=head)
    arrays = {
        "embedding": np.array([[0.0], [-0.3], [1.0], [-1.0], [0.2], [0.5]], np.float32),
        "recurrent/0/forward/kernel": np.array([[1.0, 0.0]], np.float32),
        "recurrent/0/forward/recurrent_kernel": np.zeros((2, 2), np.float32),
        "recurrent/0/forward/bias": np.zeros(2, np.float32),
        "dense/0/kernel": np.array([[3.0], [0.0]], np.float32), "dense/0/bias": np.zeros(1, np.float32),
    }
    arrays.update(arrays_head or {})
    return Network.from_arrays(spec, arrays)


def test_the_axis_of_a_network_whose_states_lie_on_a_line() -> None:
    network = last_word_network()
    sequences = [np.array([1, w]) for w in (2, 3, 4, 5, 2, 3)] + [np.array([], np.int64)]
    labels = np.array([1, 0, 1, 1, 1, 0, 0])
    axis = P.axis_stats(network, sequences, labels)
    assert axis.reviews == 6  # the empty text has no state
    assert axis.pca.explained[0] == pytest.approx(1.0) and axis.pca.r == pytest.approx(1.0)
    np.testing.assert_allclose(axis.pca.components[0], [1.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(axis.readout, [3.0, 0.0]) and axis.linear_head
    assert axis.readout_plane[0] == pytest.approx(3.0) and axis.readout_in_plane == pytest.approx(1.0)
    expected = np.tanh([1.0, -1.0, 0.2, 0.5, 1.0, -1.0])
    np.testing.assert_allclose(axis.cloud[:, 0], expected - expected.mean(), atol=1e-6)
    assert axis.labels.tolist() == [1, 0, 1, 1, 1, 0] and axis.forward is None


def test_the_cloud_is_an_evenly_spaced_subsample() -> None:
    sequences = [np.array([2 + i % 4]) for i in range(50)]
    axis = P.axis_stats(last_word_network(), sequences, np.arange(50) % 2, cloud=10)
    shown = np.linspace(0, 49, 10).round().astype(int)  # 0, 5, 11, 16, …, 49
    assert axis.reviews == 50 and axis.cloud.shape == (10, 2) and axis.labels.tolist() == (shown % 2).tolist()
    np.testing.assert_allclose(axis.cloud[:, 0], axis.pca.project(P.final_states(last_word_network(), [sequences[i] for i in shown]))[:, 0], atol=1e-6)
    assert P.axis_stats(last_word_network(), [np.array([2])], np.array([1])) is None


def test_a_hidden_head_is_read_by_its_gradient_at_the_mean_state() -> None:
    head = [{"units": 2, "activation": "tanh"}, {"units": 1, "activation": "linear"}]
    arrays = {"dense/0/kernel": np.array([[2.0, 0.0], [0.0, 1.0]], np.float32), "dense/0/bias": np.zeros(2, np.float32),
              "dense/1/kernel": np.array([[1.0], [5.0]], np.float32), "dense/1/bias": np.zeros(1, np.float32)}
    network = last_word_network(head, arrays)
    at = np.array([0.25, 0.0])
    # logit = tanh(2 h0) + 5 tanh(h1): ∂/∂h0 = 2 (1 − tanh²(0.5)), ∂/∂h1 = 5
    np.testing.assert_allclose(P.readout_direction(network, at), [2 * (1 - np.tanh(0.5) ** 2), 5.0], atol=1e-7)
    axis = P.axis_stats(network, [np.array([w]) for w in (2, 3, 4, 5)], np.array([1, 0, 1, 1]))
    assert not axis.linear_head
    np.testing.assert_allclose(axis.readout, P.readout_direction(network, axis.pca.mean))


@pytest.mark.parametrize("hidden", ["linear", "relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("last,output", [("linear", "logit"), ("tanh", "logit"), ("sigmoid", "probability"), ("linear", "probability")])
def test_the_readout_is_the_gradient_of_the_logit(hidden: str, last: str, output: str) -> None:
    head = [{"units": 5, "activation": hidden}, {"units": 1, "activation": last}]
    network = Network.random(architecture(units=3, bidirectional=True, head=head, output=output), seed=2, scale=0.3)
    if output == "probability" and last == "linear":  # a "probability" that stays inside (0, 1) near the point
        network.head[-1] = type(network.head[-1])(network.head[-1].kernel * 0.1, network.head[-1].bias + 0.5, "linear")
    at = np.random.default_rng(4).normal(0, 0.5, 6)
    eps = 1e-6
    steps = np.eye(6) * eps
    numeric = (network.head_logit(at + steps) - network.head_logit(at - steps)) / (2 * eps)
    np.testing.assert_allclose(P.readout_direction(network, at), numeric, rtol=1e-4, atol=1e-6)


# --- a text's path ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [{}, {"bidirectional": True}, {"bidirectional": True, "layers": 2}, {"layers": 2, "cell": "gru"},
                                   {"pooling": "max"}, {"pooling": "mean", "layers": 2}, {"pooling": "max", "bidirectional": True},
                                   {"pooling": "mean", "bidirectional": True, "layers": 2, "cell": "gru"}])
@pytest.mark.parametrize("n", [1, 5, P.PATH_POINTS + 37])
def test_prefix_states_are_the_final_states_of_the_prefixes(shape: dict, n: int) -> None:
    """The head's input after each prefix (with pooling: the pooled states, a running max or mean when read
    left to right), whatever way it is found, is what the head reads of that prefix alone."""
    network = Network.random(architecture(units=3, **shape), seed=5, scale=0.4)
    ids = np.random.default_rng(n).integers(1, 6, n)
    from rnnplay.runtime.inside import trace_ids

    words, states = P.prefix_states(network, ids)
    assert words[-1] == n and len(words) == min(n, P.PATH_POINTS) and np.all(np.diff(words) > 0)
    np.testing.assert_allclose(states, P.final_states(network, [ids[:w] for w in words]), atol=1e-5)
    np.testing.assert_allclose(network.head_logit(states), [network.logits([ids[:w]])[0] for w in words], atol=1e-5)
    traced_words, traced = P.prefix_states(network, ids, trace_ids(network, ids))  # the trace's states reused
    assert np.array_equal(traced_words, words)
    np.testing.assert_allclose(traced, states, atol=1e-5)
    other = trace_ids(network, ids[::-1].copy())  # another text's trace is not used
    np.testing.assert_allclose(P.prefix_states(network, ids, other)[1], states, atol=1e-5)


def test_an_empty_text_has_no_path() -> None:
    network = last_word_network()
    axis = P.axis_stats(network, [np.array([w]) for w in (2, 3, 4)], np.array([1, 0, 1]))
    path = P.text_path(network, axis, np.array([], np.int64))
    assert path.points.shape == (0, 2) and path.words.size == 0 and path.logits.size == 0


def test_the_path_ends_where_the_text_ends() -> None:
    network = last_word_network()
    axis = P.axis_stats(network, [np.array([w]) for w in (2, 3, 4)], np.array([1, 0, 1]))
    path = P.text_path(network, axis, np.array([2, 3, 5]))
    np.testing.assert_allclose(path.points[:, 0], np.tanh([1.0, -1.0, 0.5]) - np.tanh([1.0, -1.0, 0.2]).mean(), atol=1e-6)
    np.testing.assert_allclose(path.logits, 3 * np.tanh([1.0, -1.0, 0.5]), atol=1e-6)


# --- carried through JSON ---------------------------------------------------------------------------------------


def sample_profile(network: Network) -> P.Profile:
    cell, layers, directions, units, width = P.describe(network)
    ids = reviews(6, 8)
    gates = P.keep_gates(network, ids)
    memory = P.GateStats.of(P.MEMORY_GATE[cell], gates) if gates else None
    connectivity = P.ConnectivityStats(6, 8, np.arange(directions * 8.0).reshape(directions, 8), np.ones(8))
    axis = P.axis_stats(network, list(ids), np.arange(6) % 2)
    return P.Profile(cell, layers, directions, units, width, connectivity, memory, memory, axis, 1.5)


@pytest.mark.parametrize("shape", [{}, {"bidirectional": True, "layers": 2}, {"cell": "rnn"}, {"cell": "gru", "bidirectional": True}])
def test_a_profile_comes_back_from_json_as_it_was(shape: dict) -> None:
    network = Network.random(architecture(units=3, **shape), seed=1)
    profile = sample_profile(network)
    back = P.Profile.from_json(json.loads(json.dumps(profile.to_json(), allow_nan=False)), network)
    assert json.dumps(back.to_json()) == json.dumps(profile.to_json())
    assert (back.memory is None) == (shape.get("cell") == "rnn")


def test_a_profile_of_another_shape_is_refused() -> None:
    profile = sample_profile(Network.random(architecture(units=3), seed=1))
    with pytest.raises(ValueError, match="network"):
        P.Profile.from_json(profile.to_json(), Network.random(architecture(units=4), seed=1))


@pytest.mark.parametrize("path,value", [
    (("memory", "mean"), 1.5), (("memory", "histogram"), [0.1] * 3), (("memory", "histogram"), [0.1] * 20),
    (("memory", "gate"), "update"),
    (("axis", "pca", "components"), [[1.0, "x"]]), (("axis", "labels"), [2.0]), (("axis", "cloud"), None),
    (("connectivity", "mean_total"), [1.0] * 7), (("connectivity", "mean_norms"), [[-1.0] * 8]), (("width",), 7),
    (("axis", "pca", "mean"), [float("inf")] * 3), (("axis",), []), (("seconds",), True),
])
def test_damaged_fields_are_refused_with_a_value_error(path: tuple, value: object) -> None:
    network = Network.random(architecture(units=3), seed=1)
    data = json.loads(json.dumps(sample_profile(network).to_json()))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValueError):
        P.Profile.from_json(data, network)


# --- connectivity and the whole profile ------------------------------------------------------------------------


def test_connectivity_stats_average_each_review_s_backpropagation(monkeypatch: pytest.MonkeyPatch) -> None:
    from rnnplay.runtime.inside import trace_ids
    from rnnplay.runtime.through_time import connectivity

    monkeypatch.setattr(P, "CONNECTIVITY_CHUNK", 2)  # three chunks for five reviews
    network = Network.random(architecture(units=3, bidirectional=True), seed=6, scale=0.4)
    ids = reviews(5, 6, seed=3)
    seen: list[float] = []
    stats = P.connectivity_stats(network, ids, seen.append)
    each = [connectivity(network, trace_ids(network, row)) for row in ids]
    np.testing.assert_allclose(stats.mean_norms, np.mean([c.norms for c in each], axis=0), rtol=1e-6)
    np.testing.assert_allclose(stats.mean_total, np.mean([c.total for c in each], axis=0), rtol=1e-6)
    norms = np.array([c.norms for c in each])
    assert stats.first_half[1] == pytest.approx(norms[:, 1, :3].sum() / norms[:, 1].sum())
    assert seen == pytest.approx([0.4, 0.8, 1.0]) and (stats.reviews, stats.length) == (5, 6)


def test_the_trace_s_gate_statistics_are_the_batch_s_for_one_text() -> None:
    from rnnplay.runtime.inside import trace_ids

    network = Network.random(architecture(units=3, bidirectional=True), seed=7)
    ids = reviews(1, 8, seed=5)
    ours = P.trace_gate_stats(trace_ids(network, ids[0]))
    batch = P.GateStats.of("forget", P.keep_gates(network, ids))
    assert ours.mean == pytest.approx(batch.mean) and ours.count == batch.count
    np.testing.assert_allclose(ours.unit_means, batch.unit_means, atol=1e-6)
    assert P.trace_gate_stats(trace_ids(network, np.zeros(0, np.int64))) is None
    assert P.trace_gate_stats(trace_ids(Network.random(architecture(cell="rnn")), ids[0])) is None


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_a_whole_profile_of_a_small_network(cell: str) -> None:
    network = Network.random(architecture(cell=cell, units=3, bidirectional=cell != "gru"), seed=8, scale=0.4)
    rng = np.random.default_rng(0)
    sequences = [rng.integers(1, 6, n) for n in (12, 3, 0, 15, 11, 9, 20)]
    seen: list[float] = []
    profile = P.compute_profile(network, sequences, np.arange(7) % 2, reviews=3, length=10, progress=seen.append)
    assert (profile.connectivity.reviews, profile.connectivity.length) == (3, 10)  # texts 0, 3 and 4, cut to 10 words
    assert profile.axis.reviews == 6 and profile.seconds > 0
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    if cell == "rnn":
        assert profile.memory is None and profile.memory_at_init is None
    else:
        chosen = np.array([sequences[i][:10] for i in (0, 3, 4)])
        expected = P.GateStats.of(P.MEMORY_GATE[cell], P.keep_gates(network, chosen))
        assert profile.memory.mean == expected.mean and profile.memory_at_init.count == expected.count
    assert (profile.axis.forward is None) == (cell == "gru")


def test_a_profile_without_texts_long_enough_has_no_connectivity_and_can_be_stopped() -> None:
    from rnnplay.errors import Cancelled

    network = Network.random(architecture(units=3), seed=8)
    profile = P.compute_profile(network, [np.array([1]), np.array([2])], np.array([0, 1]))
    assert profile.connectivity is None and profile.memory is None and profile.axis.reviews == 2
    with pytest.raises(Cancelled):
        P.compute_profile(network, [np.array([1, 2, 3])] * 3, np.array([0, 1, 0]), should_stop=lambda: True)
