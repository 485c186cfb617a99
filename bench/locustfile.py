"""Locust scenario for ``bench/load.py``: people of the group at work.

Each simulated person logs in once with a bench account (password
``jinwei-bench-2026``, set by seed_bench; the right password, so django-axes never
counts a failure) and then, with 1–3 s of reading between clicks (BENCH_THINK=min,max), opens what their
role opens: liaisons their unit's home (inbox), the task list and their tasks;
office staff and leaders the dashboard, the task list (filtered, paged) and tasks.
Task ids a person may open come from ``BENCH_TASKS_FILE`` (written by load.py).
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "jinwei-bench-2026")
PEOPLE = json.loads(open(os.environ["BENCH_TASKS_FILE"], encoding="utf-8").read())
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


THINK = [float(x) for x in os.environ.get("BENCH_THINK", "1,3").split(",")]


class Person(HttpUser):
    wait_time = between(THINK[0], THINK[1])

    def on_start(self) -> None:
        self.me = random.choice(PEOPLE)
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/accounts/login/",
            {
                "username": self.me["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.client.base_url + "/accounts/login/"},
            name="login",
            allow_redirects=False,
        )
        if response.status_code != 302:
            response.failure(f"login failed: {response.status_code}")

    @property
    def overseer(self) -> bool:
        return self.me["role"] in {"office", "leader"}

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home (unit inbox / office home)")

    @task(3)
    def dashboard(self) -> None:
        if self.overseer:
            self.client.get("/dashboard/", name="dashboard")
        else:
            self.client.get("/tasks/?status=open", name="task list (open)")

    @task(4)
    def task_list(self) -> None:
        page = random.randint(1, 5)
        self.client.get(f"/tasks/?page={page}", name="task list")

    @task(4)
    def task_page(self) -> None:
        pk = random.choice(self.me["tasks"])
        self.client.get(f"/tasks/{pk}/", name="task page (reports)")

    @task(1)
    def meetings(self) -> None:
        self.client.get("/meetings/", name="meeting list")
