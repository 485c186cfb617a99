"""Render time of a 3-page minutes PDF (GB/T 9704 纪要格式, WeasyPrint + Noto CJK).

Run:
    DJANGO_SETTINGS_MODULE=jinwei_ip.settings JINWEI_TESTING=1 \
        .venv/bin/python bench/bench_minutes_pdf.py [--runs 30]

Builds a throwaway SQLite database in a temporary directory (migrate, founding
document, a held special meeting with attendance and issued minutes long enough for
three pages), renders the PDF once to warm up (font discovery, template loading),
then N times, and prints the median, p95, min and max render time and the page count.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = Path(tempfile.mkdtemp(prefix="jinwei-bench-pdf-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinwei_ip.settings")
os.environ.setdefault("JINWEI_TESTING", "1")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402
from io import BytesIO  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from meetings import services  # noqa: E402
from meetings.models import Attendance, Meeting  # noqa: E402
from meetings.pdf import minutes_pdf  # noqa: E402
from meetings.services import AttendanceRow, DecisionInput, MeetingData  # noqa: E402
from members.models import Person, Unit, User  # noqa: E402
from members.services import founding_load  # noqa: E402

PARAGRAPH = (
    "会议听取了领导小组办公室关于全区知识产权工作情况的汇报，研究部署知识产权强区建设重点工作。"
    "会议强调，各成员单位要按照职责分工，主动研究知识产权战略实施中的有关问题，认真落实领导小组"
    "确定的工作任务和议定事项，及时处理需要跨部门协同解决的问题，形成工作合力。"
)
DECISION = (
    "由区市场监管局牵头，会同市公安局金台分局、区文旅局开展知识产权联合执法行动，重点查处商标侵权、"
    "假冒专利等违法行为，年底前报送工作总结。"
)


def build_minutes():
    call_command("migrate", verbosity=0)
    founding_load()
    office = User.objects.create(username="bench-office", role=User.Role.OFFICE)
    leader = User.objects.create(username="bench-leader", role=User.Role.LEADER)
    units = list(Unit.objects.members())
    people = [
        Person.objects.create(
            name=f"{surname}{given}", unit=unit, job_title=f"{unit.name}分管负责同志"
        )
        for unit, surname, given in zip(
            units, "赵钱孙李周吴郑王冯陈褚卫", "文武建国立新华明德志海平", strict=False
        )
    ]
    meeting = services.meeting_create(
        data=MeetingData(
            kind=Meeting.Kind.PLENARY,
            title="领导小组全体会议",
            starts_at=timezone.now() - timedelta(days=1),
            place="区政府第一会议室",
        ),
        by=office,
    )
    services.meeting_mark_held(meeting=meeting, by=office)
    services.attendance_record(
        meeting=meeting,
        rows=[
            AttendanceRow(
                person=p,
                status=Attendance.Status.ABSENT
                if i == 3
                else Attendance.Status.PRESENT,
                substitute=people[0] if i == 3 else None,
            )
            for i, p in enumerate(people)
        ],
        by=office,
    )
    minutes = services.minutes_draft(
        meeting=meeting,
        by=office,
        title="金台区知识产权工作协调领导小组全体会议纪要",
        narrative="\n\n".join([PARAGRAPH] * 4),
        decisions=[DecisionInput(text=DECISION) for _ in range(7)],
    )
    services.minutes_submit(minutes=minutes, by=office)
    services.minutes_approve(minutes=minutes, by=leader)
    return services.minutes_issue(minutes=minutes, by=office)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    minutes = build_minutes()
    first_start = time.perf_counter()
    data = minutes_pdf(minutes)
    first = time.perf_counter() - first_start
    pages = len(PdfReader(BytesIO(data)).pages)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        minutes_pdf(minutes)
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print("## Minutes PDF (bench/bench_minutes_pdf.py)")
    print()
    print(f"- pages: {pages}, size: {len(data) / 1024:.0f} KiB, runs: {args.runs}")
    print(f"- first render (cold, fonts discovered): {first * 1000:.0f} ms")
    print(f"- median: {statistics.median(times) * 1000:.0f} ms")
    print(f"- p95: {p95 * 1000:.0f} ms")
    print(f"- min / max: {times[0] * 1000:.0f} / {times[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
