"""Small builders for task tests: issued minutes with decided matters, plans, tasks."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings.models import Decision, Meeting, Minutes
from members.models import LeadingGroup, Unit
from tasks import services
from tasks.models import Task, WorkPlan

_seq = {"n": 0}


def issued_decisions(
    by, texts: list[str], *, status: str = Minutes.Status.ISSUED
) -> list[Decision]:
    _seq["n"] += 1
    meeting = Meeting.objects.create(
        group=LeadingGroup.objects.get(),
        kind=Meeting.Kind.SPECIAL,
        year=2026,
        sequence=50 + _seq["n"],
        title=f"2026年第{_seq['n']}次专题会议",
        starts_at=timezone.now() - timedelta(days=10),
        place="区政府第三会议室",
        status=Meeting.Status.HELD,
        created_by=by,
    )
    minutes = Minutes.objects.create(
        meeting=meeting,
        title=f"{meeting.title}纪要",
        narrative="会议研究了知识产权保护工作。",
        drafted_by=by,
        status=status,
    )
    return [
        Decision.objects.create(minutes=minutes, number=i, text=text)
        for i, text in enumerate(texts, start=1)
    ]


def work_plan(by, year: int = 2026) -> WorkPlan:
    return WorkPlan.objects.create(
        group=LeadingGroup.objects.get(),
        year=year,
        title=f"{year}年知识产权强区建设工作计划",
        created_by=by,
    )


def make_task(
    *,
    by,
    lead: Unit,
    co: list[Unit] | tuple = (),
    due: date | None = None,
    decision: Decision | None = None,
    plan: WorkPlan | None = None,
    title: str = "开展知识产权联合执法行动",
) -> Task:
    if decision is None and plan is None:
        plan = work_plan(by)
    return services.task_assign(
        decision=decision,
        plan=plan,
        lead=lead,
        co_units=list(co),
        due=due or timezone.localdate() + timedelta(days=60),
        duties=[],
        title=title,
        description=title + "，形成工作报告。",
        by=by,
    )


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "现场照片说明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def xlsx_bytes(rows: list[list], header: list | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(
        header or ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "依据职责"]
    )
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
