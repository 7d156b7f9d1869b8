"""`make bench-load`'s own parts: the plan it gives locust (its keys work, its deposit files are
ones the portal queues) and the report it reads back from locust's CSV files."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bench.load import run
from deposits.validation import check_structure


@pytest.fixture
def out(monkeypatch, tmp_path) -> Path:
    monkeypatch.setattr(run, "OUT", tmp_path)
    return tmp_path


@pytest.mark.django_db
def test_the_plan_signs_in_reads_and_deposits_with_what_it_made(client, out):
    plan = run.fill(works=4, citing=2, deposits=3)

    assert len(plan["dois"]) == 4 and len(plan["deposit_files"]) == 3
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {plan['api_key']}"}
    assert client.get(f"/api/v1/works/{plan['dois'][0]}/cited-by", **bearer).status_code == 200
    assert client.get(f"/widget/v1/data/{plan['dois'][0]}?key={plan['widget_key']}",
                      HTTP_ORIGIN=plan["origin"]).status_code == 200
    assert client.login(username=plan["email"], password=plan["password"])
    assert client.get(plan["dashboard"]).status_code == 200
    for path in plan["deposit_files"]:
        with open(path, "rb") as handle:
            assert check_structure(handle) == []
    # Each file is new (the same file twice would be refused as a repeat) and cites the read works.
    contents = [Path(path).read_bytes() for path in plan["deposit_files"]]
    assert len(set(contents)) == 3
    assert plan["dois"][0].encode() in b"".join(contents)


def _locust_csv(folder: Path, rows: list[tuple[str, int, int, float, float]], failures: list[tuple[str, str, int]]) -> None:
    with open(folder / "locust_stats.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Type", "Name", "Request Count", "Failure Count", "Requests/s", "50%", "95%"])
        for name, count, errors, p50, p95 in rows:
            writer.writerow(["GET" if name != "Aggregated" else "", name, count, errors, count / 300, p50, p95])
    with open(folder / "locust_failures.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Method", "Name", "Error", "Occurrences"])
        writer.writerows([("GET", name, error, n) for name, error, n in failures])


def test_the_report_ends_with_the_figures_locust_measured_and_names_each_error(out, capsys):
    _locust_csv(out, [("widget", 900, 0, 4, 9), ("works", 400, 2, 12, 31), ("cited-by", 200, 0, 15, 28),
                      ("deposit", 60, 0, 150, 400), ("Aggregated", 1560, 2, 6, 25)],
                [("works", "HTTPError('500 Server Error')", 2)])

    run.report(applied=59, pending=1)

    lines = capsys.readouterr().out.splitlines()
    assert "error: GET works: HTTPError('500 Server Error') (2 times)" in lines
    assert "deposits: 60 posted, 59 applied, 1 still waiting" in lines
    assert lines[-1] == ("requests=1560 requests_per_s=5.2 errors=2 widget_p95_ms=9 works_p95_ms=31 citedby_p95_ms=28 "
                         "dashboard_p95_ms=nan deposit_p95_ms=400 deposits_posted=60 deposits_applied=59 "
                         "widget_popular_p95_ms=nan widget_rest_p95_ms=nan citedby_popular_p95_ms=nan citedby_rest_p95_ms=nan")


def test_the_report_gives_the_popular_works_reads_apart_from_the_rest(out, capsys):
    # Popular works' answers come from the cache nearly always; the rest are mostly first reads.
    _locust_csv(out, [("widget", 200, 0, 5, 40), ("cited-by", 20, 0, 10, 50), ("Aggregated", 220, 0, 5, 40)], [])
    times = ([["widget", "popular", float(ms)] for ms in range(1, 101)]
             + [["widget", "rest", float(ms)] for ms in range(101, 201)]
             + [["cited-by", "rest", 50.0]] * 20 + [["works", "", 7.0]])
    (out / run.TIMES).write_text(json.dumps(times))

    run.report(applied=0, pending=0)

    lines = capsys.readouterr().out.splitlines()
    assert "  widget, the 20 most asked works (from the cache nearly always): 100 answers, p50 51 ms, p95 95 ms (target <= 10 ms)" in lines
    assert "  widget, the other works (mostly first reads): 100 answers, p50 151 ms, p95 195 ms" in lines
    assert lines[-1].endswith("widget_popular_p95_ms=95 widget_rest_p95_ms=195 citedby_popular_p95_ms=nan citedby_rest_p95_ms=50")
