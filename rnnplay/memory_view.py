"""The real-text memory probe as Rich text: one view shared by ``rnnplay memory``, ``:memory`` and the TUI panel.

Every figure comes from ``memory_probe``; cells that truncation emptied say "cut", never a figure, and the
note under the table says why: a sentence the model never read is forgotten by construction.
"""

from __future__ import annotations

import math
from typing import Any

from rich.table import Table
from rich.text import Text

from rnnplay.memory_probe import CONFIDENT, NEUTRAL_BAND, POSITIONS, Cell, MemoryProbe
from rnnplay.printable import printable
from rnnplay.render import percent

CUT = "cut"


def kept_words(probe: MemoryProbe) -> str:
    if probe.max_length is None:
        return "reads every token"
    return f"reads the {'first' if probe.truncate == 'start' else 'last'} {probe.max_length:,} tokens"


def share(cell: Cell) -> str:
    if cell.read == 0:
        return CUT
    figure = percent(cell.follows)
    return figure + ("*" if cell.cut else "")


def probability(cell: Cell) -> str:
    if cell.read == 0:
        return CUT
    return f"{cell.mean_probability:.2f}" + ("*" if cell.cut else "")


def memory_table(probe: MemoryProbe) -> Table:
    """Rows: how often the verdict follows, and its mean P, per position; the filler alone; columns: filler tokens."""
    table = Table(box=None, pad_edge=False, header_style="dim", show_edge=False)
    table.add_column("filler tokens", no_wrap=True)
    for distance in probe.distances:
        table.add_column(str(distance), justify="right", no_wrap=True)
    table.add_row(Text("verdict follows the sentence", style="bold"), *([""] * len(probe.distances)))
    for position in POSITIONS:
        table.add_row(f"  sentence at the {position}", *(share(probe.cell(position, d)) for d in probe.distances))
    table.add_row(Text("mean P of the sentence's verdict", style="bold"), *([""] * len(probe.distances)))
    for position in POSITIONS:
        table.add_row(f"  sentence at the {position}", *(probability(probe.cell(position, d)) for d in probe.distances))
    short = [c for c in probe.cells if c.read and c.filler_read < c.distance - 0.5]
    if short:
        table.add_row(Text("filler tokens read (truncation)", style="bold"), *([""] * len(probe.distances)))
        for position in POSITIONS:
            cells = [probe.cell(position, d) for d in probe.distances]
            table.add_row(f"  sentence at the {position}", *(f"{c.filler_read:.0f}" for c in cells))
    checks = {check.distance: check for check in probe.filler}
    table.add_row(Text("the filler alone", style="bold"), *([""] * len(probe.distances)))
    table.add_row("  mean P(positive)", *(f"{checks[d].mean:.2f}" if d in checks else "–" for d in probe.distances))
    table.add_row("  same verdict by chance", *(percent(checks[d].agrees) if d in checks else "–" for d in probe.distances))
    return table


def reading(probe: MemoryProbe) -> str:
    """The farthest distance where a sentence at the start is still read whole, compared with one at the end."""
    read = [d for d in probe.distances if d > 0 and probe.cell("start", d).read > 0 and probe.cell("start", d).cut == 0]
    if not read:
        return "no filler length left the sentence at the start whole: nothing to compare"
    far = max(read)
    start, end = probe.cell("start", far), probe.cell("end", far)
    chance = next((c.agrees for c in probe.filler if c.distance == far), math.nan)
    line = (f"behind {far} filler tokens the verdict follows a sentence at the start {percent(start.follows)} of the time "
            f"(mean P {start.mean_probability:.2f}), one at the end {percent(end.follows)} (P {end.mean_probability:.2f}); "
            f"the filler alone gives that verdict {percent(chance)}")
    lost = [d for d in probe.distances if probe.cell("start", d).cut]
    if lost:
        line += f"; from {min(lost)} filler tokens truncation cuts a sentence at the start off"
    return line


def memory_view(probe: MemoryProbe, timing: bool = True, compact: bool = False) -> list[Any]:
    """The probe as Rich renderables: what was measured, the table, the truncation note, the reading.

    ``compact`` (a panel at 80×24): the table first, then the reading and the note, the method in one line."""
    halves = sum(s.label for s in probe.decisive)
    if compact:
        parts: list[Any] = [memory_table(probe), Text.assemble(("reading: ", "bold"), reading(probe))]
        if any(c.cut for c in probe.cells):
            parts.append(Text(f"cut = truncation dropped the sentence: the model {kept_words(probe)}, so it never read it; "
                              "forgotten by construction, not a failure of memory (* = some samples cut, counted apart).",
                              style="yellow"))
        parts.append(Text(f"{len(probe.decisive)} decisive sentences (P ≥ {CONFIDENT} alone, {halves} positive) from its "
                          f"held-out reviews; filler: {probe.filler_sentences} other sentences it scores within "
                          f"{NEUTRAL_BAND} of 0.5 alone", style="dim"))
        return parts
    parts = [
        Text.assemble(("Memory on real text", "bold"), f" · {printable(probe.model)} · {kept_words(probe)} "
                      f"(truncate: {probe.truncate}) · seed {probe.seed}"),
        Text(f"{probe.samples} samples: one of {len(probe.decisive)} decisive sentences from its held-out reviews "
             f"({halves} positive, {len(probe.decisive) - halves} negative; P ≥ {CONFIDENT} alone, as their review's label) "
             f"at the start or end of filler: other reviews' sentences it scores within {NEUTRAL_BAND} of 0.5 alone "
             f"({probe.filler_sentences} sentences; {probe.reviews_scanned:,} reviews scanned"
             + (f"; {probe.seconds:.1f} s)" if timing else ")"), style="dim"),
        memory_table(probe),
    ]
    cut = [c for c in probe.cells if c.cut]
    if cut:
        where = ", ".join(f"{c.position} {c.distance}" + ("" if c.read == 0 else f" ({c.cut} of {c.samples})") for c in cut)
        parts.append(Text(f"cut = truncation dropped the sentence ({where}): the model {kept_words(probe)}, so it never "
                          "read it. That is forgotten by construction, not a failure of memory; * = some samples cut, "
                          "counted apart.", style="yellow"))
    parts.append(Text.assemble(("reading: ", "bold"), reading(probe)))
    if probe.decisive:
        parts.append(Text(f"e.g. “{printable(probe.decisive[0].text)}” (P {probe.decisive[0].probability:.2f} alone)", style="dim"))
    return parts
