"""Topics: the office hears of a new one, the coordinating units (需协同的单位)
may open it, and the raising unit may withdraw it until it is on an agenda."""

from __future__ import annotations

from django.urls import reverse

from meetings import services
from meetings.models import Topic
from notices.models import Notification
from tests.base import PortalTestCase

from . import factories as f


class TopicTests(PortalTestCase):
    def setUp(self) -> None:
        self.topic = services.topic_raise(
            unit=self.unit_a,
            by=self.liaison_a,
            title="建立知识产权纠纷调解与司法确认衔接机制",
            description="需区财政局支持经费。",
            related_units=[self.unit_b],
        )
        self.url = self.topic.get_absolute_url()
        self.withdraw = reverse("meetings:topic_withdraw", args=[self.topic.pk])

    def test_office_is_notified_of_a_new_topic(self):
        [note] = Notification.objects.filter(recipient=self.office)
        self.assertIn("区司法局提出议题", note.text)
        self.assertEqual(note.url, self.url)
        self.assertFalse(Notification.objects.filter(recipient=self.leader).exists())

    def test_coordinating_unit_may_open_it_others_not(self):
        r = self.get_as(self.liaison_b, self.url)
        self.assertContains(r, self.topic.title)
        self.assertNotContains(r, "撤回议题")
        self.assertEqual(self.get_as(self.outsider, self.url).status_code, 404)
        self.assertEqual(self.get_as(self.nobody, self.url).status_code, 404)

    def test_raising_unit_withdraws_before_scheduling(self):
        r = self.get_as(self.liaison_a, self.url)
        self.assertContains(r, "撤回议题")
        self.assertContains(r, 'data-confirm="确认撤回这个议题')
        r = self.post_as(self.liaison_a, self.withdraw)
        self.assertRedirects(r, self.url)
        self.topic.refresh_from_db()
        self.assertEqual(self.topic.status, Topic.Status.WITHDRAWN)
        self.assertEqual(
            self.topic.history.latest().history_change_reason, "提出单位撤回议题"
        )
        self.assertContains(self.get_as(self.liaison_a, self.url), "已撤回")
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.office, text__contains="撤回了议题"
            ).exists()
        )

    def test_permission_matrix(self):
        self.assertEqual(self.get_as(self.liaison_a, self.withdraw).status_code, 405)
        self.assertLoginRedirect(self.post_as(None, self.withdraw))
        self.assertEqual(self.post_as(self.outsider, self.withdraw).status_code, 404)
        # Sees it, may not withdraw it: the coordinating unit, the office, a leader.
        for user in (self.liaison_b, self.office, self.leader):
            self.assertEqual(self.post_as(user, self.withdraw).status_code, 403)
        self.topic.refresh_from_db()
        self.assertEqual(self.topic.status, Topic.Status.RAISED)
        # The unit head of the raising unit may.
        self.post_as(self.head_a, self.withdraw)
        self.topic.refresh_from_db()
        self.assertEqual(self.topic.status, Topic.Status.WITHDRAWN)

    def test_scheduled_topic_cannot_be_withdrawn(self):
        meeting = f.meeting(self.office, units=[self.unit_a], held=False, days=7)
        services.topic_schedule(
            topic=self.topic, meeting=meeting, presenter="蒋平", by=self.office
        )
        self.assertNotContains(self.get_as(self.liaison_a, self.url), "撤回议题")
        r = self.post_as(self.liaison_a, self.withdraw, follow=True)
        self.assertContains(r, "议题已列入会议议程或已处理，不能撤回。")
        self.topic.refresh_from_db()
        self.assertEqual(self.topic.status, Topic.Status.SCHEDULED)
