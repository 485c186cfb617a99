"""Locust scenario of the two-server rehearsal (``bench/rehearsal.py``).

The people of ``bench/locustfile.py`` at work, each on one of the app servers
(BENCH_HOSTS, comma-separated; a person keeps their server, as behind a sticky
load balancer), and doing two things that write:

- liaisons and unit heads file progress reports on their unit's tasks; every
  report the server acknowledged (302 to the task) is written to BENCH_ACKS with
  its unique text, to be looked for in the database afterwards;
- office staff export the ledger of one unit (more rows than
  EXPORT_INLINE_MAX_ROWS, so a job on the queue).

Request names start with the server's letter (A / B), so the figures of each
server's clients can be told apart after one of them is killed.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
import uuid

from locust import HttpUser, between, events, task
from locustfile import CSRF, PASSWORD, PEOPLE, THINK

HOSTS = os.environ["BENCH_HOSTS"].split(",")
ACKS = os.environ["BENCH_ACKS"]
PERCENT = re.compile(r'name="percent"[^>]*value="(\d+)"')
_lock = threading.Lock()
RUN = uuid.uuid4().hex[:8]


# BENCH_TIMINGS (the capacity steps): every request's time, so the steady state
# can be measured without the sign-ins (a deliberately slow password hash) of
# people still arriving.
TIMINGS = os.environ.get("BENCH_TIMINGS")


@events.request.add_listener
def record_timing(request_type, name, response_time, exception, **_kw) -> None:
    if not TIMINGS:
        return
    line = {
        "t": round(time.time(), 3),
        "name": name,
        "ms": round(response_time, 1),
        "error": exception is not None,
    }
    with _lock, open(TIMINGS, "a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")


def ack(line: dict) -> None:
    with _lock, open(ACKS, "a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")


class Worker(HttpUser):
    wait_time = between(THINK[0], THINK[1])

    @property
    def overseer(self) -> bool:
        return self.me["role"] in {"office", "leader"}

    def on_start(self) -> None:
        self.server = random.randrange(len(HOSTS))
        self.letter = "AB"[self.server] if len(HOSTS) <= 2 else str(self.server)
        self.client.base_url = HOSTS[self.server]
        self.me = random.choice(PEOPLE)
        page = self.client.get("/accounts/login/", name=f"{self.letter} login page")
        match = CSRF.search(page.text or "")
        if not match:
            return
        self.client.post(
            "/accounts/login/",
            {
                "username": self.me["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": match.group(1),
            },
            headers={"Referer": self.client.base_url + "/accounts/login/"},
            name=f"{self.letter} login",
            allow_redirects=False,
        )

    def get(self, url: str, name: str):
        return self.client.get(url, name=f"{self.letter} {name}")

    @task(3)
    def home(self) -> None:
        self.get("/", "home")

    @task(3)
    def dashboard(self) -> None:
        if self.overseer:
            self.get("/dashboard/", "dashboard")
        else:
            self.get("/tasks/?status=open", "task list (open)")

    @task(4)
    def task_list(self) -> None:
        self.get(f"/tasks/?page={random.randint(1, 5)}", "task list")

    @task(4)
    def task_page(self) -> None:
        self.get(f"/tasks/{random.choice(self.me['tasks'])}/", "task page")

    @task(1)
    def meetings(self) -> None:
        self.get("/meetings/", "meeting list")

    @task(3)
    def file_report(self) -> None:
        if self.overseer or not self.me.get("report_tasks"):
            return
        pk = random.choice(self.me["report_tasks"])
        url = f"/tasks/{pk}/report/"
        form = self.get(url, "report form")
        token = CSRF.search(form.text or "")
        percent = PERCENT.search(form.text or "")
        if form.status_code != 200 or not token:
            return
        text = f"演练报送 {RUN}-{uuid.uuid4().hex[:12]}"
        with self.client.post(
            url,
            {
                "text": text,
                "percent": percent.group(1) if percent else "50",
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": self.client.base_url + url},
            name=f"{self.letter} report (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302 and response.headers.get(
                "Location", ""
            ).rstrip("/").endswith(f"/tasks/{pk}"):
                ack({"task": pk, "text": text, "server": self.letter})
                response.success()
            else:
                response.failure(f"report not acknowledged: {response.status_code}")

    @task(1)
    def export(self) -> None:
        if self.me["role"] != "office" or not self.me.get("export_units"):
            return
        unit = random.choice(self.me["export_units"])
        with self.client.get(
            f"/tasks/export.xlsx?unit={unit}&status=",
            name=f"{self.letter} ledger export (job)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302 and "/jobs/" in response.headers.get(
                "Location", ""
            ):
                ack({"job": response.headers["Location"], "server": self.letter})
                response.success()
            else:
                response.failure(f"export not queued: {response.status_code}")
