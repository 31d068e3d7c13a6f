"""The lookup against one-hot × Dense, as measured by ``runtime.onehot_cost``: time, memory, same result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from rnnplay.printable import printable
from rnnplay.render import human_size

if TYPE_CHECKING:
    from rnnplay.runtime.onehot_cost import LookupCost


def duration(seconds: float) -> str:
    """``6.3 µs``, ``17.5 ms``, ``1.20 s``: three significant figures in the unit that reads best."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            value = seconds / scale
            return f"{value:.3g} {unit}" if value < 100 else f"{value:.0f} {unit}"
    return f"{seconds * 1e9:.0f} ns"


def times(value: float) -> str:
    return f"{value:,.0f}×" if value >= 10 else f"{value:.1f}×"


def cost_view(cost: LookupCost, source: str) -> list[Any]:
    """The two ways side by side, what they cost, and whether they agree; ``source`` names the weights W."""
    heading = Text.assemble(("lookup against one-hot × Dense", "bold"),
                            f": {cost.tokens:,} tokens, W {cost.vocab:,} × {cost.dimension} ({printable(source)})")
    table = Table("", "computes", f"best of {cost.repeats}", "input", box=None, pad_edge=False)
    table.add_row("lookup", Text("W[ids]"), duration(cost.lookup_seconds),
                  f"{human_size(cost.ids_bytes)} · {cost.tokens:,} int32 ids")
    table.add_row("one-hot × Dense", Text("one_hot(ids) @ W"), duration(cost.matmul_seconds),
                  f"{human_size(cost.one_hot_bytes)} · {cost.tokens:,} × {cost.vocab:,} float32")
    same = "same numbers: yes, exactly" if cost.equal else f"same numbers: no, up to {cost.max_difference:.3g} apart"
    verdict = Text(f"product: {times(cost.ratio)} the time, {times(cost.one_hot_bytes / cost.ids_bytes)} the input "
                   f"memory; {same}")
    note = Text(f"{cost.vocab - 1:,} zeros multiplied for each number kept; NumPy here, one-hot built untimed",
                style="dim")
    return [heading, table, verdict, note]
