"""SimpleRNN, GRU and LSTM layers in NumPy, one or two directions, with Keras' weights and masking.

A batch is sorted by length, longest first, so at time step ``t`` the sequences still running are a
prefix of the batch: each step computes only those rows and padding is never computed (Keras masks
it; skipping it gives the same numbers). The backward direction reads each sequence from its own end,
which is a forward pass over the sequences reversed within their lengths.

Both directions run in the same step, fused: the state is one (rows, D * units) array, the recurrent
kernel is block-diagonal, and gate columns are interleaved by gate, then direction
(``[i_fwd i_bwd | f_fwd f_bwd | ...]``), so every gate of both directions is one contiguous slice.
A bidirectional layer therefore costs the Python loop of a one-directional one.

Two more rewrites keep each step to ten NumPy calls. Gates are reordered so the sigmoid ones are
contiguous (LSTM ``[i, f, o, c]``), and their weights are halved at load time: since
``sigmoid(x) = 0.5 + 0.5 * tanh(x / 2)``, one ``tanh`` call serves every gate of the step.

Keras layouts: LSTM kernels are ``[i, f, c, o]`` (input, forget, candidate, output gates); GRU
kernels are ``[z, r, h]`` (update, reset, candidate) with ``reset_after=True``, that is a bias of
shape (2, 3 * units) whose second row is added to ``h @ U`` before the reset gate multiplies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Literal, Sequence

import numpy as np

from rnnplay.card import GATES

Cell = Literal["lstm", "gru", "rnn"]
Record = Literal[None, "outputs", "states"]  # what run_states keeps of every step
SIGMOID_GATES = {"lstm": 3, "gru": 2, "rnn": 0}


@dataclass(frozen=True)
class DirectionWeights:
    """One direction's weights as Keras stores them."""

    kernel: np.ndarray  # (input_dim, gates * units)
    recurrent_kernel: np.ndarray  # (units, gates * units)
    bias: np.ndarray  # (gates * units,), or (2, 3 * units) for a reset_after GRU


def _halve_sigmoid_gates(cell: Cell, units: int, matrix: np.ndarray) -> np.ndarray:
    """Reorder gate columns (LSTM to [i, f, o, c]) and halve the sigmoid ones (see module docstring)."""
    blocks = [matrix[..., g * units : (g + 1) * units] for g in range(GATES[cell])]
    if cell == "lstm":
        i, f, c, o = blocks
        blocks = [i, f, o, c]
    sigmoid = SIGMOID_GATES[cell]
    return np.concatenate([0.5 * b for b in blocks[:sigmoid]] + blocks[sigmoid:], axis=-1)


def _interleave(per_direction: Sequence[np.ndarray], gates: int) -> np.ndarray:
    """Columns ``[g0_d0 g0_d1 | g1_d0 g1_d1 | ...]`` from one (..., gates * units) array per direction.

    The result is always C-contiguous (inputs may be transposed views), so a step reads one block.
    """
    split = [p.reshape(p.shape[:-1] + (gates, -1)) for p in per_direction]
    joined = np.ascontiguousarray(np.stack(split, axis=-2))  # (..., gates, D, units)
    return joined.reshape(joined.shape[:-3] + (-1,))


