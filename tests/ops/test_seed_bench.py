"""``manage.py seed_bench`` on a small scale: counts, grants as the services write
them, every light, repeatable, and refusing a database with real data."""

from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from meetings.models import Meeting, Minutes
from members.models import User
from tasks.models import ProgressReport, Task
from tests.base import PortalTestCase

ARGS = ["--years", "2", "--tasks", "400", "--reports", "900", "--users", "40"]


def seed(*extra: str) -> str:
    out = StringIO()
    call_command("seed_bench", *ARGS, *extra, stdout=out)
    return out.getvalue()


def fingerprint() -> list[tuple]:
    return list(
        Task.objects.order_by("code").values_list(
            "code", "lead_unit__code", "status", "due_on", "progress"
        )
    )


class SeedBenchTests(PortalTestCase):
    def test_counts_grants_lights(self) -> None:
        seed()
        self.assertEqual(Task.objects.count(), 400)
        self.assertEqual(ProgressReport.objects.count(), 900)
        self.assertEqual(Meeting.objects.count(), 24)
        self.assertEqual(
            set(Meeting.objects.values_list("kind", flat=True)),
            set(Meeting.Kind.values),
        )
        self.assertTrue(Minutes.objects.issued().exists())
        self.assertEqual(User.objects.filter(username__startswith="bench_").count(), 40)
        lights = set(Task.objects.with_light().values_list("light_value", flat=True))
        self.assertEqual(lights, set(Task.Light.values))
        # Grants: a unit's accounts see exactly the tasks their unit leads or co-handles.
        liaison = User.objects.get(username="bench_liaison_sfj")
        self.assertEqual(
            set(Task.objects.visible_to(liaison).values_list("pk", flat=True)),
            set(Task.objects.for_unit(liaison.unit).values_list("pk", flat=True)),
        )
        task = Task.objects.filter(lead_unit=liaison.unit).first()
        self.assertTrue(liaison.has_perm("tasks.lead_task", task))
        co_task = Task.objects.filter(co_unit_links__unit=liaison.unit).first()
        self.assertTrue(liaison.has_perm("tasks.report_task", co_task))
        self.assertFalse(liaison.has_perm("tasks.lead_task", co_task))
        # Meetings: concerned units see them and read issued minutes.
        visible = Meeting.objects.visible_to(liaison)
        self.assertTrue(visible.filter(kind=Meeting.Kind.PLENARY).exists())
        self.assertLess(visible.count(), Meeting.objects.count())
        self.assertTrue(Meeting.objects.with_minutes_visible_to(liaison).exists())
        # Bench accounts can log in with the bench password.
        self.assertTrue(liaison.check_password("jinwei-bench-2026"))
        counts = dict(
            User.objects.filter(username__startswith="bench_")
            .values_list("role")
            .annotate(n=Count("id"))
        )
        self.assertGreaterEqual(counts["office"], 2)
        self.assertEqual(counts["unit_head"], 12)

    def test_refuses_a_database_with_data_unless_forced(self) -> None:
        seed()
        with self.assertRaisesMessage(CommandError, "already holds"):
            seed()
        seed("--force")
        self.assertEqual(Task.objects.count(), 800)
        self.assertEqual(Task.objects.values("code").distinct().count(), 800)

    def test_repeatable(self) -> None:
        prints = []
        for _ in range(2):
            with transaction.atomic():
                seed()
                prints.append(fingerprint())
                transaction.set_rollback(True)
        self.assertEqual(prints[0], prints[1])
        self.assertEqual(len(prints[0]), 400)

    def test_grants_are_the_ones_production_writes(self) -> None:
        """Syncing every meeting's and every task's grants through the services
        changes no row: the bench holds exactly what production would grant."""
        from meetings.models import MeetingGroupObjectPermission
        from meetings.services import meeting_grants_sync
        from tasks.creation import task_grants_sync
        from tasks.models import TaskGroupObjectPermission

        seed()

        def rows() -> set[tuple]:
            return set(
                MeetingGroupObjectPermission.objects.values_list(
                    "content_object_id", "group_id", "permission_id"
                )
            ) | {
                ("task", *row)
                for row in TaskGroupObjectPermission.objects.values_list(
                    "content_object_id", "group_id", "permission_id"
                )
            }

        before = rows()
        self.assertTrue(before)
        for meeting in Meeting.objects.all():
            meeting_grants_sync(meeting=meeting)
        for task in Task.objects.select_related("lead_unit")[:60]:
            task_grants_sync(task)
        self.assertEqual(rows(), before)
