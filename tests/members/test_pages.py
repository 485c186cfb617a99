"""Group, office, unit and position pages, with their permission matrix."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from duties.models import DutyClause
from members.models import LeadingGroup, Membership, Person, Position
from tests.base import PortalTestCase


class GroupPageTests(PortalTestCase):
    def test_group_page_shows_leaders_office_and_all_units(self):
        response = self.get_as(self.liaison_a, reverse("members:group"))
        self.assertContains(response, "组长")
        self.assertContains(response, "区政府分管副区长")
        self.assertContains(response, "副组长")
        self.assertContains(response, "区市场监管局局长")
        self.assertContains(response, "王建华")
        self.assertContains(response, "办公室主任")
        for unit in [
            "区委宣传部",
            "区教体局",
            "市公安局金台分局",
            "区人民法院",
            "区文旅局",
        ]:
            self.assertContains(response, unit)
        self.assertContains(response, "原则上每年召开一次")

    def test_anonymous_is_sent_to_login(self):
        self.assertLoginRedirect(self.get_as(None, reverse("members:group")))
        self.assertLoginRedirect(self.get_as(None, reverse("home")))

    def test_office_page(self):
        response = self.get_as(self.leader, reverse("members:office"))
        self.assertContains(response, "区市场监管局")
        self.assertContains(response, "陈静")
        self.assertContains(response, "李志强")
        # the office's duty, from the duties app (members.hooks.office_page_parts)
        office = LeadingGroup.objects.get().office_unit
        self.assertContains(
            response, DutyClause.objects.get(unit=office, number=1).text
        )


class UnitPageTests(PortalTestCase):
    def test_unit_page_shows_every_clause_as_worded(self):
        for unit in [self.unit_a, self.unit_b, self.unit_out]:
            response = self.get_as(self.outsider, unit.get_absolute_url())
            for clause in DutyClause.objects.filter(unit=unit):
                self.assertContains(response, clause.text)

    def test_private_people_page_matrix(self):
        url = reverse("members:unit_people", args=[self.unit_a.code])
        for user, status in [
            (self.office, 200),
            (self.leader, 200),
            (self.liaison_a, 200),
            (self.head_a, 200),
            (self.liaison_b, 404),
            (self.outsider, 404),
            (self.nobody, 404),
        ]:
            with self.subTest(user=user.username):
                self.assertEqual(self.get_as(user, url).status_code, status)
        self.assertLoginRedirect(self.get_as(None, url))

    def test_people_page_link_only_for_those_who_may_open_it(self):
        url = reverse("members:unit_people", args=[self.unit_a.code])
        self.assertContains(
            self.get_as(self.liaison_a, self.unit_a.get_absolute_url()), url
        )
        self.assertNotContains(
            self.get_as(self.liaison_b, self.unit_a.get_absolute_url()), url
        )

    def test_unknown_unit_is_404(self):
        self.assertEqual(
            self.get_as(
                self.office, reverse("members:unit", args=["nope"])
            ).status_code,
            404,
        )


class DutyCatalogueTests(PortalTestCase):
    def test_filter_by_unit_and_category(self):
        url = reverse("duties:catalogue")
        response = self.get_as(
            self.liaison_a, url, data={"unit": "nyncj", "category": "variety"}
        )
        self.assertContains(response, "依法查处农作物品种侵权行为")
        self.assertNotContains(response, "加强对知识产权侵权案件的会商和衔接配合")
        self.assertEqual(response.context["total"], 2)

    def test_joint_filter_and_search(self):
        url = reverse("duties:catalogue")
        response = self.get_as(self.office, url, data={"joint": "1"})
        self.assertEqual(response.context["total"], 7)
        response = self.get_as(self.office, url, data={"q": "地理标志"})
        self.assertEqual(response.context["total"], 1)


class PositionChangeTests(PortalTestCase):
    def test_changing_the_holder_keeps_the_old_one_in_history(self):
        position = Position.objects.get(kind=Position.Kind.LEADER)
        newcomer = Person.objects.create(name="新任副区长")
        url = reverse("members:position_assign", args=[position.pk])
        response = self.post_as(
            self.office,
            url,
            {"person": newcomer.pk, "start_on": "2026-03-01", "note": "区政府任免"},
        )
        self.assertRedirects(
            response, reverse("members:position_history", args=[position.pk])
        )
        old = Membership.objects.get(position=position, person__name="王建华")
        self.assertEqual(old.end_on, date(2026, 2, 28))
        self.assertEqual(position.holder_on(date(2025, 1, 1)).name, "王建华")
        self.assertEqual(position.holder_on(date(2026, 3, 2)).name, "新任副区长")
        history = self.get_as(
            self.liaison_a, reverse("members:position_history", args=[position.pk])
        )
        self.assertContains(history, "王建华")
        self.assertContains(history, "2026-02-28")
        self.assertContains(history, "新任副区长")

    def test_start_before_current_term_is_refused_in_chinese(self):
        position = Position.objects.get(kind=Position.Kind.LEADER)
        newcomer = Person.objects.create(name="某人")
        response = self.post_as(
            self.office,
            reverse("members:position_assign", args=[position.pk]),
            {"person": newcomer.pk, "start_on": "2022-09-22"},
        )
        self.assertContains(response, "新任职日期必须晚于现任")
        self.assertEqual(Membership.objects.filter(person=newcomer).count(), 0)

    def test_only_office_may_change_holders(self):
        position = Position.objects.get(kind=Position.Kind.LEADER)
        url = reverse("members:position_assign", args=[position.pk])
        for user in [self.leader, self.liaison_a, self.head_a]:
            with self.subTest(user=user.username):
                self.assertEqual(self.get_as(user, url).status_code, 403)
        self.assertLoginRedirect(self.get_as(None, url))


class HomePageTests(PortalTestCase):
    def test_each_role_gets_its_home(self):
        cases = [
            (self.office, "members/home_office.html"),
            (self.leader, "members/home_leader.html"),
            (self.liaison_a, "members/home_unit.html"),
            (self.head_a, "members/home_unit.html"),
            (self.nobody, "members/home_other.html"),
        ]
        for user, template in cases:
            with self.subTest(user=user.username):
                self.assertTemplateUsed(self.get_as(user, "/"), template)

    def test_unit_home_shows_own_duties_only(self):
        response = self.get_as(self.liaison_a, "/")
        self.assertContains(response, "知识产权规范性法律文件起草和审查工作")
        self.assertNotContains(response, "统筹安排区级财政资金支持知识产权工作")


class PositionCandidatesTests(PortalTestCase):
    """The office picks a member unit's new 成员 among that unit's people, each
    shown with unit and title."""

    def setUp(self) -> None:
        self.position = Position.objects.get(
            kind=Position.Kind.MEMBER, unit=self.unit_a
        )
        self.url = reverse("members:position_assign", args=[self.position.pk])
        self.own = Person.objects.create(
            name="新任分管领导", unit=self.unit_a, job_title="副局长"
        )
        self.other = Person.objects.create(name="外单位人员", unit=self.unit_b)

    def test_only_the_units_people_with_unit_and_title(self) -> None:
        response = self.get_as(self.office, self.url)
        self.assertContains(response, f"新任分管领导 · {self.unit_a.name} · 副局长")
        self.assertNotContains(response, "外单位人员")

    def test_a_title_that_repeats_the_unit_is_left_out(self) -> None:
        head = Person.objects.create(
            name="本局局长", unit=self.unit_a, job_title=f"{self.unit_a.name}局长"
        )
        response = self.get_as(self.office, self.url)
        self.assertContains(response, f">本局局长 · {self.unit_a.name}<")
        self.assertEqual(head.choice_label, f"本局局长 · {self.unit_a.name}")

    def test_another_units_person_is_refused(self) -> None:
        response = self.post_as(
            self.office, self.url, {"person": self.other.pk, "start_on": "2026-03-01"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(
            Membership.objects.filter(
                position=self.position, person=self.other
            ).exists()
        )

    def test_leader_posts_still_list_everyone(self) -> None:
        leader = Position.objects.get(kind=Position.Kind.LEADER)
        response = self.get_as(
            self.office, reverse("members:position_assign", args=[leader.pk])
        )
        self.assertContains(response, "外单位人员")
        self.assertContains(response, "新任分管领导")


class FiguresLinkTests(PortalTestCase):
    def test_group_duty_counts_open_the_units_clauses(self) -> None:
        response = self.get_as(self.leader, reverse("members:group"))
        catalogue = reverse("duties:catalogue")
        self.assertContains(
            response,
            f'<a href="{catalogue}?unit={self.unit_a.code}" data-figure="duties">3</a>',
        )
        # 区市场监管局 has one joint clause: the badge lists it.
        self.assertContains(response, f'href="{catalogue}?unit=scjgj&amp;joint=1"')

    def test_home_unit_count_opens_the_group(self) -> None:
        for user in (self.office, self.leader):
            response = self.get_as(user, reverse("home"))
            self.assertContains(
                response, f'href="{reverse("members:group")}" id="roster-units"'
            )


class PositionHistoryTests(PortalTestCase):
    def test_breadcrumb_leads_back_to_the_group_and_the_unit(self) -> None:
        position = Position.objects.get(kind=Position.Kind.MEMBER, unit=self.unit_a)
        response = self.get_as(
            self.leader, reverse("members:position_history", args=[position.pk])
        )
        self.assertContains(
            response,
            f'<li class="breadcrumb-item"><a href="{reverse("members:group")}">',
        )
        self.assertContains(
            response,
            f'<a href="{self.unit_a.get_absolute_url()}">{self.unit_a.name}</a></li>',
        )
