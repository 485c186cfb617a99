"""A 403 is one audit line with who, what and where, not a logged traceback."""

from __future__ import annotations

from django.urls import reverse

from tests.base import PortalTestCase
from tests.tasks.factories import make_task


class ForbiddenLogTests(PortalTestCase):
    def test_a_refusal_logs_one_line_and_no_traceback(self):
        task = make_task(by=self.office, lead=self.unit_a)
        url = reverse("tasks:edit", args=[task.pk])
        with (
            self.assertNoLogs("django.request"),
            self.assertLogs("jinwei_ip.audit", level="WARNING") as audit,
        ):
            response = self.get_as(self.leader, url)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(len(audit.records), 1)
        line = audit.output[0]
        self.assertIn("permission_denied", line)
        self.assertIn(url, line)
        self.assertIn(self.leader.username, line)
        self.assertIsNone(audit.records[0].exc_info)
