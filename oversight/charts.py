"""Geometry for the small SVG bar charts the admin templates draw.

The templates only place what this computes, so a chart is plain markup:
no JavaScript, nothing fetched from elsewhere, readable by a screen reader
through its <title> and the table shown next to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.money import format_rupiah


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    value_label: str
    highlight: bool = False


@dataclass
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    max_value: int
    baseline: float


def bar_chart(
    points: list[tuple[str, int]],
    *,
    width: int = 320,
    height: int = 120,
    max_value: int | None = None,
    highlight_last: bool = True,
    money: bool = True,
) -> BarChart:
    """Bars for `points` ((label, value) pairs), scaled to `max_value` (default:
    the largest value) so several charts can share one scale."""
    label_space, top_space = 16, 14
    plot_height = height - label_space - top_space
    top = max([value for _label, value in points] + [max_value or 0, 1])
    slot = width / max(len(points), 1)
    bar_width = slot * 0.7
    bars = []
    for index, (label, value) in enumerate(points):
        bar_height = plot_height * value / top
        bars.append(
            Bar(
                x=round(index * slot + (slot - bar_width) / 2, 1),
                y=round(top_space + plot_height - bar_height, 1),
                width=round(bar_width, 1),
                height=round(bar_height, 1),
                label=label,
                value=value,
                value_label=format_rupiah(value) if money else str(value),
                highlight=highlight_last and index == len(points) - 1,
            )
        )
    return BarChart(
        width=width, height=height, bars=bars, max_value=top, baseline=top_space + plot_height
    )
