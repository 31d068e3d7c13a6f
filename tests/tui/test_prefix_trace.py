"""The "While reading" chart: labelled y axis, a 0.5 line, a y range zoomed to a trace that moves little."""

from __future__ import annotations

from rnnplay.tui.widgets.prefix_trace import REFERENCE, axis_labels, column_chart, y_range


def heights(lines) -> list[int]:
    """Each column's height in eighths, read back from the chart's rows (top row first, one cell per column)."""
    eighths = " ▁▂▃▄▅▆▇█"
    rows = [line.plain for line in lines]
    return [sum(eighths.index(row[c]) if row[c] in eighths else 0 for row in rows) for c in range(len(rows[0]))]


def test_a_trace_that_moves_little_is_zoomed_so_steps_of_a_hundredth_show() -> None:
    values = [0.80, 0.81, 0.82, 0.83]
    low, high = y_range(values)
    assert (low, high) != (0.0, 1.0) and low <= 0.80 and high >= 0.83 and high - low <= 0.15
    columns = heights(column_chart(values, [1] * 4, 0, rows=4, low=low, high=high))
    assert columns == sorted(columns) and len(set(columns)) == 4  # every 0.01 step is a different height
    assert columns[0] > 0  # the lowest value still has a column
    on_full_scale = heights(column_chart(values, [1] * 4, 0, rows=4))
    assert len(set(on_full_scale)) < 4  # what the zoom is for


def test_a_trace_that_crosses_most_of_the_range_is_drawn_from_0_to_1() -> None:
    assert y_range([0.1, 0.9]) == (0.0, 1.0)


def test_the_axis_is_labelled_at_its_ends_and_at_0_5() -> None:
    labels = [label.strip() for label in axis_labels(4, 0.0, 1.0)]
    assert labels[0] == "1" and labels[-1] == "0" and "0.5" in labels
    zoomed = [label.strip() for label in axis_labels(4, 0.75, 0.85)]
    assert zoomed[0] == "0.85" and zoomed[-1] == "0.75"
    assert len({len(label) for label in axis_labels(6, 0.3, 0.6)}) == 1  # the chart's rows line up


def test_the_0_5_line_shows_where_no_column_reaches_it() -> None:
    top, upper, lower, bottom = column_chart([0.2, 0.9], [3, 3], 1, rows=4)
    assert upper.plain.startswith(REFERENCE * 3 + REFERENCE)  # over the low column, and in the gap
    assert "█" in upper.plain[4:]  # the high column covers the line
    assert REFERENCE not in top.plain + lower.plain + bottom.plain
    assert REFERENCE not in "".join(line.plain for line in column_chart([0.8, 0.9], [1, 1], 0, rows=4, low=0.75, high=0.95))
