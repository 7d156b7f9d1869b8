"""The chart's geometry, without a database: bars scale to the busiest month, empty months are flat."""
import datetime

from citations.month_chart import HEIGHT, month_chart


def test_bars_scale_to_the_busiest_month_and_sit_on_one_baseline():
    chart = month_chart([(datetime.date(2026, 1, 1), 2), (datetime.date(2026, 2, 1), 0), (datetime.date(2026, 3, 1), 4)])
    low, empty, high = chart.bars
    assert high.height == 2 * low.height and empty.height == 0
    assert {round(bar.y + bar.height, 1) for bar in chart.bars} == {chart.baseline}
    assert low.x < empty.x < high.x and high.x + high.width <= chart.width
    assert chart.total == 6 and high.label == "Mar 2026" and high.y >= 0 and chart.baseline < HEIGHT


def test_a_series_of_zeros_draws_no_bar_and_does_not_divide_by_zero():
    chart = month_chart([(datetime.date(2026, 1, 1), 0)])
    assert chart.bars[0].height == 0 and chart.total == 0
