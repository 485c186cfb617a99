"""The task page offers exactly what the task services accept.

For every task state and every role, the actions the page shows (its buttons,
forms and links) are compared with the actions the services accept when each is
tried on its own (and undone): neither a button that leads to a refusal nor an
action the services allow but the page hides.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from members.models import Unit
from tasks import extensions, services
from tasks.models import Extension, Task
from tests.base import PortalTestCase

from .factories import make_task

STATES = [
    "assigned",
    "signed",
    "in_progress",
    "ready_for_closure",
    "closure_requested",
    "returned",
    "closed",
    "pending_extension",
]


class _Undo(Exception):
    pass


class ActionMatrixTests(PortalTestCase):
    def setUp(self) -> None:
        # a second co-unit that never reports: the one the office may excuse
        self.unit_c = Unit.objects.get(code="xcb")
        self.roles = {
            "office": self.office,
            "leader": self.leader,
            "lead liaison": self.liaison_a,
            "lead head": self.head_a,
            "co-unit liaison": self.liaison_b,
            "another unit": self.outsider,
        }

    # --- building a task in each state --------------------------------------

    def fresh(self, task: Task) -> Task:
        return Task.objects.get(pk=task.pk)

    def build(self, state: str) -> Task:
        task = make_task(
            by=self.office, lead=self.unit_a, co=[self.unit_b, self.unit_c]
        )
        if state == "assigned":
            return task
        services.task_sign(task=self.fresh(task), by=self.liaison_a)
        if state == "signed":
            return task
        if state == "pending_extension":
            extensions.extension_request(
                task=self.fresh(task),
                by=self.liaison_a,
                reason="现场核查尚未完成",
                new_due_on=task.due_on + timedelta(days=20),
            )
            return task
        services.progress_report_file(
            task=self.fresh(task), by=self.liaison_b, text="配合部分完成", percent=100
        )
        if state == "in_progress":
            services.progress_report_file(
                task=self.fresh(task), by=self.liaison_a, text="推进中", percent=60
            )
            return task
        services.progress_report_file(
            task=self.fresh(task), by=self.liaison_a, text="全部完成", percent=100
        )
        services.co_unit_waive(task=task, unit=self.unit_c, by=self.office)
        if state == "ready_for_closure":
            return task
        services.closure_request(task=self.fresh(task), by=self.liaison_a)
        if state == "closure_requested":
            return task
        if state == "returned":
            services.task_return(task=self.fresh(task), by=self.office, reason="补材料")
            return task
        services.task_close(task=self.fresh(task), by=self.office)
        return task

    # --- what the page shows ------------------------------------------------

    def shown(self, task: Task, user) -> set[str]:
        response = self.get_as(user, task.get_absolute_url())
        if response.status_code == 404:
            return set()
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()

        def url(name: str, pk: int | None = None) -> str:
            return reverse(f"tasks:{name}", args=[pk or task.pk])

        found = set()
        if "签收任务</button>" in html:
            found.add("sign")
        if "确认收到配合任务</button>" in html:
            found.add("acknowledge")
        for name, attribute in (
            ("report", "href"),
            ("closure", "action"),
            ("extension", "href"),
            ("return", "action"),
            ("close", "action"),
            ("edit", "href"),
            ("reassign", "href"),
        ):
            if f'{attribute}="{url(name)}"' in html:
                found.add(name)
        decide = re.escape(reverse("tasks:extension_decide", args=[0])).replace(
            "0", r"(\d+)"
        )
        found |= {f"decide:{pk}" for pk in re.findall(f'action="{decide}"', html)}
        waive = re.escape(url("waive"))
        found |= {
            f"waive:{pk}"
            for pk in re.findall(
                f'action="{waive}".*?name="unit" value="(\\d+)"', html, re.S
            )
        }
        report_edit = re.escape(reverse("tasks:report_edit", args=[0])).replace(
            "0", r"(\d+)"
        )
        found |= {
            f"edit_report:{pk}" for pk in re.findall(f'href="{report_edit}"', html)
        }
        return found

    # --- what the services accept -------------------------------------------

    def attempts(self, task: Task, user):
        fresh = lambda: self.fresh(task)  # noqa: E731
        yield "sign", lambda: services.task_sign(task=fresh(), by=user)
        yield "acknowledge", lambda: services.task_acknowledge(task=fresh(), by=user)
        yield (
            "report",
            lambda: services.progress_report_file(
                task=fresh(), by=user, text="本月进展", percent=80
            ),
        )
        yield "closure", lambda: services.closure_request(task=fresh(), by=user)
        yield (
            "extension",
            lambda: extensions.extension_request(
                task=fresh(),
                by=user,
                reason="需协调单位较多",
                new_due_on=task.due_on + timedelta(days=30),
            ),
        )
        yield (
            "return",
            lambda: services.task_return(task=fresh(), by=user, reason="请补充"),
        )
        yield "close", lambda: services.task_close(task=fresh(), by=user)
        yield (
            "edit",
            lambda: services.task_edit(
                task=fresh(),
                title="修改后的标题",
                description="修改后的内容",
                duties=[],
                by=user,
                version=fresh().edit_version,
            ),
        )
        yield (
            "reassign",
            lambda: services.task_reassign(
                task=fresh(),
                lead=self.unit_a,
                co_units=[self.unit_b, self.unit_c],
                due=fresh().due_on + timedelta(days=1),
                by=user,
                version=fresh().edit_version,
            ),
        )
        for extension in Extension.objects.filter(task=task):
            yield (
                f"decide:{extension.pk}",
                lambda e=extension: extensions.extension_decide(
                    extension=e, approve=True, by=user, note="同意"
                ),
            )
        for unit in (self.unit_b, self.unit_c):
            yield (
                f"waive:{unit.pk}",
                lambda u=unit: services.co_unit_waive(task=fresh(), unit=u, by=user),
            )
        for report in task.reports.all():
            yield (
                f"edit_report:{report.pk}",
                lambda r=report: services.progress_report_edit(
                    report=r,
                    by=user,
                    text="更正后的进展",
                    percent=r.percent,
                    version=r.edit_version,
                ),
            )

    def accepted(self, task: Task, user) -> set[str]:
        result = set()
        for name, attempt in self.attempts(task, user):
            try:
                with transaction.atomic():
                    attempt()
                    raise _Undo
            except _Undo:
                result.add(name)
            except (ValidationError, PermissionDenied):
                pass
        return result

    # --- the matrix ---------------------------------------------------------

    def test_the_page_offers_exactly_what_the_services_accept(self) -> None:
        matrix: dict[tuple[str, str], set[str]] = {}
        for state in STATES:
            task = self.build(state)
            for role, user in self.roles.items():
                with self.subTest(state=state, role=role):
                    shown = self.shown(task, user)
                    self.assertEqual(shown, self.accepted(task, user))
                    matrix[state, role] = shown
        # and the matrix says what the work rules say (so it cannot pass empty)
        self.assertEqual(matrix["assigned", "lead liaison"] & {"sign"}, {"sign"})
        self.assertIn("sign", matrix["assigned", "lead head"])
        self.assertIn("report", matrix["assigned", "co-unit liaison"])
        self.assertIn("acknowledge", matrix["assigned", "co-unit liaison"])
        self.assertNotIn("report", matrix["assigned", "lead liaison"])
        self.assertIn("closure", matrix["ready_for_closure", "lead liaison"])
        self.assertNotIn("closure", matrix["in_progress", "lead liaison"])
        self.assertEqual(
            {"close", "return"} & matrix["closure_requested", "office"],
            {"close", "return"},
        )
        self.assertNotIn("report", matrix["closure_requested", "lead liaison"])
        self.assertIn("report", matrix["closure_requested", "co-unit liaison"])
        self.assertIn("extension", matrix["returned", "lead head"])
        self.assertNotIn("extension", matrix["pending_extension", "lead liaison"])
        self.assertTrue(
            any(a.startswith("decide:") for a in matrix["pending_extension", "leader"])
        )
        self.assertIn(f"waive:{self.unit_c.pk}", matrix["signed", "office"])
        self.assertNotIn(f"waive:{self.unit_b.pk}", matrix["in_progress", "office"])
        self.assertEqual(matrix["closed", "office"], set())
        for state in STATES:
            self.assertEqual(matrix[state, "another unit"], set())
