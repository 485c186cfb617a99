"""The meeting pack's PDF read back with pypdf: its text, the 目录's page numbers
against where each part really starts, the bookmarks, page numbers on every page
after the cover, embedded fonts; and the kept file re-rendered only on change."""

from __future__ import annotations

import re
from io import BytesIO
from unittest import mock

from django.urls import reverse
from pypdf import PdfReader

from annual import pack as pack_module
from annual import services, services_pack
from jinwei_ip.lib.pdf import INSTALL_HINT, CJKFontsMissing
from jobs.models import Job
from jobs.services import job_run
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
        cls.pack = services_pack.pack_create(round_=cls.round, by=cls.office)
        cls.data = services_pack.pack_pdf(cls.pack)
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
        pack = services_pack.pack_create(round_=round_, by=self.office)
        real = pack_module.render_pack
        with mock.patch.object(pack_module, "render_pack", side_effect=real) as render:
            first = services_pack.pack_pdf(pack)
            again = services_pack.pack_pdf(pack)
            self.assertEqual(render.call_count, 1)
            self.assertEqual(first, again)
            pack = services_pack.pack_edit(
                pack=pack,
                title=pack.office_report_title,
                text="一、总体情况\n\n改过的报告。",
                version=pack.edit_version,
                by=self.office,
            )
            services_pack.pack_pdf(pack)
            self.assertEqual(render.call_count, 2)
            # a new topic on the agenda is a changed part too
            topic = meeting_services.topic_raise(
                unit=self.unit_b, by=self.liaison_b, title="新议题"
            )
            meeting_services.topic_schedule(
                topic=topic, meeting=round_.meeting, presenter="", by=self.office
            )
            services_pack.pack_pdf(pack)
            self.assertEqual(render.call_count, 3)


class PackJobTests(PortalTestCase):
    """The download serves the kept PDF when it is current; otherwise the job
    worker lays it out (annual.background), keeps it on the pack and hands it
    over on the job's page."""

    def setUp(self):
        self.round = open_round(self.office, meeting=plenary(self.office))
        submit(sub(self.round, self.unit_a), self.liaison_a)
        self.pack = services_pack.pack_create(round_=self.round, by=self.office)
        self.url = reverse("annual:pack_pdf", args=[self.round.pk])

    def start(self, user) -> Job:
        response = self.get_as(user, self.url)
        job = Job.objects.filter(owner=user).latest("pk")
        self.assertRedirects(response, job.get_absolute_url())
        return job

    def test_a_stale_pack_is_made_by_a_job_and_then_served_at_once(self):
        job = self.start(self.leader)
        self.assertEqual(job.kind, "annual_pack_pdf")
        self.assertEqual(job.params["round"], self.round.pk)
        self.assertEqual(job.back_url, self.pack.get_absolute_url())
        page = self.get_as(self.leader, job.get_absolute_url())
        self.assertContains(page, 'role="progressbar"')
        # pressed again while it waits: the same job, not a second one
        self.assertEqual(self.start(self.leader), job)
        self.assertEqual(Job.objects.count(), 1)
        self.assertEqual(job_run(job_id=job.pk), "done")
        job.refresh_from_db()
        self.assertEqual(job.filename, pack_module.pack_filename(self.pack))
        download = self.get_as(self.leader, reverse("jobs:download", args=[job.pk]))
        data = b"".join(download.streaming_content)
        self.assertTrue(data.startswith(b"%PDF-"))
        # the job kept the file on the pack: the next download is the file itself
        self.pack.refresh_from_db()
        self.assertTrue(self.pack.file)
        self.assertGreater(self.pack.page_count, 1)
        with mock.patch.object(pack_module, "render_pack") as render:
            response = self.get_as(self.office, self.url)
        render.assert_not_called()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response.content, data)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(Job.objects.count(), 1)
        # a part changed: a new job again (the finished one is not re-used)
        services_pack.pack_edit(
            pack=self.pack,
            title=self.pack.office_report_title,
            text="一、总体情况\n\n改过的报告。",
            version=self.pack.edit_version,
            by=self.office,
        )
        again = self.start(self.leader)
        self.assertNotEqual(again, job)

    def test_an_edit_while_the_job_waits_asks_for_a_new_one(self):
        waiting = self.start(self.office)
        services_pack.pack_edit(
            pack=self.pack,
            title=self.pack.office_report_title,
            text="一、总体情况\n\n改过的报告。",
            version=self.pack.edit_version,
            by=self.office,
        )
        self.assertNotEqual(self.start(self.office), waiting)

    def test_another_persons_running_job_is_not_re_used(self):
        mine = self.start(self.leader)
        theirs = self.start(self.office)
        self.assertNotEqual(mine, theirs)
        self.assertEqual(theirs.owner, self.office)

    def test_a_unit_has_no_job_before_the_pack_is_issued(self):
        self.assertEqual(self.get_as(self.liaison_a, self.url).status_code, 404)
        self.assertFalse(Job.objects.exists())
        services_pack.pack_issue(pack=self.pack, by=self.office)
        job = self.start(self.liaison_a)
        self.assertEqual(job_run(job_id=job.pk), "done")

    def test_the_runner_asks_again_as_the_jobs_owner(self):
        job = self.start(self.leader)
        # the leader became a unit's liaison before the worker ran: the draft
        # pack is no longer theirs to read
        type(self.leader).objects.filter(pk=self.leader.pk).update(
            role="liaison", unit=self.unit_a
        )
        self.assertEqual(job_run(job_id=job.pk), "failed")
        job.refresh_from_db()
        self.assertIn("已不存在，或您已无权查看", job.error)
        self.pack.refresh_from_db()
        self.assertFalse(self.pack.file)

    def test_a_deleted_pack_fails_in_chinese(self):
        job = self.start(self.office)
        self.pack.delete()
        self.assertEqual(job_run(job_id=job.pk), "failed")
        page = self.get_as(self.office, job.get_absolute_url())
        self.assertContains(page, "这份会议材料汇编已不存在")

    def test_no_chinese_font_fails_in_chinese(self):
        job = self.start(self.office)
        with mock.patch.object(
            pack_module, "render_pack", side_effect=CJKFontsMissing("no font")
        ):
            self.assertEqual(job_run(job_id=job.pk), "failed")
        job.refresh_from_db()
        self.assertIn("服务器没有安装中文字体", job.error)
        self.assertIn(INSTALL_HINT, job.error)
