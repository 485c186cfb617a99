"""A decided matter's 建议承办单位 keep the order the office entered: the first is
the suggested lead (牵头单位) of the tasks made from it."""

from __future__ import annotations

from django.urls import reverse

from meetings import services
from meetings.forms_minutes import DecisionForm
from meetings.models import Decision, Minutes
from meetings.services import DecisionInput
from members.models import Unit
from tests.base import PortalTestCase

from . import factories as f


class SuggestedUnitsOrderTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        units = {u.code: u for u in Unit.objects.all()}
        # 区文旅局 comes after 区商务局 in the units' own order.
        cls.wlj, cls.swj = units["wlj"], units["swj"]
        assert cls.wlj.order > cls.swj.order

    def _draft(self, units):
        m = f.meeting(self.office, units=[self.unit_a])
        return services.minutes_draft(
            meeting=m,
            by=self.office,
            title="纪要",
            narrative="正文",
            decisions=[
                DecisionInput(text="由区文旅局会同区商务局…", suggested_units=units)
            ],
        )

    def test_service_keeps_the_order_given(self):
        minutes = self._draft([self.wlj, self.swj])
        decision = minutes.decisions.get()
        self.assertEqual(decision.suggested_units_in_order(), [self.wlj, self.swj])
        self.assertEqual(decision.suggested_lead(), self.wlj)

    def test_update_reorders(self):
        minutes = self._draft([self.wlj, self.swj])
        d = minutes.decisions.get()
        services.minutes_update(
            minutes=minutes,
            by=self.office,
            title="纪要",
            narrative="正文",
            decisions=[
                DecisionInput(
                    text=d.text, pk=d.pk, suggested_units=[self.swj, self.wlj]
                )
            ],
            edit_version=minutes.edit_version,
        )
        d = Decision.objects.get(pk=d.pk)
        self.assertEqual(d.suggested_units_in_order(), [self.swj, self.wlj])

    def test_form_saves_and_shows_the_typed_order(self):
        m = f.meeting(self.office, units=[self.unit_a])
        r = self.post_as(
            self.office,
            reverse("meetings:minutes_create", args=[m.pk]),
            {
                "title": "纪要",
                "narrative": "正文",
                "dec-TOTAL_FORMS": "1",
                "dec-INITIAL_FORMS": "0",
                "dec-MIN_NUM_FORMS": "0",
                "dec-MAX_NUM_FORMS": "1000",
                "dec-0-text": "由区文旅局会同区商务局开展展会知识产权保护。",
                "dec-0-units_text": "区文旅局、区商务局",
                "dec-0-ORDER": "1",
            },
        )
        minutes = m.minutes.get()
        self.assertRedirects(r, minutes.get_absolute_url())
        decision = minutes.decisions.get()
        self.assertEqual(decision.suggested_units_in_order(), [self.wlj, self.swj])
        r = self.get_as(self.office, minutes.get_absolute_url())
        self.assertContains(r, "建议承办：区文旅局、区商务局")
        r = self.get_as(
            self.office, reverse("meetings:minutes_edit", args=[minutes.pk])
        )
        self.assertContains(r, 'value="区文旅局、区商务局"')

    def test_correction_copies_the_order(self):
        minutes = f.advance(
            self._draft([self.wlj, self.swj]),
            office=self.office,
            leader=self.leader,
            to=Minutes.Status.ISSUED,
        )
        new = services.minutes_correct(minutes=minutes, by=self.office, reason="更正")
        self.assertEqual(
            new.decisions.get().suggested_units_in_order(), [self.wlj, self.swj]
        )

    def test_prefetched_order_needs_no_query_per_decision(self):
        minutes = self._draft([self.wlj, self.swj])
        decisions = list(minutes.decisions.prefetch_related("unit_links__unit"))
        with self.assertNumQueries(0):
            self.assertEqual(
                decisions[0].suggested_units_in_order(), [self.wlj, self.swj]
            )

    def test_each_unknown_unit_is_quoted_on_its_own(self):
        # Two names not found read as two names, not as one unit called “甲、乙”.
        form = DecisionForm(
            data={"text": "议定事项", "units_text": "区司法局、不存在的局、另一个局"}
        )
        self.assertFalse(form.is_valid())
        self.assertEqual(
            form.errors["units_text"],
            ["没有找到单位“不存在的局”、“另一个局”，请核对单位名称（如：区司法局）。"],
        )
