"""``manage.py seed_bench``: a district archive's worth of data for the benchmarks.

Ten years of the group by default: about 120 meetings of all four kinds with
attendance, issued minutes and decided matters; 20,000 tasks over the 12 member
units with co-units and lights in every state; 100,000 progress reports; 200
accounts (office, leaders, liaisons and unit heads). Everything is written with
``bulk_create`` in batches from a fixed random seed, so two runs on empty
databases give the same rows; object permissions are written in bulk to the same
guardian tables, with the same permissions, as ``tasks.services`` and the
meetings services grant one object at a time.

It refuses to touch a database that already holds meetings or tasks unless
``--force`` is given (then it adds beside them, never deletes).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as dtime
from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone

from duties.models import DutyClause
from meetings.models import (
    Attendance,
    Decision,
    Meeting,
    MeetingGroupObjectPermission,
    Minutes,
)
from members.grants import unit_group
from members.models import (
    Membership,
    Person,
    Position,
    Unit,
    User,
)
from members.services import founding_load, office_group_sync
from tasks.models import (
    CoUnit,
    Extension,
    ProgressReport,
    Task,
    TaskEvent,
    TaskGroupObjectPermission,
    WorkPlan,
)

BENCH_PASSWORD = "jinwei-bench-2026"
BENCH_SEED_MODULES = ["campaigns.bench_seed"]
BATCH = 2000

# The same grants as tasks.services (LEAD_PERMS / CO_PERMS); imported when present.
try:  # pragma: no cover - depends on the tasks app version
    from tasks.services import CO_PERMS, LEAD_PERMS
except ImportError:  # pragma: no cover
    LEAD_PERMS = ("tasks.view_task", "tasks.report_task", "tasks.lead_task")
    CO_PERMS = ("tasks.view_task", "tasks.report_task")

# Meetings: units concerned see the meeting; once minutes are issued, the minutes
# (meetings.services.meeting_grants_sync writes the same, one meeting at a time).
try:  # pragma: no cover - depends on the meetings app version
    from meetings.services import VIEW_MEETING, VIEW_MINUTES
except ImportError:  # pragma: no cover
    VIEW_MEETING, VIEW_MINUTES = "meetings.view_meeting", "meetings.read_minutes"
MEETING_PERMS = (VIEW_MEETING,)
MINUTES_PERMS = (VIEW_MINUTES,)

# Meetings per year by kind: one plenary (原则上每年一次), specials, temporaries, partials.
MEETINGS_PER_YEAR = [
    (Meeting.Kind.PLENARY, 1),
    (Meeting.Kind.SPECIAL, 6),
    (Meeting.Kind.TEMPORARY, 3),
    (Meeting.Kind.PARTIAL, 2),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "建国华明丽静敏强伟芳军磊洋勇艳杰娟涛超霞平刚桂英玉兰秀红志文斌宁"
TOPICS = [
    "知识产权宣传周",
    "商标侵权联合执法",
    "专利导航服务",
    "地理标志产品保护",
    "中小学知识产权教育",
    "知识产权质押融资",
    "涉外知识产权纠纷应对",
    "版权市场专项检查",
    "植物新品种保护",
    "知识产权案件审理",
    "知识产权公共服务网点",
    "重点企业知识产权托管",
    "展会知识产权保护",
    "电商平台侵权治理",
    "知识产权资助奖励",
]
VERBS = ["开展", "推进", "落实", "组织", "完善", "加强", "建立", "深化"]
REPORT_PHRASES = [
    "已召开专题推进会，明确责任分工和时间节点。",
    "已完成前期摸底调查，形成工作台账。",
    "联合相关部门开展检查，出动执法人员若干人次。",
    "已印发实施方案，正在组织实施。",
    "已完成阶段性任务，相关材料已归档。",
    "因上级政策调整，部分工作顺延，正在协调推进。",
    "开展宣传活动，发放宣传资料，接受群众咨询。",
    "已形成工作总结，申请销号。",
]
PLACES = ["区政府三楼会议室", "区市场监管局五楼会议室", "区政府一号会议室"]


def _chunks(items: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def _manual_timestamps(*fields: models.Field) -> Iterator[None]:
    """Let bulk_create keep the historical dates we set on auto_now(_add) fields."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


