"""What a unit liaison trips over in everyday task work (browser review of
2026-12): forms that start from someone else's figures, refusals only learnt
after typing, and input lost on an error."""

from __future__ import annotations

import shutil
import tempfile

from django.test import override_settings
from django.urls import reverse

from tasks import services
from tasks.models import Task
from tests.base import PortalTestCase

from .factories import make_task

MEDIA = tempfile.mkdtemp(prefix="jinwei-unit-review-")


def tearDownModule():
    shutil.rmtree(MEDIA, ignore_errors=True)


@override_settings(MEDIA_ROOT=MEDIA)
class ReportFormStartTests(PortalTestCase):
    def setUp(self):
        self.task = make_task(by=self.office, lead=self.unit_a, co=[self.unit_b])
        services.task_sign(task=self.task, by=self.liaison_a)
        services.progress_report_file(
            task=Task.objects.get(pk=self.task.pk),
            by=self.liaison_a,
            text="牵头部分已完成",
            percent=100,
        )
        self.url = reverse("tasks:report", args=[self.task.pk])

    def percent_field(self, response) -> str:
        return response.context["form"]["percent"].value()

    def test_a_co_unit_starts_from_its_own_figure_not_the_leads(self):
        page = self.get_as(self.liaison_b, self.url)
        self.assertEqual(self.percent_field(page), 0)
        self.assertNotContains(page, 'value="100"')
        services.progress_report_file(
            task=Task.objects.get(pk=self.task.pk),
            by=self.liaison_b,
            text="配合部分过半",
            percent=60,
        )
        page = self.get_as(self.liaison_b, self.url)
        self.assertEqual(self.percent_field(page), 60)

    def test_the_lead_starts_from_the_tasks_progress(self):
        page = self.get_as(self.liaison_a, self.url)
        self.assertEqual(self.percent_field(page), 100)