class RecurrentLayer:
    """One recurrent layer, prepared from Keras weights for fast stepping."""

    def __init__(self, cell: Cell, directions: Sequence[DirectionWeights], return_sequences: bool) -> None:
        if cell not in GATES:
            raise ValueError(f"unknown cell {cell!r}")
        if len(directions) not in (1, 2):
            raise ValueError("a recurrent layer has one or two directions")
        self.cell = cell
        self.weights = list(directions)
        self._one_way: dict[int, RecurrentLayer] = {}
        self.return_sequences = return_sequences
        self.units = units = directions[0].recurrent_kernel.shape[0]
        self.directions = len(directions)
        n_gates = GATES[cell]
        gates = n_gates * units
        kernels, recurrent, input_bias, recurrent_bias = [], [], [], []
        for d in directions:
            if d.kernel.shape[1] != gates or d.recurrent_kernel.shape != (units, gates):
                raise ValueError(f"{cell} weights do not have {n_gates} gates of {units} units")
            bias = d.bias.reshape(-1, gates)
            kernels.append(_halve_sigmoid_gates(cell, units, d.kernel))
            recurrent.append(_halve_sigmoid_gates(cell, units, d.recurrent_kernel))
            if cell == "gru":
                if bias.shape[0] != 2:
                    raise ValueError("only GRU layers with reset_after=True (the Keras 3 default) are supported")
                # The recurrent bias of the z and r gates can join the input bias; the candidate's cannot.
                fold = bias[1].copy()
                fold[2 * units :] = 0.0
                input_bias.append(_halve_sigmoid_gates(cell, units, bias[0] + fold))
                rec = np.zeros(gates, dtype=np.float32)
                rec[2 * units :] = bias[1][2 * units :]
                recurrent_bias.append(rec)
            else:
                input_bias.append(_halve_sigmoid_gates(cell, units, bias.sum(axis=0)))
        # Input projections stay per direction (each direction reads its own order of the sequence).
        self.kernels = [np.ascontiguousarray(k, dtype=np.float32) for k in kernels]
        self.input_bias = [np.asarray(b, dtype=np.float32) for b in input_bias]
        width = self.directions * units
        block = np.zeros((width, n_gates, self.directions, units), dtype=np.float32)
        for index, matrix in enumerate(recurrent):
            block[index * units : (index + 1) * units, :, index, :] = matrix.reshape(units, n_gates, units)
        self.recurrent_kernel = block.reshape(width, n_gates * width)
        self.recurrent_bias = _interleave(recurrent_bias, n_gates).astype(np.float32) if recurrent_bias else None
        self.input_dim = self.kernels[0].shape[0]

    @property
    def output_dim(self) -> int:
        return self.units * self.directions

    def __call__(self, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Run over ``x`` (batch, time, features), rows sorted by ``lengths`` descending.

        Returns the last state of each sequence (batch, D * units), or with ``return_sequences`` the
        state at every position (batch, time, D * units), zeros at padding, as Keras' Bidirectional
        concatenates them: forward first.
        """
        reverse = _reverse_within_lengths(lengths, x.shape[1]) if self.directions == 2 else None
        inputs = [x] if reverse is None else [x, x[reverse]]
        time_major = [(inp @ k + b).transpose(1, 0, 2) for inp, k, b in zip(inputs, self.kernels, self.input_bias)]
        return self._run(time_major, lengths, reverse)

    def on_tokens(self, ids: np.ndarray, lengths: np.ndarray, embedding: np.ndarray) -> np.ndarray:
        """The first layer, straight from token ids (batch, time): as ``self(embedding[ids], lengths)``.

        A review repeats most of its words, so each distinct token's input projection is computed
        once and gathered, which removes most of the layer's matrix work.
        """
        distinct, where = np.unique(ids, return_inverse=True)
        where = where.reshape(ids.shape)
        vectors = embedding[distinct]
        tables = [vectors @ k + b for k, b in zip(self.kernels, self.input_bias)]
        reverse = _reverse_within_lengths(lengths, ids.shape[1]) if self.directions == 2 else None
        orders = [where] if reverse is None else [where, where[reverse]]
        # Gathered time-major: ``_run`` steps through time.
        return self._run([table[order.T] for table, order in zip(tables, orders)], lengths, reverse)

    def _run(self, projected_by_direction: list[np.ndarray], lengths: np.ndarray, reverse: tuple | None) -> np.ndarray:
        """Step through time-major input projections, one (time, batch, gates) array per direction.

        Interleaving copies them into one contiguous (time, batch, D * gates) array, so each step
        reads a single block.
        """
        projected = _interleave(projected_by_direction, GATES[self.cell])
        final, sequence = self.run_states(projected, lengths, record="outputs" if self.return_sequences else None)
        if sequence is None:
            return final[0]
        h = sequence[0].transpose(1, 0, 2)  # (batch, time, D * units), a view
        if reverse is not None:
            h = np.concatenate([h[..., : self.units], h[..., self.units :][reverse]], axis=-1)
        return h

    # --- running from given states (what ``runtime.explain`` needs to reuse a text's computation) ----

    @property
    def state_count(self) -> int:
        """Arrays in the state: h and c for an LSTM, h alone for GRU and SimpleRNN."""
        return 2 if self.cell == "lstm" else 1

    def one_way(self, direction: int) -> RecurrentLayer:
        """One direction of this layer as a layer of its own (0 forward, 1 backward), returning sequences.

        The backward direction alone is a forward pass over the reversed sequence; the caller reverses.
        """
        if direction not in self._one_way:
            self._one_way[direction] = RecurrentLayer(self.cell, [self.weights[direction]], return_sequences=True)
        return self._one_way[direction]

    def interleave(self, projected_by_direction: Sequence[np.ndarray]) -> np.ndarray:
        """One time-major (time, batch, gates) projection per direction, laid out for ``run_states``."""
        return _interleave(projected_by_direction, GATES[self.cell])

    def project(self, x: np.ndarray) -> np.ndarray:
        """Input projections of a one-direction layer, in ``x``'s layout: (..., features) to (..., gates)."""
        return x @ self.kernels[0] + self.input_bias[0]

    def run_states(self, projected: np.ndarray | Sliding | Gathered, lengths: np.ndarray, initial: Sequence[np.ndarray] | None = None,
                   record: Record = None) -> tuple[list[np.ndarray], list[np.ndarray] | None]:
        """Run over interleaved time-major projections; rows sorted by length, longest first.

        ``initial`` gives each row's starting state arrays (see ``state_count``; zeros when None).
        Returns the final state arrays and, with ``record``, every step's (time, batch, width) arrays
        (zeros at padding): the outputs h alone (what a next layer reads), or every state array.
        """
        steps, batch = projected.shape[:2]
        active = (lengths[None, :] > np.arange(steps)[:, None]).sum(axis=1).tolist()  # rows running at each step
        width = self.output_dim
        state = ([np.zeros((batch, width), dtype=np.float32) for _ in range(self.state_count)] if initial is None
                 else [np.array(a, dtype=np.float32) for a in initial])
        recorded = {None: 0, "outputs": 1, "states": len(state)}[record]
        sequence = [np.zeros((steps, batch, width), dtype=np.float32) for _ in range(recorded)] if recorded else None
        getattr(self, f"_run_{self.cell}")(projected, active, state, sequence)
        return state, sequence

    # The loops below are the hot path: buffers are allocated once, and views into them are only
    # re-cut when the number of running rows changes (a handful of times per batch; see _row_steps).
    # ``state`` holds the state arrays (updated in place); ``sequence``, when given, records them.

    def _run_lstm(self, projected: np.ndarray, active: list[int], state: list[np.ndarray], sequence: list[np.ndarray] | None) -> None:
        w, recurrent = self.output_dim, self.recurrent_kernel
        h_all, c_all = state
        z_all = np.empty((h_all.shape[0], 4 * w), dtype=np.float32)
        tmp_all = np.empty_like(h_all)
        for t, k, changed in _row_steps(active):
            if changed:
                h, c, z, tmp = h_all[:k], c_all[:k], z_all[:k], tmp_all[:k]
                sig, i, f, o, g = z[:, : 3 * w], z[:, :w], z[:, w : 2 * w], z[:, 2 * w : 3 * w], z[:, 3 * w :]
            np.matmul(h, recurrent, out=z)
            z += projected[t, :k]
            np.tanh(z, out=z)
            sig *= 0.5
            sig += 0.5
            c *= f
            np.multiply(i, g, out=tmp)
            c += tmp
            np.tanh(c, out=tmp)
            np.multiply(o, tmp, out=h)
            if sequence is not None:
                sequence[0][t, :k] = h
                if len(sequence) > 1:
                    sequence[1][t, :k] = c

    def _run_gru(self, projected: np.ndarray, active: list[int], state: list[np.ndarray], sequence: list[np.ndarray] | None) -> None:
        w, recurrent, recurrent_bias = self.output_dim, self.recurrent_kernel, self.recurrent_bias
        assert recurrent_bias is not None  # a GRU always has one (Keras' reset_after)
        (h_all,) = state
        inner_all = np.empty((h_all.shape[0], 3 * w), dtype=np.float32)
        gates_all = np.empty((h_all.shape[0], 2 * w), dtype=np.float32)
        for t, k, changed in _row_steps(active):
            if changed:
                h, inner, gates = h_all[:k], inner_all[:k], gates_all[:k]
                update, reset, candidate = gates[:, :w], gates[:, w:], inner[:, 2 * w :]
            xw = projected[t, :k]
            np.matmul(h, recurrent, out=inner)
            inner += recurrent_bias
            np.add(xw[:, : 2 * w], inner[:, : 2 * w], out=gates)
            np.tanh(gates, out=gates)
            gates *= 0.5
            gates += 0.5
            candidate *= reset
            candidate += xw[:, 2 * w :]
            np.tanh(candidate, out=candidate)
            h -= candidate
            h *= update
            h += candidate
            if sequence is not None:
                sequence[0][t, :k] = h

    def _run_rnn(self, projected: np.ndarray, active: list[int], state: list[np.ndarray], sequence: list[np.ndarray] | None) -> None:
        recurrent = self.recurrent_kernel
        (h_all,) = state
        z_all = np.empty_like(h_all)
        for t, k, changed in _row_steps(active):
            if changed:
                h, z = h_all[:k], z_all[:k]
            np.matmul(h, recurrent, out=z)
            z += projected[t, :k]
            np.tanh(z, out=h)
            if sequence is not None:
                sequence[0][t, :k] = h


class Sliding:
    """Step inputs that are a window sliding down one table: step ``t`` reads rows
    ``table[stride * t : stride * t + k]``, so no (time, batch, gates) array is ever built.

    This is how the variants of one text see their words: see ``Network.explain``.
    """

    def __init__(self, table: np.ndarray, stride: int, steps: int, batch: int) -> None:
        self.table, self.stride = table, stride
        self.shape = (steps, batch, table.shape[1])

    def __getitem__(self, key: tuple[int, slice]) -> np.ndarray:
        t, rows = key
        start = self.stride * t
        return self.table[start : start + rows.stop]


class Gathered:
    """Step inputs where row ``r`` at step ``t`` reads ``table[offsets[r] + t]`` (one gather a step)."""

    def __init__(self, table: np.ndarray, offsets: np.ndarray, steps: int) -> None:
        self.table, self.offsets = table, offsets
        self.shape = (steps, len(offsets), table.shape[1])
        self.buffer = np.empty((len(offsets), table.shape[1]), dtype=table.dtype)

    def __getitem__(self, key: tuple[int, slice]) -> np.ndarray:
        t, rows = key
        return np.take(self.table, self.offsets[rows] + t, axis=0, out=self.buffer[rows])


def step_inputs(table: np.ndarray, offsets: np.ndarray, steps: int) -> Sliding | Gathered:
    """Inputs for rows that read ``table[offsets[r] + t]`` at step ``t``, without copying when the
    offsets allow it: consecutive offsets (or each repeated twice) make every step's rows one slice."""
    rows = len(offsets)
    if rows and np.array_equal(offsets, offsets[0] + np.arange(rows)):
        return Sliding(table[offsets[0] :], 1, steps, rows)
    if rows and np.array_equal(offsets, offsets[0] + np.arange(rows) // 2):
        doubled = np.minimum(offsets[0] + np.arange(rows + 2 * steps) // 2, len(table) - 1)  # past the end: never read
        return Sliding(table[doubled], 2, steps, rows)
    return Gathered(table, offsets, steps)


def _row_steps(active: list[int]) -> Iterator[tuple[int, int, bool]]:
    """``(t, rows, changed)`` for each step that still has running rows; ``changed`` when rows differ."""
    previous = -1
    for t, rows in enumerate(active):
        if rows == 0:
            return
        yield t, rows, rows != previous
        previous = rows


def _reverse_within_lengths(lengths: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Index that reverses each row's first ``length`` positions (its own inverse); padding stays put."""
    positions = np.arange(steps)[None, :]
    flipped = lengths[:, None] - 1 - positions
    columns = np.where(flipped >= 0, flipped, positions)
    rows = np.broadcast_to(np.arange(len(lengths))[:, None], columns.shape)
    return rows, columns
