"""Change logs name what a changed reference points to, never its id."""

from __future__ import annotations

from tasks.models import Task
from tasks.timeline import build_timeline
from tests.base import PortalTestCase

from .factories import issued_decisions, make_task


class TimelineNamesTests(PortalTestCase):
    def test_a_task_moved_to_another_decided_matter_names_both(self):
        first, second = issued_decisions(
            self.office, ["开展联合执法行动。", "开展知识产权宣传周活动。"]
        )
        task = make_task(by=self.office, lead=self.unit_a, decision=first)
        task = Task.objects.get(pk=task.pk)
        task.decision = second  # as a correction of the minutes moves it
        task._history_user = self.office
        task._change_reason = "纪要更正，任务随之调整"
        task.save()
        changes = [c for e in build_timeline(task) for c in e.changes]
        [moved] = [c for c in changes if c.label == "议定事项"]
        self.assertEqual((moved.old, moved.new), (str(first), str(second)))
        self.assertIn(first.code, moved.old)
        self.assertNotEqual(moved.new, str(second.pk))
