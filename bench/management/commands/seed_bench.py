"""``manage.py seed_bench``: a district archive's worth of data for the benchmarks.

Ten years of the group by default: about 120 meetings of all four kinds with
attendance, issued minutes and decided matters; 20,000 tasks over the 12 member
units with co-units and lights in every state; 100,000 progress reports; 200
campaigns reported weekly (bench/seed/campaigns.py); 200
accounts (office, leaders, liaisons and unit heads). Everything is written with
``bulk_create`` in batches from a fixed random seed, so two runs on empty
databases give the same rows. Object permissions are written only as production
writes them: meetings through ``meetings.services.meeting_grants_sync``, tasks
through ``tasks.creation.tasks_write_bulk`` (both write through
``members.grants``). The parts live in ``bench/seed/``.

It refuses to touch a database that already holds meetings or tasks unless
``--force`` is given (then it adds beside them, never deletes).
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime
from datetime import time as dtime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from bench.seed.base import BENCH_PASSWORD
from bench.seed.campaigns import CampaignSeeder
from bench.seed.meetings import MeetingSeeder
from bench.seed.people import PeopleSeeder
from bench.seed.tasks import TaskSeeder
from duties.models import DutyClause
from meetings.models import Meeting, Minutes
from members.models import Unit, User
from members.services import founding_load
from tasks.models import ProgressReport, Task


class Command(PeopleSeeder, MeetingSeeder, TaskSeeder, CampaignSeeder, BaseCommand):
    help = "Fill the database with a large, repeatable data set for the benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--tasks", type=int, default=20000)
        parser.add_argument("--reports", type=int, default=100000)
        parser.add_argument("--users", type=int, default=200)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--campaigns", type=int, default=200)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add bench data even though the database already holds meetings or tasks.",
        )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        if not options["force"] and (
            Task.objects.exists()
            or Meeting.objects.exists()
            or Minutes.objects.exists()
        ):
            raise CommandError(
                "This database already holds meetings or tasks; seed_bench fills "
                "benchmark databases only. Use a fresh database or pass --force."
            )
        self.rng = random.Random(options["seed"])
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.verbosity = options["verbosity"]
        with transaction.atomic():
            self.group = founding_load()
            self.units = list(Unit.objects.members().order_by("order"))
            self.duties = {
                u.pk: list(DutyClause.objects.filter(unit=u)) for u in self.units
            }
            self._step("founding data", started)
            self.make_users(options["users"])
            self._step("users", started)
            years = list(
                range(self.today.year - options["years"] + 1, self.today.year + 1)
            )
            self.make_meetings(years)
            self._step("meetings, minutes, decisions", started)
            self.make_tasks(years, options["tasks"])
            self._step("tasks and grants", started)
            self.make_reports(options["reports"])
            self._step("progress reports", started)
            self.make_campaigns(options["campaigns"])
            self._step("campaigns and their weekly figures", started)
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner, and the visibility map set as
            # autovacuum keeps it on a live database (index-only scans need it).
            # (VACUUM cannot run inside a transaction, e.g. in the test suite.)
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_bench: {Meeting.objects.count()} meetings, "
                f"{Task.objects.count()} tasks, {ProgressReport.objects.count()} "
                f"reports, {User.objects.count()} accounts in "
                f"{time.monotonic() - started:.1f} s. Password of every bench "
                f"account: {BENCH_PASSWORD}"
            )
        )

    def _step(self, what: str, started: float) -> None:
        if self.verbosity >= 2:
            self.stdout.write(f"  {time.monotonic() - started:6.1f} s  {what}")

    def _aware(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, dtime(hour, minute)))
