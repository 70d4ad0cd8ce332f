"""The load of `make bench` (issue 19), for `locust --headless` started by bench.py.

Each simulated client sends requests back to back (no think time). Each request picks a person at
random among the plan's signed-in people, then one of that person's page kinds weighted like a
working day (devdata/bench/people.py: WEIGHTS), then one of their addresses of that kind, and sends
it with the person's own session and CSRF cookies. BENCH_TARGET=floor sends the same choice to the
page's floor instead. BENCH_KINDS limits the kinds (and so the people who have them).

Every answer after the first BENCH_WARMUP seconds is recorded (kind, latency, status) and written
to BENCH_OUT when locust quits, with this process's own CPU time over the measured window: the
reader of the table sees whether the client had a core to spare.

Environment: BENCH_PLAN (the JSON written by bench.py), BENCH_OUT, BENCH_TARGET (page|floor),
BENCH_KINDS (comma-separated, empty: all), BENCH_WARMUP and BENCH_DURATION (seconds: answers after
the window are not counted; bench.py stops locust without waiting for them).
"""

from __future__ import annotations

import json
import os
import random
import resource
import time

from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["BENCH_PLAN"], encoding="utf-8").read())  # noqa: SIM115
TARGET = 1 if os.environ.get("BENCH_TARGET") == "floor" else 0
WANTED = {k for k in os.environ.get("BENCH_KINDS", "").split(",") if k}
WARMUP = float(os.environ.get("BENCH_WARMUP", "0"))
DURATION = float(os.environ.get("BENCH_DURATION", "1e9"))
WEIGHTS = PLAN["weights"]

PEOPLE = []
for person in PLAN["people"]:
    kinds = [k for k in person["pages"] if not WANTED or k in WANTED]
    if kinds:
        PEOPLE.append((person["cookie"], kinds, [WEIGHTS[k] for k in kinds], person["pages"]))
if not PEOPLE:
    raise SystemExit(f"Нет людей со страницами {sorted(WANTED)}")

STATE = {"started": None, "measured_from": None, "until": None, "cpu_from": None, "cpu_to": None}
RECORDS: list[tuple[str, float, int]] = []


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@events.test_start.add_listener
def _started(**_kwargs) -> None:
    STATE["started"] = time.monotonic()
    STATE["measured_from"] = STATE["started"] + WARMUP
    STATE["until"] = STATE["measured_from"] + DURATION


@events.request.add_listener
def _recorded(name, response_time, response=None, exception=None, **_kwargs) -> None:
    now = time.monotonic()
    if STATE["measured_from"] is None or now < STATE["measured_from"]:
        return
    if STATE["cpu_from"] is None:
        STATE["cpu_from"] = (now, _cpu())
    if now > STATE["until"]:  # answered after the window: locust is stopping
        if STATE["cpu_to"] is None:
            STATE["cpu_to"] = (STATE["until"], _cpu())
        return
    status = getattr(response, "status_code", 0) or 0
    RECORDS.append((name, response_time, 0 if exception else status))


@events.quitting.add_listener
def _written(**_kwargs) -> None:
    now, cpu_now = STATE["cpu_to"] or (min(time.monotonic(), STATE["until"] or 1e18), _cpu())
    since, cpu = STATE["cpu_from"] or (now, cpu_now)
    result = {
        "seconds": max(now - since, 1e-9),
        "client_cpu_seconds": cpu_now - cpu,
        "records": RECORDS,
    }
    with open(os.environ["BENCH_OUT"], "w", encoding="utf-8") as out:
        json.dump(result, out)


class Person(FastHttpUser):
    wait_time = constant(0)
    network_timeout = 120.0
    connection_timeout = 30.0

    @task
    def open_a_page(self) -> None:
        cookie, kinds, weights, pages = random.choice(PEOPLE)
        kind = random.choices(kinds, weights)[0]
        url = random.choice(pages[kind])[TARGET]
        self.client.cookiejar.clear()  # only the person's own cookies, never the last one's
        with self.client.get(
            url, headers={"Cookie": cookie}, name=kind, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
