"""A note or reason longer than its field allows is refused with a message naming
the field, and the action is not taken: nothing is saved empty or cut short."""

from __future__ import annotations

from django.urls import reverse

from tasks import services
from tasks.models import Task, TaskEvent
from tests.base import PortalTestCase
from tests.tasks.factories import make_task

LONG = "说" * 2001


class OverlongNoteTests(PortalTestCase):
    def ready_for_closure(self) -> Task:
        task = make_task(by=self.office, lead=self.unit_a)
        services.task_sign(task=task, by=self.liaison_a)
        services.progress_report_file(
            task=task, by=self.liaison_a, text="已完成。", percent=100, files=[]
        )
        task.refresh_from_db()
        return task

    def test_closure_request_note_too_long(self) -> None:
        task = self.ready_for_closure()
        response = self.post_as(
            self.liaison_a,
            reverse("tasks:closure", args=[task.pk]),
            {"note": LONG},
            follow=True,
        )
        self.assertContains(response, "“说明”最多 2000 字")
        task.refresh_from_db()
        self.assertNotEqual(task.status, Task.Status.CLOSURE_REQUESTED)
        # whole note accepted at the limit
        self.post_as(
            self.liaison_a,
            reverse("tasks:closure", args=[task.pk]),
            {"note": "说" * 2000},
        )
        task.refresh_from_db()
        self.assertEqual(task.status, Task.Status.CLOSURE_REQUESTED)
        event = task.events.filter(kind=TaskEvent.Kind.CLOSURE_REQUESTED).get()
        self.assertEqual(event.note, "说" * 2000)

    def test_close_note_too_long(self) -> None:
        task = self.ready_for_closure()
        services.closure_request(task=task, by=self.liaison_a)
        response = self.post_as(
            self.office,
            reverse("tasks:close", args=[task.pk]),
            {"note": LONG},
            follow=True,
        )
        # the message names the field and the limit
        self.assertContains(response, "“说明”最多 2000 字")
        task.refresh_from_db()
        self.assertEqual(task.status, Task.Status.CLOSURE_REQUESTED)

    def test_return_reason_too_long_says_so(self) -> None:
        task = self.ready_for_closure()
        services.closure_request(task=task, by=self.liaison_a)
        response = self.post_as(
            self.office,
            reverse("tasks:return", args=[task.pk]),
            {"reason": LONG},
            follow=True,
        )
        self.assertContains(response, "“退回理由”最多 2000 字")
        self.assertNotContains(response, "请填写退回理由")
        task.refresh_from_db()
        self.assertEqual(task.status, Task.Status.CLOSURE_REQUESTED)

    def test_waive_note_too_long_is_a_message_not_404(self) -> None:
        task = make_task(by=self.office, lead=self.unit_a, co=[self.unit_b])
        response = self.post_as(
            self.office,
            reverse("tasks:waive", args=[task.pk]),
            {"unit": self.unit_b.pk, "note": "免" * 501},
            follow=True,
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "免报说明：")
        self.assertFalse(task.co_unit_links.get(unit=self.unit_b).report_waived)
