"""Workflows of next year's plan (知识产权强区建设工作计划): drafted from the
submitted units' 下年度工作打算, edited, its approval recorded, turned into the
year's planned tasks (``tasks.plans``). The rules of ``annual.services`` hold:
keyword-only, atomic, Chinese ``ValidationError``; ``StaleEdit`` for a stale
edit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duties.models import DutyClause
from members.models import LeadingGroup, Unit, User
from tasks import importer
from tasks import plans as task_plans
from tasks.models import WorkPlan

from . import inputs
from .models import Plan, PlanEntry, PlanItem, Round, Submission
from .services import _claim, _reason

S = Submission.Status


def section_for(duties: Sequence[DutyClause], unit: Unit) -> str:
    """An entry's 类别 in the plan: its first duty clause's category."""
    if duties:
        return str(duties[0].get_category_display())
    return _("统筹协调")


@transaction.atomic
def plan_create(*, round_: Round, by: User) -> Plan:
    """Draft next year's plan from the submitted units' 下年度工作打算, in the
    founding document's order of units."""
    if Plan.objects.filter(round=round_).exists():
        raise ValidationError(_("本次报送的工作计划草案已起草。"))
    year = round_.year + 1
    plan = Plan(
        round=round_,
        year=year,
        title=_("%(y)d年金台区知识产权强区建设工作计划") % {"y": year},
        intro=_(
            "以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党中央、国务院关于"
            "知识产权工作的决策部署，围绕知识产权创造、运用、保护、管理和服务，"
            "统筹推进知识产权强区建设。"
        ),
        requirements=_(
            "各成员单位要按照职责分工，明确责任人和时间节点，认真抓好落实；"
            "领导小组办公室定期调度工作进展，并将落实情况纳入工作通报。"
        ),
        created_by=by,
    )
    _reason(plan, _("起草工作计划"))
    plan.save()
    items = (
        PlanItem.objects.filter(
            submission__round=round_, submission__status=S.SUBMITTED
        )
        .select_related("submission__unit")
        .prefetch_related("duties")
        .order_by("submission__unit__order", "submission__unit_id", "order", "pk")
    )
    for order, item in enumerate(items, start=1):
        duties = list(item.duties.all())
        entry = PlanEntry.objects.create(
            plan=plan,
            order=order,
            section=section_for(duties, item.submission.unit),
            text=item.text,
            lead=item.submission.unit,
            due_on=item.due_on,
            source=item,
        )
        entry.duties.set(duties)
    return plan


def _check_entry(n: int, entry: dict) -> None:
    if not (entry.get("text") or "").strip():
        raise ValidationError(_("第%(n)d条：请填写工作任务。") % {"n": n})
    lead = entry["lead"]
    co = [u for u in entry.get("co_units", []) if u.pk != lead.pk]
    entry["co_units"] = co
    units = {lead.pk, *(u.pk for u in co)}
    for clause in entry.get("duties", []):
        if clause.unit_id not in units:
            raise ValidationError(
                _("第%(n)d条：职责条款%(c)s不属于牵头或配合单位。")
                % {"n": n, "c": clause.code}
            )


@transaction.atomic
def plan_edit(
    *,
    plan: Plan,
    version: int,
    title: str,
    intro: str,
    requirements: str,
    entries: Sequence[dict],
    by: User,
) -> Plan:
    """Save the draft plan; ``entries`` in their new order (removed ones left
    out), each with section, text, lead, co_units, due_on, duties and the pk of
    the entry it was (None for a new one)."""
    inputs.plan_input(
        title=title, intro=intro, requirements=requirements, entries=entries
    )
    plan = _claim(Plan, plan, version)
    if not plan.is_draft:
        raise ValidationError(_("工作计划已审定，不能再修改。"))
    if not title.strip():
        raise ValidationError({"title": _("请填写计划名称。")})
    for n, entry in enumerate(entries, start=1):
        _check_entry(n, entry)
    plan.title = title.strip()
    plan.intro = intro.strip()
    plan.requirements = requirements.strip()
    plan.edit_version += 1
    _reason(plan, _("修改工作计划"))
    plan.save()
    existing = {e.pk: e for e in plan.entries.all()}
    keep = set()
    for order, data in enumerate(entries, start=1):
        entry = existing.get(data.get("pk")) or PlanEntry(plan=plan)
        entry.order = order
        entry.section = (data.get("section") or "").strip() or _("统筹协调")
        entry.text = data["text"].strip()
        entry.lead = data["lead"]
        entry.due_on = data["due_on"]
        entry.save()
        entry.co_units.set(data.get("co_units", []))
        entry.duties.set(data.get("duties", []))
        keep.add(entry.pk)
    plan.entries.exclude(pk__in=keep).delete()
    return plan


@transaction.atomic
def plan_approve(
    *, plan: Plan, approved_on: date, note: str, version: int, by: User
) -> Plan:
    """Record that the leaders approved the plan (e.g. at the plenary)."""
    inputs.approval_input(approved_on=approved_on, note=note)
    plan = _claim(Plan, plan, version)
    if not plan.is_draft:
        raise ValidationError(_("工作计划已审定。"))
    if not plan.entries.exists():
        raise ValidationError(_("工作计划还没有任何条目。"))
    if approved_on > timezone.localdate():
        raise ValidationError({"approved_on": _("审定日期不能晚于今天。")})
    plan.status = Plan.Status.APPROVED
    plan.approved_on = approved_on
    plan.approval_note = note.strip()
    plan.approved_by = by
    plan.edit_version += 1
    _reason(plan, _("登记审定"))
    plan.save()
    return plan


def plan_rows(plan: Plan) -> list[dict]:
    """The plan's entries as the plan importer's columns (tasks.importer.COLUMNS)."""
    entries = plan.entries.select_related("lead").prefetch_related(
        "co_units", "duties__unit"
    )
    return [
        {
            "序号": str(n),
            "工作任务": entry.text,
            "牵头单位": entry.lead.name,
            "配合单位": "、".join(
                u.name for u in sorted(entry.co_units.all(), key=lambda u: u.order)
            ),
            "完成时限": entry.due_on,
            "依据职责": " ".join(d.code for d in entry.duties.all()),
        }
        for n, entry in enumerate(entries, start=1)
    ]


@transaction.atomic
def plan_to_tasks(*, plan: Plan, by: User) -> WorkPlan:
    """Turn the approved plan into plan tasks in one step, through the plan
    importer's checks and writer (tasks.importer, tasks.plans): all or
    nothing, every refusal named by entry."""
    plan = _claim(Plan, plan, None)
    if plan.status != Plan.Status.APPROVED:
        raise ValidationError(
            _("工作计划已转为计划任务。")
            if plan.status == Plan.Status.TASKED
            else _("工作计划审定后才能转为计划任务。")
        )
    result = importer.check_plan_rows(plan_rows(plan), plan.year)
    if result.errors:
        # the importer counts lines (第N行); here a line is the plan's Nth entry
        raise ValidationError([e.replace("行", "条", 1) for e in result.errors])
    work_plan = task_plans.work_plan_create(
        group=LeadingGroup.objects.get(),
        year=plan.year,
        title=plan.title,
        by=by,
    )
    task_plans.work_plan_import(plan=work_plan, rows=result.rows, by=by)
    plan.status = Plan.Status.TASKED
    plan.work_plan = work_plan
    _reason(plan, _("转为计划任务"))
    plan.save()
    return work_plan
