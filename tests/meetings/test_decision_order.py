"""The order of decided matters on the form is the order stored and printed."""

from __future__ import annotations

from django.urls import reverse

from meetings.models import Minutes
from tests.base import PortalTestCase
from tests.meetings.factories import meeting


def rows(texts: list[str], orders: list[str]) -> dict:
    data = {
        "dec-TOTAL_FORMS": str(len(texts)),
        "dec-INITIAL_FORMS": "0",
        "dec-MIN_NUM_FORMS": "0",
        "dec-MAX_NUM_FORMS": "1000",
    }
    for i, (text, order) in enumerate(zip(texts, orders, strict=True)):
        data[f"dec-{i}-text"] = text
        data[f"dec-{i}-ORDER"] = order
        data[f"dec-{i}-units_text"] = ""
        data[f"dec-{i}-id"] = ""
    return data


class DecisionOrderTests(PortalTestCase):
    def test_new_form_numbers_its_blank_rows(self) -> None:
        m = meeting(self.office)
        response = self.get_as(
            self.office, reverse("meetings:minutes_create", args=[m.pk])
        )
        for i in range(3):
            self.assertContains(response, f'name="dec-{i}-ORDER" value="{i + 1}"')

    def test_rows_without_number_keep_their_place(self) -> None:
        # what the old page sent: three default rows without 序号, two added rows 4, 5
        m = meeting(self.office)
        texts = [f"第{n}项事项" for n in "一二三四五"]
        response = self.post_as(
            self.office,
            reverse("meetings:minutes_create", args=[m.pk]),
            {
                "title": "纪要",
                "narrative": "正文。",
                **rows(texts, ["", "", "", "4", "5"]),
            },
        )
        self.assertEqual(response.status_code, 302)
        minutes = Minutes.objects.get(meeting=m)
        self.assertEqual(
            list(minutes.decisions.order_by("number").values_list("text", flat=True)),
            texts,
        )

    def test_numbers_given_reorder(self) -> None:
        m = meeting(self.office)
        texts = ["甲", "乙", "丙"]
        self.post_as(
            self.office,
            reverse("meetings:minutes_create", args=[m.pk]),
            {"title": "纪要", "narrative": "正文。", **rows(texts, ["3", "1", "2"])},
        )
        minutes = Minutes.objects.get(meeting=m)
        self.assertEqual(
            list(minutes.decisions.order_by("number").values_list("text", flat=True)),
            ["乙", "丙", "甲"],
        )
