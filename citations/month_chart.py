"""A bar chart of counts per month as SVG geometry, for a template to draw (no JavaScript, no
style attributes: the strict CSP allows the SVG presentation attributes the template uses)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

WIDTH, HEIGHT = 600, 180
TOP, BOTTOM, LEFT = 16, 30, 8  # room for the value above and the month below each bar


@dataclass(frozen=True)
class Bar:
    month: datetime.date
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return self.x + self.width / 2

    @property
    def label(self) -> str:
        return self.month.strftime("%b %Y")

    @property
    def value_y(self) -> float:
        return round(self.y - 4, 1)

    @property
    def short(self) -> str:
        return self.month.strftime("%b")


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    total: int
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def baseline(self) -> int:
        return HEIGHT - BOTTOM


def month_chart(months: list[tuple[datetime.date, int]]) -> Chart:
    """Bars scaled to the largest month; an all-zero series draws flat bars of height 0."""
    peak = max((count for _, count in months), default=0)
    slot = (WIDTH - 2 * LEFT) / max(len(months), 1)
    plot = HEIGHT - TOP - BOTTOM - 12
    bars = []
    for index, (month, count) in enumerate(months):
        height = plot * count / peak if peak else 0
        bars.append(Bar(month=month, count=count, x=round(LEFT + index * slot + slot * 0.15, 1),
                        y=round(HEIGHT - BOTTOM - height, 1), width=round(slot * 0.7, 1), height=round(height, 1)))
    return Chart(bars=bars, total=sum(count for _, count in months))
