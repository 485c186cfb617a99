"""Render time of the meeting pack (会议材料汇编): 12 units × ~5 pages each.

Run:
    .venv/bin/python bench/bench_pack_pdf.py [--runs 3] [--append]

Builds a throwaway SQLite database in a temporary directory (migrate, founding
document, an office account and one liaison per member unit, a planned plenary,
a round in which every unit submitted about five pages, 40 open decided-matter
tasks), drafts the pack, renders it once cold and ``--runs`` times warm, then asks
for it again unchanged (the kept file: hash of the parts, no rendering). Prints
the result as markdown; ``--append`` also appends it to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = Path(tempfile.mkdtemp(prefix="jinwei-bench-pack-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORKDIR / "media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinwei_ip.settings")
os.environ.setdefault("JINWEI_TESTING", "1")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from datetime import date, timedelta  # noqa: E402
from io import BytesIO  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from annual import pack as pack_module  # noqa: E402
from annual import services, services_pack  # noqa: E402
from annual.models import default_sections  # noqa: E402
from meetings import services as meeting_services  # noqa: E402
from meetings.models import Decision, Meeting, Minutes  # noqa: E402
from meetings.services import MeetingData  # noqa: E402
from members.models import LeadingGroup, Unit, User  # noqa: E402
from members.services import founding_load  # noqa: E402
from tasks import services as task_services  # noqa: E402

PARAGRAPH = (
    "本年度，我单位认真贯彻落实领导小组各项部署，将知识产权工作纳入年度重点工作，"
    "明确分管领导和联络员，建立工作台账，按月调度推进；围绕职责分工，组织开展宣传培训、"
    "执法检查和服务企业等工作，累计开展各类活动十余场，覆盖企业和群众两千余人次，"
    "知识产权保护意识明显增强，相关做法在全区工作通报中得到肯定。"
)


def build():
    call_command("migrate", verbosity=0)
    founding_load()
    office = User.objects.create(username="bench-office", role=User.Role.OFFICE)
    units = list(Unit.objects.members())
    liaisons = {
        unit.pk: User.objects.create(
            username=f"bench-{unit.code}", role=User.Role.LIAISON, unit=unit
        )
        for unit in units
    }
    meeting = meeting_services.meeting_create(
        data=MeetingData(
            kind=Meeting.Kind.PLENARY,
            title="2027年领导小组全体会议",
            starts_at=timezone.now() + timedelta(days=40),
            place="区政府第一会议室",
        ),
        by=office,
    )
    # open decided matters for the last table
    held = Meeting.objects.create(
        group=LeadingGroup.objects.get(),
        kind=Meeting.Kind.SPECIAL,
        year=2026,
        sequence=1,
        title="2026年知识产权保护专题会议",
        starts_at=timezone.now() - timedelta(days=90),
        place="区政府第三会议室",
        status=Meeting.Status.HELD,
        created_by=office,
    )
    minutes = Minutes.objects.create(
        meeting=held,
        title="纪要",
        narrative="会议研究了知识产权保护工作。",
        drafted_by=office,
        status=Minutes.Status.ISSUED,
    )
    for n in range(1, 41):
        decision = Decision.objects.create(
            minutes=minutes, number=n, text=f"第{n}项议定事项：开展专项行动。"
        )
        task_services.task_assign(
            decision=decision,
            plan=None,
            lead=units[n % len(units)],
            co_units=[units[(n + 1) % len(units)]],
            due=timezone.localdate() + timedelta(days=n * 3 - 30),
            duties=[],
            title=f"议定事项任务{n}：开展知识产权联合执法行动",
            description="开展联合执法行动，形成工作报告。",
            by=office,
            notify_units=False,
        )
    round_ = services.round_open(
        year=2026,
        title="",
        deadline=timezone.localdate() + timedelta(days=20),
        requires_head_approval=False,
        instructions="",
        sections=default_sections(),
        meeting=meeting,
        by=office,
    )
    for submission in round_.submissions.select_related("unit"):
        liaison = liaisons[submission.unit_id]
        saved = services.submission_save(
            submission=submission,
            by=liaison,
            version=submission.edit_version,
            texts={
                "s1": "\n".join([PARAGRAPH] * 8),
                "s3": "\n".join([PARAGRAPH[:80]] * 3),
            },
            duty_notes={key: PARAGRAPH for key in submission.duty_notes},
            plan_items=[
                {"text": PARAGRAPH[:60], "due_on": date(2027, 3 * i, 28)}
                for i in range(1, 5)
            ],
            coordination_items=[{"title": "需协调事项", "description": PARAGRAPH}],
        )
        services.submission_submit(
            submission=saved, by=liaison, version=saved.edit_version
        )
    return services_pack.pack_create(round_=round_, by=office)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--append", action="store_true")
    args = parser.parse_args()
    pack = build()
    start = time.perf_counter()
    data = services_pack.pack_pdf(pack)
    first = time.perf_counter() - start
    reader = PdfReader(BytesIO(data))
    pages = len(reader.pages)
    # outline: agenda, report, the units' part, [its units], open matters
    units = [reader.get_destination_page_number(item) for item in reader.outline[3]]
    matters = reader.get_destination_page_number(reader.outline[4])
    times = []
    html = pack_module.pack_html(pack)
    for _ in range(args.runs):
        start = time.perf_counter()
        pack_module.render_pack(html)
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    services_pack.pack_pdf(pack)  # unchanged: the kept file
    kept = time.perf_counter() - start
    spans = [b - a for a, b in itertools.pairwise([*units, matters])]
    lines = [
        "## Meeting pack PDF (bench/bench_pack_pdf.py)",
        "",
        f"_Measured {timezone.localtime():%Y-%m-%dT%H:%M%z}, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores shared with other work, load average (1 min) "
        f"{os.getloadavg()[0]:.2f} at the end._",
        "",
        f"- pack: {pages} pages ({len(units)} units, "
        f"{statistics.mean(spans):.1f} pages each on average), "
        f"40 open decided matters, {len(data) / 1024:.0f} KiB",
        f"- first render (cold: fonts discovered, templates loaded, file kept): "
        f"{first:.1f} s",
        f"- warm render (WeasyPrint layout and write, {args.runs} runs): median "
        f"{statistics.median(times):.1f} s, min / max "
        f"{min(times):.1f} / {max(times):.1f} s",
        f"- unchanged pack asked again (hash of the parts' HTML, kept file read): "
        f"{kept * 1000:.0f} ms",
        "- Until the job queue exists the pack is rendered in the request that "
        "first asks for it after a change, then served from the kept file.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.append:
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