def _perm_ids(names: Sequence[str]) -> list[int]:
    ids = []
    for name in names:
        app_label, codename = name.split(".", 1)
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is None:
            raise CommandError(f"Permission {name} does not exist (migrate first?)")
        ids.append(perm.pk)
    return ids


class Command(BaseCommand):
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
            # Apps to the right of members seed themselves (a module named here,
            # not imported: members stays left of them).
            for module in BENCH_SEED_MODULES:
                if apps.is_installed(module.split(".")[0]):
                    import_module(module).seed(self, options["campaigns"])
                    self._step(module, started)
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

    def _name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2)))
        )

    def _aware(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, dtime(hour, minute)))

    # --- people and accounts ------------------------------------------------

    def make_users(self, count: int) -> None:
        """Office staff, two leaders, and liaisons/heads spread over the units.

        Usernames are stable: bench_office, bench_office2…, bench_leader,
        bench_deputy, bench_liaison_<code>[_n], bench_head_<code>[_n]."""
        hasher_user = User()
        hasher_user.set_password(BENCH_PASSWORD)
        password = (
            hasher_user.password
        )  # hash once: PBKDF2 200 times would take minutes
        existing = set(User.objects.values_list("username", flat=True))
        specs: list[tuple[str, str, Unit | None, bool]] = []
        offices = max(2, count // 50)
        for n in range(offices):
            specs.append(
                (
                    f"bench_office{n + 1 if n else ''}",
                    User.Role.OFFICE,
                    self.units[1],
                    n == 0,
                )
            )
        specs.append(("bench_leader", User.Role.LEADER, None, False))
        specs.append(("bench_deputy", User.Role.LEADER, self.units[1], False))
        remaining = max(0, count - len(specs))
        for n in range(remaining):
            # Per unit: liaison_<code>, head_<code>, then liaison_<code>_3, _4 …
            unit = self.units[n % len(self.units)]
            rank = n // len(self.units)
            if rank == 1:
                specs.append(
                    (f"bench_head_{unit.code}", User.Role.UNIT_HEAD, unit, False)
                )
            else:
                suffix = f"_{rank + 1}" if rank else ""
                specs.append(
                    (
                        f"bench_liaison_{unit.code}{suffix}",
                        User.Role.LIAISON,
                        unit,
                        False,
                    )
                )
        specs = [s for s in specs if s[0] not in existing]
        people = [Person(name=self._name(), unit=unit) for _u, _r, unit, _s in specs]
        Person.objects.bulk_create(people, batch_size=BATCH)
        users = [
            User(
                username=username,
                display_name=person.name,
                role=role,
                unit=unit,
                person=person,
                password=password,
                email=f"{username}@bench.invalid",
                is_staff=role == User.Role.OFFICE,
                is_superuser=superuser,
                date_joined=self.now,
            )
            for (username, role, unit, superuser), person in zip(
                specs, people, strict=True
            )
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        users = list(User.objects.filter(username__startswith="bench_"))
        office = office_group_sync()
        links = []
        for user in users:
            if user.role == User.Role.OFFICE:
                links.append(User.groups.through(user_id=user.pk, group_id=office.pk))
            elif user.unit_id:
                group = unit_group(next(u for u in self.units if u.pk == user.unit_id))
                links.append(User.groups.through(user_id=user.pk, group_id=group.pk))
        User.groups.through.objects.bulk_create(
            links, batch_size=BATCH, ignore_conflicts=True
        )
        self.office_users = [u for u in users if u.role == User.Role.OFFICE]
        self.leaders = [u for u in users if u.role == User.Role.LEADER]
        self.unit_users: dict[int, list[User]] = {u.pk: [] for u in self.units}
        for user in users:
            if user.unit_id and user.role in (User.Role.LIAISON, User.Role.UNIT_HEAD):
                self.unit_users[user.unit_id].append(user)
        for unit in self.units:  # a unit with no account still needs an author
            if not self.unit_users[unit.pk]:
                self.unit_users[unit.pk] = self.office_users[:1]
        self._hold_positions(users)

    def _hold_positions(self, users: list[User]) -> None:
        """Give every vacant position of the group a bench holder (for attendance)."""
        start = date(self.today.year - 10, 1, 1)
        by_unit_head = {
            u.unit_id: u.person for u in users if u.role == User.Role.UNIT_HEAD
        }
        leader = next(u.person for u in users if u.username == "bench_leader")
        deputy = next(u.person for u in users if u.username == "bench_deputy")
        held = set(
            Membership.objects.filter(end_on__isnull=True).values_list(
                "position_id", flat=True
            )
        )
        rows = []
        for position in Position.objects.filter(group=self.group):
            if position.pk in held:
                continue
            if position.kind == Position.Kind.LEADER:
                person = leader
            elif position.kind in (Position.Kind.DEPUTY, Position.Kind.OFFICE_DIRECTOR):
                person = deputy
            else:
                person = by_unit_head.get(position.unit_id)
            if person is not None:
                rows.append(
                    Membership(position=position, person=person, start_on=start)
                )
        Membership.objects.bulk_create(rows)
        self.attendees = list(
            Membership.objects.current()
            .select_related("person", "position")
            .order_by("position__order")
        )

    # --- meetings -----------------------------------------------------------

    def make_meetings(self, years: list[int]) -> None:
        author = self.office_users[0]
        approver = self.leaders[0]
        taken = {
            (y, k): s
            for y, k, s in Meeting.objects.filter(group=self.group)
            .values_list("year", "kind")
            .annotate(s=models.Max("sequence"))
            .values_list("year", "kind", "s")
        }
        issue_taken = dict(
            Minutes.objects.filter(issue_number__isnull=False)
            .values_list("issue_year")
            .annotate(n=models.Max("issue_number"))
            .values_list("issue_year", "n")
        )
        meetings: list[Meeting] = []
        units_of: list[list[Unit]] = []
        for year in years:
            plan = []
            for kind, count in MEETINGS_PER_YEAR:
                plan += [kind] * count
            days = sorted(
                self.rng.sample(range(10, 355), len(plan))
            )  # spread over the year
            self.rng.shuffle(plan)
            seq: dict[str, int] = {}
            for kind, day_of_year in zip(plan, days, strict=True):
                seq[kind] = seq.get(kind, taken.get((year, kind), 0)) + 1
                day = date(year, 1, 1) + timedelta(days=day_of_year)
                starts = self._aware(day, self.rng.choice((9, 10, 14, 15)))
                topic = self.rng.choice(TOPICS)
                held = day < self.today
                delegated = self.rng.random() < 0.25
                concerned = (
                    list(self.units)
                    if kind == Meeting.Kind.PLENARY
                    else self.rng.sample(self.units, self.rng.randint(3, 7))
                )
                meetings.append(
                    Meeting(
                        group=self.group,
                        kind=kind,
                        year=year,
                        sequence=seq[kind],
                        title=f"{year}年{Meeting.Kind(kind).label}（第{seq[kind]}次）：{topic}",
                        subject=f"研究部署{topic}工作",
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=2),
                        place=self.rng.choice(PLACES),
                        status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
                        convener=Meeting.Convener.DEPUTY
                        if delegated
                        else Meeting.Convener.LEADER,
                        delegation_note="组长书面委托副组长召集" if delegated else "",
                        partial_reason="涉及部分成员单位职责，召集相关单位专题研究"
                        if kind == Meeting.Kind.PARTIAL
                        else "",
                        created_by=author,
                        created_at=starts - timedelta(days=14),
                        updated_at=starts,
                    )
                )
                units_of.append(concerned)
        with _manual_timestamps(
            _field(Meeting, "created_at"), _field(Meeting, "updated_at")
        ):
            Meeting.objects.bulk_create(meetings, batch_size=BATCH)
        Meeting.units.through.objects.bulk_create(
            [
                Meeting.units.through(meeting_id=m.pk, unit_id=u.pk)
                for m, units in zip(meetings, units_of, strict=True)
                if m.kind != Meeting.Kind.PLENARY
                for u in units
            ],
            batch_size=BATCH,
        )
        attendance = []
        for meeting, units in zip(meetings, units_of, strict=True):
            if meeting.status != Meeting.Status.HELD:
                continue
            unit_ids = {u.pk for u in units}
            seen: set[int] = set()
            for membership in self.attendees:
                if membership.person_id in seen:
                    continue  # one person may hold two posts (副组长, 办公室主任)
                position = membership.position
                if position.unit_id and position.unit_id not in unit_ids:
                    if position.kind == Position.Kind.MEMBER:
                        continue
                seen.add(membership.person_id)
                status = self.rng.choices(
                    [Attendance.Status.PRESENT, Attendance.Status.ABSENT],
                    weights=[9, 1],
                )[0]
                attendance.append(
                    Attendance(
                        meeting=meeting,
                        person=membership.person,
                        unit_id=membership.person.unit_id,
                        title_at_meeting=position.post,
                        status=status,
                    )
                )
        Attendance.objects.bulk_create(attendance, batch_size=BATCH)

        minutes: list[Minutes] = []
        numbers = dict(issue_taken)
        for meeting in meetings:
            if meeting.status != Meeting.Status.HELD:
                continue
            issued_at = meeting.starts_at + timedelta(days=self.rng.randint(3, 10))
            issued = issued_at < self.now
            year = issued_at.year
            if issued:
                numbers[year] = numbers.get(year, 0) + 1
            paragraphs = "\n\n".join(
                f"会议听取了{self.rng.choice(self.units).name}关于"
                f"{self.rng.choice(TOPICS)}工作情况的汇报，"
                "与会单位结合各自职责进行了讨论。会议认为，"
                "各成员单位要进一步提高认识、压实责任、加强协作，"
                "确保各项工作任务按期完成。"
                for _ in range(self.rng.randint(4, 8))
            )
            minutes.append(
                Minutes(
                    meeting=meeting,
                    version=1,
                    status=Minutes.Status.ISSUED if issued else Minutes.Status.APPROVED,
                    title=f"{meeting.title}纪要",
                    narrative=paragraphs,
                    issue_year=year if issued else None,
                    issue_number=numbers[year] if issued else None,
                    drafted_by=author,
                    submitted_at=meeting.starts_at + timedelta(days=1),
                    approved_by=approver,
                    approved_at=meeting.starts_at + timedelta(days=2),
                    issued_by=author if issued else None,
                    issued_at=issued_at if issued else None,
                )
            )
        Minutes.objects.bulk_create(minutes, batch_size=BATCH)
        decisions: list[Decision] = []
        suggested: list[tuple[Decision, list[Unit]]] = []
        for m in minutes:
            for number in range(1, self.rng.randint(5, 9)):
                topic = self.rng.choice(TOPICS)
                units = self.rng.sample(self.units, self.rng.randint(1, 3))
                d = Decision(
                    minutes=m,
                    number=number,
                    text=f"{self.rng.choice(VERBS)}{topic}工作，由"
                    f"{'、'.join(u.name for u in units)}负责，按期报送进展。",
                )
                decisions.append(d)
                suggested.append((d, units))
        Decision.objects.bulk_create(decisions, batch_size=BATCH)
        Decision.suggested_units.through.objects.bulk_create(
            [
                Decision.suggested_units.through(decision_id=d.pk, unit_id=u.pk)
                for d, units in suggested
                for u in units
            ],
            batch_size=BATCH,
        )
        self.meetings = meetings
        self.decisions = [
            (d, units)
            for d, units in suggested
            if d.minutes.status == Minutes.Status.ISSUED
        ]
        # Grants, as the meetings services write them: the units a meeting concerns
        # see it; once its minutes are issued, they read the minutes too.
        view_ids = _perm_ids(MEETING_PERMS)
        minutes_ids = _perm_ids(MINUTES_PERMS)
        issued_meetings = {
            m.meeting_id for m in minutes if m.status == Minutes.Status.ISSUED
        }
        groups = {u.pk: unit_group(u).pk for u in self.units}
        rows = []
        for meeting, units in zip(meetings, units_of, strict=True):
            perm_ids = view_ids + (minutes_ids if meeting.pk in issued_meetings else [])
            for unit in units:
                for perm_id in perm_ids:
                    rows.append(
                        MeetingGroupObjectPermission(
                            content_object_id=meeting.pk,
                            group_id=groups[unit.pk],
                            permission_id=perm_id,
                        )
                    )
        MeetingGroupObjectPermission.objects.bulk_create(rows, batch_size=BATCH)

    # --- tasks ----------------------------------------------------------------

    def _task_state(self, created: date, due: date) -> dict:
        """Status, progress and dates of a task created on ``created``, due on ``due``.

        Old tasks are mostly closed; recent ones are spread over every status, so
        the lights come out red, yellow (due soon or stale), green and grey."""
        r = self.rng.random()
        age = (self.today - created).days
        if due < self.today - timedelta(days=60) and r < 0.97:
            status = Task.Status.CLOSED
        elif age > 0 and r < 0.25:
            status = Task.Status.CLOSED
        else:
            status = self.rng.choices(
                [
                    Task.Status.ASSIGNED,
                    Task.Status.SIGNED,
                    Task.Status.IN_PROGRESS,
                    Task.Status.RETURNED,
                    Task.Status.CLOSURE_REQUESTED,
                ],
                weights=[10, 15, 55, 8, 12],
            )[0]
        progress = {
            Task.Status.ASSIGNED: 0,
            Task.Status.SIGNED: 0,
            Task.Status.IN_PROGRESS: self.rng.randrange(10, 95, 5),
            Task.Status.RETURNED: self.rng.randrange(60, 95, 5),
            Task.Status.CLOSURE_REQUESTED: 100,
            Task.Status.CLOSED: 100,
        }[status]
        return {"status": status, "progress": progress}

    def make_tasks(self, years: list[int], count: int) -> None:
        rng = self.rng
        author = self.office_users[0]
        existing_codes = set(Task.objects.values_list("code", flat=True))
        sources: list[tuple[Decision | None, WorkPlan | None, date, list[Unit]]] = []
        # About a fifth of the tasks come from decided matters (1–3 per matter),
        # the rest from the annual work plans.
        from_decisions = min(count // 5, len(self.decisions) * 3)
        per_decision = max(1, from_decisions // max(1, len(self.decisions)))
        for d, units in self.decisions:
            for _ in range(per_decision):
                if len(sources) >= from_decisions:
                    break
                sources.append((d, None, d.minutes.issued_at.date(), units))
        plans = [
            WorkPlan(
                group=self.group,
                year=y,
                title=f"金台区{y}年知识产权强区建设工作计划",
                created_by=author,
                created_at=self._aware(date(y, 2, 20)),
            )
            for y in years
        ]
        with _manual_timestamps(_field(WorkPlan, "created_at")):
            WorkPlan.objects.bulk_create(plans)
        remaining = count - len(sources)
        for n in range(remaining):
            plan = plans[n % len(plans)]
            sources.append((None, plan, plan.created_at.date(), []))

        tasks: list[Task] = []
        co_sets: list[list[Unit]] = []
        plan_seq: dict[int, int] = {}
        for n, (decision, plan, created, suggested) in enumerate(sources):
            lead = suggested[0] if suggested else rng.choice(self.units)
            co = [u for u in suggested[1:] if u.pk != lead.pk]
            if not co and rng.random() < 0.55:
                co = [u for u in rng.sample(self.units, rng.randint(1, 3)) if u != lead]
            if plan is not None:
                created = created + timedelta(days=rng.randint(0, 20))
                due = date(plan.year, rng.randint(3, 12), rng.randint(1, 28))
                plan_seq[plan.pk] = plan_seq.get(plan.pk, 0) + 1
                code = f"{plan.year}-计划-{plan_seq[plan.pk]}"
            else:
                due = created + timedelta(days=rng.randint(20, 240))
                code = decision.code
            # The most recent year keeps due dates around today (every light).
            if created.year == self.today.year and rng.random() < 0.5:
                due = self.today + timedelta(days=rng.randint(-30, 90))
            if due <= created:
                due = created + timedelta(days=15)
            base, k = code, 2
            while code in existing_codes:
                code, k = f"{base}-{k}", k + 1
            existing_codes.add(code)
            state = self._task_state(created, due)
            extended = rng.random() < 0.06
            original = due - timedelta(days=rng.randint(15, 60)) if extended else due
            if original <= created:
                original, extended = due, False
            created_at = self._aware(created, rng.randint(8, 17), rng.randint(0, 59))
            status = state["status"]
            signed = status != Task.Status.ASSIGNED
            closed = status == Task.Status.CLOSED
            closed_at = self._aware(
                min(due + timedelta(days=rng.randint(-20, 5)), self.today), 16
            )
            if closed_at <= created_at:
                closed_at = created_at + timedelta(days=10)
            if rng.random() < 0.15 and not closed:  # stale: nothing for > 30 days
                last = self.now - timedelta(days=rng.randint(35, 120))
            elif closed:
                last = closed_at
            else:
                last = self.now - timedelta(days=rng.randint(0, 25))
            last = max(last, created_at)
            leader = self.unit_users[lead.pk][0]
            topic = rng.choice(TOPICS)
            title = f"{rng.choice(VERBS)}{topic}工作（{n + 1}）"
            tasks.append(
                Task(
                    code=code,
                    title=title,
                    description=(
                        decision.text
                        if decision
                        else f"{title}，{lead.name}牵头，相关单位配合，按计划推进。"
                    ),
                    decision=decision,
                    plan=plan,
                    lead_unit=lead,
                    original_due_on=original,
                    due_on=due,
                    status=status,
                    progress=state["progress"],
                    signed_at=created_at + timedelta(days=2) if signed else None,
                    signed_by=leader if signed else None,
                    closure_requested_at=closed_at - timedelta(days=3)
                    if status in (Task.Status.CLOSED, Task.Status.CLOSURE_REQUESTED)
                    else None,
                    closed_at=closed_at if closed else None,
                    closed_by=author if closed else None,
                    return_reason="佐证材料不完整，请补充后重新申请销号。"
                    if status == Task.Status.RETURNED
                    else "",
                    last_activity_at=last,
                    created_by=author,
                    created_at=created_at,
                    updated_at=last,
                )
            )
            co_sets.append(co)
        with _manual_timestamps(_field(Task, "created_at"), _field(Task, "updated_at")):
            Task.objects.bulk_create(tasks, batch_size=BATCH)
        CoUnit.objects.bulk_create(
            [
                CoUnit(task=t, unit=u)
                for t, co in zip(tasks, co_sets, strict=True)
                for u in co
            ],
            batch_size=BATCH,
        )
        Task.duties.through.objects.bulk_create(
            [
                Task.duties.through(task_id=t.pk, dutyclause_id=rng.choice(duties).pk)
                for t in tasks
                if (duties := self.duties.get(t.lead_unit_id))
            ],
            batch_size=BATCH,
        )
        # Object permissions: the same rows tasks.services._grant writes per task.
        lead_ids = _perm_ids(LEAD_PERMS)
        co_ids = _perm_ids(CO_PERMS)
        groups = {u.pk: unit_group(u).pk for u in self.units}
        grants = []
        for t, co in zip(tasks, co_sets, strict=True):
            for perm_id in lead_ids:
                grants.append(
                    TaskGroupObjectPermission(
                        content_object_id=t.pk,
                        group_id=groups[t.lead_unit_id],
                        permission_id=perm_id,
                    )
                )
            for unit in co:
                for perm_id in co_ids:
                    grants.append(
                        TaskGroupObjectPermission(
                            content_object_id=t.pk,
                            group_id=groups[unit.pk],
                            permission_id=perm_id,
                        )
                    )
        TaskGroupObjectPermission.objects.bulk_create(grants, batch_size=BATCH)
        # Timeline: 交办, 签收, 销号 events; approved extensions.
        events = []
        extensions = []
        for t in tasks:
            events.append(
                TaskEvent(
                    task=t,
                    kind=TaskEvent.Kind.ASSIGNED,
                    actor=author,
                    unit=t.lead_unit,
                    created_at=t.created_at,
                )
            )
            if t.signed_at:
                events.append(
                    TaskEvent(
                        task=t,
                        kind=TaskEvent.Kind.SIGNED,
                        actor=t.signed_by,
                        unit=t.lead_unit,
                        created_at=t.signed_at,
                    )
                )
            if t.closed_at:
                events.append(
                    TaskEvent(
                        task=t,
                        kind=TaskEvent.Kind.CLOSED,
                        actor=author,
                        created_at=t.closed_at,
                    )
                )
            if t.due_on != t.original_due_on:
                decided = t.created_at + timedelta(days=20)
                extensions.append(
                    Extension(
                        task=t,
                        unit=t.lead_unit,
                        requested_by=t.signed_by or self.unit_users[t.lead_unit_id][0],
                        reason="受客观因素影响，申请延期完成。",
                        old_due_on=t.original_due_on,
                        new_due_on=t.due_on,
                        status=Extension.Status.APPROVED,
                        decided_by=self.leaders[0],
                        decided_at=decided,
                        decision_note="同意延期。",
                        created_at=decided - timedelta(days=2),
                    )
                )
        with _manual_timestamps(
            _field(TaskEvent, "created_at"), _field(Extension, "created_at")
        ):
            TaskEvent.objects.bulk_create(events, batch_size=BATCH)
            Extension.objects.bulk_create(extensions, batch_size=BATCH)
        self.tasks = tasks
        self.co_sets = co_sets

    def make_reports(self, count: int) -> None:
        """Progress reports over the tasks that were signed for: the lead unit's
        cover the whole task, co-units report their part."""
        rng = self.rng
        eligible = [
            (t, co)
            for t, co in zip(self.tasks, self.co_sets, strict=True)
            if t.status != Task.Status.ASSIGNED
        ]
        if not eligible or count <= 0:
            return
        reports = []
        for n in range(count):
            t, co = eligible[n % len(eligible)]
            unit = t.lead_unit if not co or rng.random() < 0.7 else rng.choice(co)
            end = t.closed_at or t.last_activity_at
            start = t.signed_at or t.created_at
            span = max(1, int((end - start).total_seconds()))
            created = start + timedelta(seconds=rng.randrange(span))
            percent = min(100, max(5, t.progress - rng.randrange(0, 50, 5)))
            reports.append(
                ProgressReport(
                    task=t,
                    unit=unit,
                    author=rng.choice(self.unit_users[unit.pk]),
                    text=rng.choice(REPORT_PHRASES) + rng.choice(REPORT_PHRASES),
                    percent=percent,
                    is_lead_report=unit.pk == t.lead_unit_id,
                    created_at=created,
                    updated_at=created,
                )
            )
        with _manual_timestamps(
            _field(ProgressReport, "created_at"),
            _field(ProgressReport, "updated_at"),
            _field(TaskEvent, "created_at"),
        ):
            for chunk in _chunks(reports, 5000):
                ProgressReport.objects.bulk_create(chunk, batch_size=BATCH)
            TaskEvent.objects.bulk_create(
                [
                    TaskEvent(
                        task_id=r.task_id,
                        kind=TaskEvent.Kind.REPORTED,
                        actor_id=r.author_id,
                        unit_id=r.unit_id,
                        note=f"{r.percent}%",
                        created_at=r.created_at,
                    )
                    for r in reports
                ],
                batch_size=BATCH,
            )
