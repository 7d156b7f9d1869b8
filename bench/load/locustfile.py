"""The mixed traffic of `make bench-load`, for locust (headless). Not imported by the portal.

What a day looks like, in proportion: readers' browsers ask the widget's data on article pages
(most of the traffic); platforms read works through the public works API and their cited-by lists
through the members' API; editors browse their dashboard; and now and then a platform posts a
deposit. The plan (`LOAD_PLAN`, a JSON file written by bench/load/run.py) names the DOIs, keys,
login and deposit files to use.
"""
from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import quote

from locust import HttpUser, between, constant_pacing, constant_throughput, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
# Every posted deposit file is a new one (the same file twice would be refused as a repeat).
_deposit_files = iter(PLAN["deposit_files"])


# Every answer's (name, which works it was for, milliseconds): run.py splits the widget's
# and the cited-by API's figures by it (LOAD_TIMES names the file, written when the traffic stops).
_times: list[tuple[str, str, float]] = []


@events.request.add_listener
def _keep_time(request_type, name, response_time, response_length, exception, context, **kwargs) -> None:
    _times.append((name, (context or {}).get("works", ""), response_time))


@events.test_stop.add_listener
def _write_times(environment, **kwargs) -> None:
    if os.environ.get("LOAD_TIMES"):
        Path(os.environ["LOAD_TIMES"]).write_text(json.dumps(_times))


def _doi_path(doi: str) -> str:
    return quote(doi, safe="/")


class Reader(HttpUser):
    """A reader's browser, a platform reading, or an editor: its tasks, weighted, are the mix."""

    # A steady rate per reader when the plan sets one (an offered load), else as fast as answers come.
    wait_time = constant_throughput(PLAN["reader_rate"]) if PLAN.get("reader_rate") else between(0.05, 0.3)

    def on_start(self) -> None:
        self.random = random.Random()
        self.signed_in = False
        if PLAN.get("reader_rate"):
            # Each reader on a beat of its own: locust starts them all within a second, and
            # constant_throughput then kept them in step, 16 requests arriving together every
            # second and queueing behind each other (medians 4-5x those at saturation).
            time.sleep(self.random.uniform(0, 1 / PLAN["reader_rate"]))  # (gevent's sleep: locust patches it)

    def _doi(self) -> str:
        return self._asked()[0]

    def _asked(self) -> tuple[str, dict]:
        """A DOI and the request's context: whether it is one of the plan's popular works. A few works
        are asked for far more often than the rest, as on real article pages."""
        dois = PLAN["dois"]
        if self.random.random() < 0.5:
            return dois[self.random.randrange(min(PLAN["popular"], len(dois)))], {"works": "popular"}
        return self.random.choice(dois), {"works": "rest"}

    @task(10)
    def widget(self) -> None:
        doi, context = self._asked()
        self.client.get(f"/widget/v1/data/{_doi_path(doi)}?key={PLAN['widget_key']}",
                        headers={"Origin": PLAN["origin"]}, name="widget", context=context)

    @task(5)
    def works_api(self) -> None:
        self.client.get(f"/works/{_doi_path(self._doi())}", headers={"Accept": "application/json"}, name="works")

    @task(3)
    def cited_by_api(self) -> None:
        doi, context = self._asked()
        self.client.get(f"/api/v1/works/{_doi_path(doi)}/cited-by",
                        headers={"Authorization": f"Bearer {PLAN['api_key']}"}, name="cited-by", context=context)

    @task(2)
    def dashboard(self) -> None:
        self._sign_in()
        page = self.random.choice(["home", "works", "work"])
        if page == "home":
            self.client.get(PLAN["dashboard"], name="dashboard")
        elif page == "works":
            self.client.get(f"{PLAN['dashboard']}?sort=count&cited=cited&page={self.random.randint(1, 3)}", name="dashboard")
        else:
            self.client.get(f"/cited-by/{_doi_path(self._doi())}", name="dashboard")

    def _sign_in(self) -> None:
        if self.signed_in:
            return
        page = self.client.get("/accounts/login/", name="sign-in")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post("/accounts/login/", name="sign-in", headers={"Referer": f"{self.host}/accounts/login/"},
                         data={"login": PLAN["email"], "password": PLAN["password"],
                               "csrfmiddlewaretoken": token.group(1) if token else ""})
        self.signed_in = True


class Platform(HttpUser):
    """A member's platform posting a new deposit (a few articles with references that cite the
    read works, so their cached widget answers are invalidated mid-run) every few seconds."""

    fixed_count = 1
    wait_time = constant_pacing(float(PLAN["deposit_every_s"]))

    @task
    def deposit(self) -> None:
        path = next(_deposit_files, None)
        if path is None:
            return
        with open(path, "rb") as handle:
            self.client.post("/api/v1/deposits/", files={"file": (Path(path).name, handle, "application/xml")},
                             # A connection of its own: kept alive for the next post, seconds later,
                             # it may be the one the server is closing as idle (gunicorn's keep-alive
                             # is 2 s) just as the post goes out, and a POST is never resent by the
                             # client (RFC 9112 9.3.1): one `RemoteDisconnected` in an earlier run.
                             headers={"Authorization": f"Bearer {PLAN['api_key']}", "Connection": "close"},
                             name="deposit")
