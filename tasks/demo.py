"""Demo tasks for ``make run``: every state and every light, spread over units.

Tasks come from the decided matters of the issued demo minutes (meetings.demo runs
first; the last matter of each minutes is left for the office to turn into a task
by hand) and from this year's work plan. Dates are relative to today. Idempotent:
a task whose code exists is left alone.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import DateTimeField, F
from django.utils import timezone

from duties.models import DutyClause
from meetings.models import Decision, Minutes
from members.models import LeadingGroup, Unit, User

from . import extensions, services
from .models import (
    CoUnit,
    Evidence,
    Extension,
    ProgressReport,
    Task,
    TaskEvent,
    WorkPlan,
)
from .workdays import add_workdays

PLAN_ITEMS = [
    # (title, lead, co-units)
    ("开展知识产权宣传周系列活动", "xcb", ["scjgj", "jtj"]),
    ("组织知识产权联合执法“铁拳”行动", "scjgj", ["gaj", "wlj"]),
    ("推进中小学知识产权教育示范学校建设", "jtj", []),
    ("落实知识产权资助奖励资金", "czj", ["scjgj"]),
    ("开展涉外知识产权纠纷应对指导", "swj", ["sfj"]),
    ("推进地理标志农产品保护与品牌培育", "nyncj", ["lyj"]),
    ("审理知识产权案件并发布典型案例", "fy", ["sfj"]),
    ("建设知识产权公共法律服务工作站", "sfj", ["czj"]),
    ("开展重点企业知识产权托管服务", "gxj", ["scjgj"]),
    ("开展文化市场版权执法检查", "wlj", ["gaj", "xcb"]),
]

# How each demo task ends up: (scenario, due offset in days or "warn:N" workdays)
SCENARIOS = [
    ("closed", -20),
    ("overdue", -8),
    ("due_soon", "warn:2"),
    ("unsigned", 45),
    ("returned", 30),
    ("extended", 5),
    ("closure_requested", 20),
    ("pending_extension", "warn:3"),
    ("stale", 90),
    ("waived", 35),
    ("in_progress", 60),
    ("signed", 25),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _liaison(unit: Unit) -> User:
    return _user(f"liaison_{unit.code}") or User.objects.filter(unit=unit).first()


def _due(offset, today):
    if isinstance(offset, str):
        return add_workdays(today, int(offset.split(":")[1]))
    return today + timedelta(days=offset)


@transaction.atomic
def load() -> None:
    office = _user("office") or User.objects.filter(role=User.Role.OFFICE).first()
    leader = _user("zuzhang") or User.objects.filter(role=User.Role.LEADER).first()
    if office is None or leader is None:
        return
    today = timezone.localdate()
    units = {u.code: u for u in Unit.objects.members()}
    sources: list[dict] = []
    decisions = list(
        Decision.objects.filter(minutes__status=Minutes.Status.ISSUED)
        .select_related("minutes__meeting")
        .prefetch_related("unit_links__unit")
        .order_by("minutes__meeting__starts_at", "number")
    )
    last_of_minutes = {}
    for d in decisions:
        last_of_minutes[d.minutes_id] = d.pk
    for d in decisions:
        if d.pk == last_of_minutes[d.minutes_id]:
            continue  # left for the office to convert in the browser
        suggested = d.suggested_units_in_order()
        lead = suggested[0] if suggested else None
        sources.append(
            {
                "decision": d,
                "code": d.code,
                "title": d.text if len(d.text) <= 60 else d.text[:58] + "…",
                "description": d.text,
                "lead": lead,
                "co": suggested[1:],
            }
        )
    group = LeadingGroup.objects.first()
    plan, _created = WorkPlan.objects.get_or_create(
        year=today.year,
        title=f"{today.year}年知识产权强区建设工作计划",
        defaults={"group": group, "created_by": office},
    )
    for n, (title, lead, co) in enumerate(PLAN_ITEMS, start=1):
        sources.append(
            {
                "plan": plan,
                "code": f"{today.year}-计划-{n}",
                "title": title,
                "description": title + "。",
                "lead": units.get(lead),
                "co": [units[c] for c in co if c in units],
            }
        )
    fallback = [units[c] for c in ("sfj", "czj", "scjgj", "jtj", "gaj") if c in units]
    for i, source in enumerate(sources):
        if Task.objects.filter(code=source["code"]).exists():
            continue
        lead = source["lead"] or fallback[i % len(fallback)]
        co = [u for u in source["co"] if u.pk != lead.pk]
        if not co and source.get("decision") and i % 2 == 0:
            co = [fallback[(i + 1) % len(fallback)]]
            co = [u for u in co if u.pk != lead.pk]
        scenario, offset = SCENARIOS[i % len(SCENARIOS)]
        task = services.task_assign(
            decision=source.get("decision"),
            plan=source.get("plan"),
            lead=lead,
            co_units=co,
            due=_due(offset, today),
            duties=DutyClause.objects.filter(unit=lead)[:1],
            title=source["title"],
            description=source["description"],
            by=office,
            code=source["code"],
            notify_units=False,
        )
        _play(task, scenario, office=office, leader=leader, today=today)
        _backdate(task, _assigned_ago(task, scenario))


# How long ago each scenario's task was assigned: its whole story (events, reports,
# extensions, their history) is moved back by this much, so the demo's ledger,
# timelines and monthly bulletins read like a year of work, not one afternoon.
ASSIGNED_AGO = {
    "closed": 75,
    "overdue": 60,
    "due_soon": 40,
    "unsigned": 2,
    "returned": 50,
    "extended": 55,
    "closure_requested": 45,
    "pending_extension": 35,
    "stale": 100,
    "waived": 40,
    "in_progress": 30,
    "signed": 12,
}


def _assigned_ago(task: Task, scenario: str) -> timedelta:
    """ASSIGNED_AGO, but never before the meeting the task comes from was held and
    its minutes had a few days to be drafted and issued."""
    ago = timedelta(days=ASSIGNED_AGO[scenario])
    if task.decision_id:
        after = task.decision.minutes.meeting.starts_at + timedelta(days=5)
        ago = min(ago, max(timezone.now() - after, timedelta()))
    return ago


def _backdate(task: Task, delta: timedelta) -> None:
    """Move every timestamp of the task's story back by ``delta``."""
    if not delta:
        return
    rows = [
        (Task, {"pk": task.pk}),
        (Task.history.model, {"id": task.pk}),
        (TaskEvent, {"task": task}),
        (CoUnit, {"task": task}),
        (ProgressReport, {"task": task}),
        (ProgressReport.history.model, {"task_id": task.pk}),
        (Evidence, {"report__task": task}),
        (Extension, {"task": task}),
        (Extension.history.model, {"task_id": task.pk}),
    ]
    for model, where in rows:
        moved = {
            f.attname: F(f.attname) - delta
            for f in model._meta.concrete_fields
            if isinstance(f, DateTimeField)
        }
        if moved:
            model.objects.filter(**where).update(**moved)


