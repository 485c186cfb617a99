"""The meeting pack's PDF read back with pypdf: its text, the 目录's page numbers
against where each part really starts, the bookmarks, page numbers on every page
after the cover, embedded fonts; and the kept file re-rendered only on change."""

from __future__ import annotations

import re
from io import BytesIO
from unittest import mock

from pypdf import PdfReader

from annual import pack as pack_module
from annual import services
from meetings import services as meeting_services
from tests.base import PortalTestCase
from tests.tasks.factories import issued_decisions, make_task

from .factories import open_round, plenary, sub, submit


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page index) of every bookmark, in order."""
    rows = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                rows.append(
                    (level, item.title, reader.get_destination_page_number(item))
                )

    walk(reader.outline, 1)
    return rows


class PackPdfTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        meeting = plenary(cls.office)
        cls.round = open_round(cls.office, meeting=meeting)
        for unit, liaison in ((cls.unit_a, cls.liaison_a), (cls.unit_b, cls.liaison_b)):
            submit(
                sub(cls.round, unit),
                liaison,
                plan=3,
                coordination=1,
                text="\n".join(
                    f"第{i}段：开展知识产权宣传执法工作。" * 8 for i in range(12)
                ),
            )
        item = sub(cls.round, cls.unit_a).coordination_items.get()
        services.coordination_to_topic(item=item, by=cls.office)
        decision = issued_decisions(cls.office, ["开展专利侵权联合执法行动"])[0]
        make_task(
            by=cls.office, lead=cls.unit_a, decision=decision, title="联合执法行动"
        )
        cls.pack = services.pack_create(round_=cls.round, by=cls.office)
        cls.data = services.pack_pdf(cls.pack)
        cls.reader = PdfReader(BytesIO(cls.data))
        cls.texts = [page.extract_text() for page in cls.reader.pages]

    def test_the_parts_are_all_there(self):
        text = "".join(self.texts)
        self.assertIn("会议材料汇编", self.texts[0])
        for part in (
            "会议议程",
            "区司法局需协调事项1",  # the agenda: the topic made from the item
            "关于2026年度全区知识产权工作情况的报告",
            "区司法局2026年度工作总结",
            "区财政局2026年度工作总结",
            "区司法局工作打算3",
            "议定事项落实情况一览表",
            "联合执法行动",
        ):
            with self.subTest(part):
                self.assertIn(part, text.replace("\n", ""))
        # a unit that did not submit is not in it
        self.assertNotIn("区林业局2026年度工作总结", text)

    def test_bookmarks_follow_the_parts_and_the_toc_numbers_match_them(self):
        outline = _outline(self.reader)
        titles = [(level, title) for level, title, _page in outline]
        self.assertEqual(
            titles,
            [
                (1, "会议议程"),
                (1, "关于2026年度全区知识产权工作情况的报告"),
                (1, "成员单位年度工作总结"),
                (2, "区司法局2026年度工作总结"),
                (2, "区财政局2026年度工作总结"),
                (1, "议定事项落实情况一览表"),
            ],
        )
        toc = self.texts[1].replace(" ", "")
        self.assertIn("目", toc)
        for _level, title, page in outline:
            with self.subTest(title):
                printed = re.search(re.escape(title) + r"[.．·…]*(\d+)", toc)
                self.assertIsNotNone(printed, toc)
                self.assertEqual(int(printed[1]), page + 1)
                self.assertIn(title[:6], self.texts[page].replace("\n", ""))
        # the long submissions make the units' part span several pages
        self.assertGreater(outline[4][2] - outline[3][2], 1)

    def test_page_numbers_on_every_page_after_the_cover_and_fonts_embedded(self):
        self.assertNotRegex(self.texts[0], r"— 1 —")
        for index, text in enumerate(self.texts[1:], start=2):
            self.assertIn(f"— {index} —", text)
        fonts = self.reader.pages[3]["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)[
                "/FontDescriptor"
            ].get_object()
            self.assertTrue(
                any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            )
        self.assertEqual(self.pack.page_count, len(self.reader.pages))


class PackKeptFileTests(PortalTestCase):
    def test_rendered_once_and_again_only_when_a_part_changes(self):
        round_ = open_round(self.office, meeting=plenary(self.office))
        submit(sub(round_, self.unit_a), self.liaison_a)
        pack = services.pack_create(round_=round_, by=self.office)
        real = pack_module.render_pack
        with mock.patch.object(pack_module, "render_pack", side_effect=real) as render:
            first = services.pack_pdf(pack)
            again = services.pack_pdf(pack)
            self.assertEqual(render.call_count, 1)
            self.assertEqual(first, again)
            pack = services.pack_edit(
                pack=pack,
                title=pack.office_report_title,
                text="一、总体情况\n\n改过的报告。",
                version=pack.edit_version,
                by=self.office,
            )
            services.pack_pdf(pack)
            self.assertEqual(render.call_count, 2)
            # a new topic on the agenda is a changed part too
            topic = meeting_services.topic_raise(
                unit=self.unit_b, by=self.liaison_b, title="新议题"
            )
            meeting_services.topic_schedule(
                topic=topic, meeting=round_.meeting, presenter="", by=self.office
            )
            services.pack_pdf(pack)
            self.assertEqual(render.call_count, 3)

    def test_the_download_is_the_pdf(self):
        from django.urls import reverse

        round_ = open_round(self.office, meeting=plenary(self.office))
        services.pack_create(round_=round_, by=self.office)
        response = self.get_as(
            self.leader, reverse("annual:pack_pdf", args=[round_.pk])
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF-"))
