"""A meeting's page links to the meeting pack of the round it belongs to (the
meetings hook ``meeting_links``, registered by annual): the office and the
leaders always, an attending unit only once the pack is issued."""

from __future__ import annotations

from annual import services_pack
from meetings import hooks
from tests.base import PortalTestCase

from .factories import open_round, plenary, sub, submit


class MeetingPackLinkTests(PortalTestCase):
    def setUp(self):
        self.meeting = plenary(self.office)
        self.round = open_round(self.office, meeting=self.meeting)
        submit(sub(self.round, self.unit_a), self.liaison_a)
        self.url = self.meeting.get_absolute_url()

    def test_annual_registers_the_link(self):
        from annual.from_meetings import pack_links

        self.assertIn(pack_links, list(hooks.meeting_links))

    def test_no_pack_no_link(self):
        page = self.get_as(self.office, self.url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "会议材料汇编")

    def test_office_and_leaders_always_a_unit_once_issued(self):
        pack = services_pack.pack_create(round_=self.round, by=self.office)
        link = f'href="{pack.get_absolute_url()}"'
        for user in (self.office, self.leader):
            with self.subTest(user=user.username):
                page = self.get_as(user, self.url)
                self.assertContains(page, "会议材料汇编")
                self.assertContains(page, link)
                self.assertContains(page, "2026年度 · 草稿")
        page = self.get_as(self.liaison_a, self.url)
        self.assertEqual(page.status_code, 200)  # the unit attends the meeting
        self.assertNotContains(page, "会议材料汇编")
        self.assertNotContains(page, link)
        services_pack.pack_issue(pack=pack, by=self.office)
        for user in (self.liaison_a, self.head_a, self.liaison_b):
            with self.subTest(user=user.username):
                page = self.get_as(user, self.url)
                self.assertContains(page, link)
                self.assertContains(page, "2026年度 · 已印发")
                # and the link opens
                self.assertEqual(
                    self.get_as(user, pack.get_absolute_url()).status_code, 200
                )

    def test_another_meetings_page_has_no_link(self):
        services_pack.pack_create(round_=self.round, by=self.office)
        other = plenary(self.office, days=60)
        page = self.get_as(self.office, other.get_absolute_url())
        self.assertNotContains(page, "会议材料汇编")