def _play(task: Task, scenario: str, *, office: User, leader: User, today) -> None:
    if scenario == "unsigned":
        return
    lead_user = _liaison(task.lead_unit)
    co_links = list(task.co_unit_links.select_related("unit"))
    task = services.task_sign(task=task, by=lead_user)
    if scenario == "signed":
        return
    for link in co_links:
        if scenario == "waived":
            services.co_unit_waive(
                task=task,
                unit=link.unit,
                by=office,
                note="该单位配合事项已并入牵头单位工作",
            )
            continue
        co_user = _liaison(link.unit)
        services.task_acknowledge(task=task, by=co_user)
        services.progress_report_file(
            task=task,
            by=co_user,
            text=f"{link.unit.name}已按分工完成配合事项：提供相关材料并派员参加联合行动。",
            percent=100
            if scenario in {"closed", "returned", "closure_requested"}
            else 60,
        )
    percent = {
        "closed": 100,
        "overdue": 40,
        "due_soon": 70,
        "returned": 100,
        "extended": 50,
        "closure_requested": 100,
        "pending_extension": 60,
        "stale": 20,
        "waived": 100,
        "in_progress": 35,
    }[scenario]
    services.progress_report_file(
        task=task,
        by=lead_user,
        text="已制定工作方案，明确责任人和时间节点；"
        + (
            "各项工作已全部完成，相关资料已归档。"
            if percent == 100
            else "正在按计划推进。"
        ),
        percent=percent,
    )
    task.refresh_from_db()
    if scenario in {"closed", "returned", "closure_requested", "waived"}:
        services.closure_request(task=task, by=lead_user, note="任务已完成，申请销号。")
        task.refresh_from_db()
    if scenario in {"closed", "returned"}:
        services.task_return(
            task=task,
            by=office,
            reason="佐证材料不全，请补充活动照片和简报后再申请销号。",
            report=task.reports.filter(is_lead_report=True).first(),
        )
        task.refresh_from_db()
    if scenario == "closed":
        services.progress_report_file(
            task=task,
            by=lead_user,
            text="已补充活动照片和工作简报，任务全部完成。",
            percent=100,
        )
        task.refresh_from_db()
        services.closure_request(task=task, by=lead_user)
        task.refresh_from_db()
        services.task_close(task=task, by=office, note="经核实，任务已完成。")
    if scenario in {"extended", "pending_extension"}:
        extension = extensions.extension_request(
            task=task,
            by=lead_user,
            reason="需协调的相关单位较多，现场核查尚未全部完成。",
            new_due_on=task.due_on + timedelta(days=40),
        )
        if scenario == "extended":
            extensions.extension_decide(
                extension=extension,
                approve=True,
                by=leader,
                note="同意延期，请抓紧推进。",
            )
            # The original deadline was close; the approved one is far enough.
    if scenario == "stale":
        Task.objects.filter(pk=task.pk).update(
            last_activity_at=timezone.now() - timedelta(days=45)
        )
