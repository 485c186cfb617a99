"""PDF rendering: minutes (3 pages) and a bulletin, vs LibreOffice converting the
same minutes written as .docx.

    .venv/bin/python bench/pdf.py

The minutes are the latest issued minutes of the seeded data, their narrative
lengthened (in memory) until the PDF has exactly 3 pages. The .docx holds the
same text (纪要 mark, attendance lists, narrative, decided matters) and is made
with python-docx; ``soffice --headless --convert-to pdf`` is timed as a server
would call it: one process per document, after one warm-up run that creates the
LibreOffice profile. Target: minutes PDF ≥ 3× faster than LibreOffice.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    command_version,
    median,
    ms,
    p95,
    setup_django,
    table,
    timed,
    verdict,
    write_section,
)


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def three_page_minutes():
    from meetings.models import Minutes
    from meetings.pdf import minutes_pdf

    minutes = (
        Minutes.objects.issued()
        .select_related("meeting__group")
        .order_by("-issued_at")
        .first()
    )
    base = [p for p in minutes.narrative.split("\n\n") if p.strip()]
    paragraphs = list(base)
    while True:
        minutes.narrative = "\n\n".join(paragraphs)
        pages = page_count(minutes_pdf(minutes))
        if pages >= 3:
            break
        paragraphs += base
    while pages > 3 and len(paragraphs) > 1:
        paragraphs.pop()
        minutes.narrative = "\n\n".join(paragraphs)
        pages = page_count(minutes_pdf(minutes))
    return minutes, pages


def minutes_docx(minutes, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    from meetings.pdf import minutes_context

    ctx = minutes_context(minutes)
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.bottom_margin, section.right_margin = Mm(35), Mm(26)
    style = doc.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.font.size = Pt(16)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")

    def para(text: str, *, size: float = 16, bold=False, red=False, center=False):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if red:
            run.font.color.rgb = RGBColor(0xCC, 0, 0)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    para(ctx["mark"], size=ctx["mark_size"], red=True, center=True)
    para(minutes.issue_label, center=True)
    para(f"{ctx['issuer']}    {ctx['date_label']}")
    para(minutes.title, size=22, bold=True, center=True)
    for label, names in ctx["name_lists"]:
        para(f"{label}：{names}")
    for text in minutes.narrative.split("\n\n"):
        para("　　" + text)
    para("　　" + ctx["decisions_intro"])
    for d in ctx["decisions"]:
        para(f"　　{d['numeral']}、{d['text']}")
    para(ctx["distribution"], size=14)
    para(ctx["printed_label"], size=14)
    doc.save(str(path))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--soffice-runs", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from common import data_size, database_version
    from django.db import transaction

    from jinwei_ip.lib.pdf import render_pdf  # noqa: F401  (fonts checked on import)
    from meetings.pdf import minutes_pdf
    from members.models import User

    rows, data = [], {}
    minutes, pages = three_page_minutes()
    samples = timed(lambda: minutes_pdf(minutes), runs=args.runs, warmup=2)
    data["minutes_pdf"] = {"median_ms": median(samples), "p95_ms": p95(samples)}
    rows.append(
        ["minutes PDF (WeasyPrint)", pages, ms(median(samples)), ms(p95(samples))]
    )

    try:
        from oversight.bulletin_pdf import render_bulletin
        from oversight.services import bulletin_draft

        office = User.objects.get(username="bench_office")
        with transaction.atomic():
            bulletin = bulletin_draft(period="quarter", year=2026, index=3, by=office)
            pdf = render_bulletin(bulletin)
            b_samples = timed(
                lambda: render_bulletin(bulletin), runs=args.runs, warmup=1
            )
            transaction.set_rollback(True)
        data["bulletin_pdf"] = {
            "median_ms": median(b_samples),
            "p95_ms": p95(b_samples),
            "pages": page_count(pdf),
        }
        rows.append(
            [
                "bulletin PDF, 2026 Q3 (WeasyPrint)",
                page_count(pdf),
                ms(median(b_samples)),
                ms(p95(b_samples)),
            ]
        )
    except ImportError:
        rows.append(["bulletin PDF", "—", "not available yet", "—"])

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    verdict_line = "LibreOffice is not installed: no comparison."
    if soffice:
        tmp = Path(tempfile.mkdtemp(prefix="jinwei-bench-pdf-"))
        docx = tmp / "minutes.docx"
        minutes_docx(minutes, docx)
        profile = f"-env:UserInstallation=file://{tmp / 'profile'}"
        cmd = [
            soffice,
            profile,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp),
            str(docx),
        ]

        def convert() -> None:
            subprocess.run(cmd, check=True, capture_output=True, timeout=300)

        lo = timed(convert, runs=args.soffice_runs, warmup=1)
        lo_pages = page_count((tmp / "minutes.pdf").read_bytes())
        shutil.rmtree(tmp, ignore_errors=True)
        data["libreoffice"] = {
            "median_ms": median(lo),
            "p95_ms": p95(lo),
            "pages": lo_pages,
            "version": command_version([soffice, "--version"]),
        }
        rows.append(
            [
                "same minutes as .docx → `soffice --headless --convert-to pdf`",
                lo_pages,
                ms(median(lo)),
                ms(p95(lo)),
            ]
        )
        speedup = median(lo) / data["minutes_pdf"]["median_ms"]
        data["speedup"] = speedup
        verdict_line = (
            f"Minutes PDF vs LibreOffice: ×{speedup:.1f} faster — target ≥ 3×: "
            f"{verdict(speedup >= 3)}. ({data['libreoffice']['version']})"
        )
    body = (
        f"{database_version()}; {data_size()}. Median / p95 in ms "
        f"({args.runs} runs for WeasyPrint after warm-up, {args.soffice_runs} "
        "LibreOffice runs after one warm-up).\n\n"
        + table(["document", "pages", "median", "p95"], rows)
        + f"\n\n{verdict_line}\n"
    )
    write_section("pdf", "PDF rendering", body, data)


if __name__ == "__main__":
    main()
