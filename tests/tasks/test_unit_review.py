"""What a unit liaison trips over in everyday task work (browser review of
2026-12): forms that start from someone else's figures, refusals only learnt
after typing, and input lost on an error."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tasks import extensions, plans, services
from tasks.models import Evidence, ProgressReport, Task
from tests.base import PortalTestCase

from .factories import make_task, pdf

MEDIA = tempfile.mkdtemp(prefix="jinwei-unit-review-")


def tearDownModule():
    shutil.rmtree(MEDIA, ignore_errors=True)


@override_settings(MEDIA_ROOT=MEDIA)
class ReportFormStartTests(PortalTestCase):
    def setUp(self):
        self.task = make_task(by=self.office, lead=self.unit_a, co=[self.unit_b])
        services.task_sign(task=self.task, by=self.liaison_a)
        services.progress_report_file(
            task=Task.objects.get(pk=self.task.pk),
            by=self.liaison_a,
            text="牵头部分已完成",
            percent=100,
        )
        self.url = reverse("tasks:report", args=[self.task.pk])

    def percent_field(self, response) -> str:
        return response.context["form"]["percent"].value()

    def test_a_co_unit_starts_from_its_own_figure_not_the_leads(self):
        page = self.get_as(self.liaison_b, self.url)
        self.assertEqual(self.percent_field(page), 0)
        self.assertNotContains(page, 'value="100"')
        services.progress_report_file(
            task=Task.objects.get(pk=self.task.pk),
            by=self.liaison_b,
            text="配合部分过半",
            percent=60,
        )
        page = self.get_as(self.liaison_b, self.url)
        self.assertEqual(self.percent_field(page), 60)

    def test_the_lead_starts_from_the_tasks_progress(self):
        page = self.get_as(self.liaison_a, self.url)
        self.assertEqual(self.percent_field(page), 100)


class ClosureWaitingTests(PortalTestCase):
    """The lead learns that a co-unit still has to report before it writes its
    closure note, not from a refusal that throws the note away."""

    def setUp(self):
        self.task = make_task(by=self.office, lead=self.unit_a, co=[self.unit_b])
        services.task_sign(task=self.task, by=self.liaison_a)
        services.progress_report_file(
            task=Task.objects.get(pk=self.task.pk),
            by=self.liaison_a,
            text="全部完成",
            percent=100,
        )
        self.closure = reverse("tasks:closure", args=[self.task.pk])

    def test_the_closure_form_waits_for_the_co_units_report(self):
        page = self.get_as(self.liaison_a, self.task.get_absolute_url())
        self.assertNotContains(page, self.closure)
        self.assertContains(
            page,
            f"配合单位 {self.unit_b.name} 尚未报送配合进展：报送后"
            "（或经办公室确认免报后）可申请销号。",
        )
        services.progress_report_file(
            task=Task.objects.get(pk=self.task.pk),
            by=self.liaison_b,
            text="配合部分完成",
            percent=100,
        )
        page = self.get_as(self.liaison_a, self.task.get_absolute_url())
        self.assertContains(page, self.closure)
        self.assertNotContains(page, "尚未报送配合进展：")

    def test_a_waived_co_unit_does_not_hold_closure_back(self):
        services.co_unit_waive(task=self.task, unit=self.unit_b, by=self.office)
        page = self.get_as(self.liaison_a, self.task.get_absolute_url())
        self.assertContains(page, self.closure)
        self.assertNotContains(page, "尚未报送配合进展：")

    def test_the_service_still_refuses(self):
        response = self.post_as(self.liaison_a, self.closure, follow=True)
        self.assertContains(response, "尚未报送配合进展，暂不能申请销号")
        self.task.refresh_from_db()
        self.assertEqual(self.task.status, Task.Status.IN_PROGRESS)


class ExtensionFormTests(PortalTestCase):
    def setUp(self):
        self.task = make_task(by=self.office, lead=self.unit_a)
        services.task_sign(task=self.task, by=self.liaison_a)
        self.url = reverse("tasks:extension", args=[self.task.pk])

    def test_a_date_too_far_and_no_reason_are_said_at_once(self):
        latest = extensions.extension_latest(self.task.due_on)
        far = latest.replace(year=latest.year + 1)
        response = self.post_as(
            self.liaison_a, self.url, {"new_due_on": far.isoformat(), "reason": ""}
        )
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertIn("一次延期最长一年", " ".join(form.errors["new_due_on"]))
        self.assertIn("reason", form.errors)
        self.assertContains(response, f"不能晚于 {latest.isoformat()}")
        self.assertFalse(self.task.extensions.exists())

    def test_a_date_not_after_the_deadline_is_said_with_the_field(self):
        response = self.post_as(
            self.liaison_a,
            self.url,
            {"new_due_on": self.task.due_on.isoformat(), "reason": ""},
        )
        form = response.context["form"]
        self.assertEqual(
            form.errors["new_due_on"],
            [f"申请延至的日期必须晚于现行时限 {self.task.due_on.isoformat()}。"],
        )
        self.assertIn("reason", form.errors)

    def test_the_form_and_the_service_refuse_the_same_dates_alike(self):
        from django.core.exceptions import ValidationError

        from tasks.forms import ExtensionRequestForm

        due = self.task.due_on
        latest = extensions.extension_latest(due)
        for new in (due, latest + timedelta(days=1)):
            form = ExtensionRequestForm(
                {"new_due_on": new.isoformat(), "reason": "场地协调"}, task=self.task
            )
            self.assertFalse(form.is_valid(), new)
            with self.assertRaises(ValidationError) as refused:
                extensions.extension_request(
                    task=Task.objects.get(pk=self.task.pk),
                    by=self.liaison_a,
                    reason="场地协调",
                    new_due_on=new,
                )
            self.assertEqual(
                form.errors["new_due_on"],
                refused.exception.message_dict["new_due_on"],
                new,
            )
        self.assertFalse(self.task.extensions.exists())


@override_settings(MEDIA_ROOT=MEDIA)
class EvidenceErrorTests(PortalTestCase):
    """A report sent back with an error has lost its chosen files; the page
    says so and names every refused file."""

    def setUp(self):
        self.task = make_task(by=self.office, lead=self.unit_a)
        services.task_sign(task=self.task, by=self.liaison_a)
        self.url = reverse("tasks:report", args=[self.task.pk])

    def post(self, percent, files):
        return self.post_as(
            self.liaison_a,
            self.url,
            {"text": "活动已开展", "percent": percent, "files": files},
        )

    def test_good_files_with_another_error_must_be_chosen_again(self):
        response = self.post(150, [pdf("签到表.pdf"), pdf("照片.pdf")])
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertIn("percent", form.errors)
        self.assertEqual(
            form.errors["files"],
            ["所选的 2 个文件均未上传：请改正后重新选择文件。"],
        )
        self.assertContains(response, "活动已开展")
        self.assertFalse(ProgressReport.objects.exists())

    def test_every_refused_file_is_named(self):
        exe = SimpleUploadedFile("工具.exe", b"MZ\x90\x00")
        fake = SimpleUploadedFile("简报.pdf", b"<html></html>")
        response = self.post(30, [pdf("签到表.pdf"), exe, fake])
        errors = response.context["form"].errors["files"]
        self.assertTrue(any("工具.exe" in e for e in errors))
        self.assertTrue(any("简报.pdf" in e for e in errors))
        self.assertIn("所选的 3 个文件均未上传：请改正后重新选择文件。", errors)
        self.assertFalse(Evidence.objects.exists())

    def test_too_many_files_says_how_many_were_chosen(self):
        response = self.post(30, [pdf(f"照片{i}.pdf") for i in range(6)])
        self.assertIn(
            "选择了 6 个文件，每次最多上传 5 个。",
            response.context["form"].errors["files"],
        )

    def test_a_good_report_keeps_its_files(self):
        response = self.post(30, [pdf("签到表.pdf")])
        self.assertRedirects(response, self.task.get_absolute_url())
        self.assertEqual(Evidence.objects.get().original_name, "签到表.pdf")


class PlanOrderTests(PortalTestCase):
    def test_the_plan_lists_its_items_in_number_order(self):
        from .factories import work_plan

        plan = work_plan(self.office, year=2031)
        for n in range(1, 12):
            make_task(by=self.office, lead=self.unit_a, plan=plan, title=f"任务{n}")
        page = self.get_as(self.office, plan.get_absolute_url())
        codes = [t.code for t in page.context["tasks"]]
        self.assertEqual(codes, [f"2031-计划-{n}" for n in range(1, 12)])
        html = page.content.decode()
        self.assertLess(html.index("2031-计划-2<"), html.index("2031-计划-10<"))


class TemplateExampleRowTests(PortalTestCase):
    """The office fills the downloaded template below its example row and forgets
    to delete it: the example is not assigned as a task."""

    def test_the_example_left_in_is_not_imported(self):
        from io import BytesIO

        from openpyxl import load_workbook

        from .factories import work_plan

        plan = work_plan(self.office, year=2027)
        template = self.get_as(self.office, reverse("tasks:plan_import_template"))
        book = load_workbook(BytesIO(template.content))
        book.active.append(
            [1, "开展知识产权进企业服务", self.unit_a.name, "", "2027-06-30", ""]
        )
        data = BytesIO()
        book.save(data)
        url = reverse("tasks:plan_import", args=[plan.pk])
        preview = self.post_as(
            self.office,
            url,
            {"file": SimpleUploadedFile("计划.xlsx", data.getvalue())},
        )
        self.assertContains(preview, "第2行是模板的示例行（序号为“示例”），不会导入。")
        self.assertContains(preview, "预览：共 1 项任务")
        self.client.post(reverse("tasks:plan_import_confirm", args=[plan.pk]))
        self.assertEqual(
            list(plan.tasks.values_list("title", flat=True)), ["开展知识产权进企业服务"]
        )


class LedgerDueRangeTests(PortalTestCase):
    def test_a_swapped_due_range_is_said_not_an_empty_list(self):
        make_task(by=self.office, lead=self.unit_a)
        page = self.get_as(
            self.office,
            reverse("tasks:list") + "?due_from=2027-01-01&due_to=2026-01-01",
        )
        self.assertContains(
            page, "时限至：2026-01-01 早于“时限自”2027-01-01，请调换或改正。"
        )
        page = self.get_as(
            self.office,
            reverse("tasks:list") + "?due_from=2026-01-01&due_to=2026-01-01",
        )
        self.assertNotContains(page, "早于“时限自”")


class PendingExtensionNoteTests(PortalTestCase):
    def test_the_lead_is_told_its_request_waits_where_the_button_was(self):
        task = make_task(by=self.office, lead=self.unit_a)
        services.task_sign(task=task, by=self.liaison_a)
        extension_url = reverse("tasks:extension", args=[task.pk])
        page = self.get_as(self.liaison_a, task.get_absolute_url())
        self.assertContains(page, extension_url)
        new = task.due_on + timedelta(days=30)
        extensions.extension_request(
            task=Task.objects.get(pk=task.pk),
            by=self.liaison_a,
            reason="场地协调",
            new_due_on=new,
        )
        page = self.get_as(self.liaison_a, task.get_absolute_url())
        self.assertNotContains(page, extension_url)
        self.assertContains(
            page,
            f"延期申请（申请延至 {new.isoformat()}）待审批</a>，审批前不能再次申请延期。",
        )
        # the approver sees the decision button, not the lead's note
        page = self.get_as(self.office, task.get_absolute_url())
        self.assertNotContains(page, "审批前不能再次申请延期")
        self.assertContains(page, "审批延期申请（申请延至")


class PlanCodeTests(PortalTestCase):
    def test_a_task_assigned_after_an_import_takes_the_next_free_number(self):
        from .factories import work_plan

        plan = work_plan(self.office, year=2032)
        plans.work_plan_import(
            plan=plan,
            rows=[
                {
                    "row": i,
                    "seq": str(seq),
                    "title": f"导入任务{seq}",
                    "description": f"导入任务{seq}",
                    "lead": self.unit_a.pk,
                    "lead_name": self.unit_a.name,
                    "co_units": [],
                    "co_names": [],
                    "due": "2032-06-30",
                    "duties": [],
                }
                for i, seq in enumerate((1, 2, 3), start=2)
            ],
            by=self.office,
        )
        task = make_task(by=self.office, lead=self.unit_a, plan=plan, title="手工")
        self.assertEqual(task.code, "2032-计划-4")
        plans.work_plan_import(
            plan=plan,
            rows=[
                {
                    "row": 2,
                    "seq": "6",
                    "title": "导入任务6",
                    "description": "导入任务6",
                    "lead": self.unit_a.pk,
                    "lead_name": self.unit_a.name,
                    "co_units": [],
                    "co_names": [],
                    "due": "2032-06-30",
                    "duties": [],
                }
            ],
            by=self.office,
        )
        # five tasks: 计划-6 is taken by the import, so the next is 计划-7
        # (not 计划-6-2)
        task = make_task(by=self.office, lead=self.unit_a, plan=plan, title="手工2")
        self.assertEqual(task.code, "2032-计划-7")


class ImportPastDeadlineTests(PortalTestCase):
    def test_the_preview_warns_of_rows_already_overdue(self):
        from django.utils import timezone

        from .factories import work_plan, xlsx_bytes

        today = timezone.localdate()
        past = (today - timedelta(days=1)).isoformat()
        future = (today + timedelta(days=30)).isoformat()
        plan = work_plan(self.office, year=today.year)
        data = xlsx_bytes(
            [
                [1, "已过时限的任务", self.unit_a.name, "", past, ""],
                [2, "未到时限的任务", self.unit_a.name, "", future, ""],
            ]
        )
        preview = self.post_as(
            self.office,
            reverse("tasks:plan_import", args=[plan.pk]),
            {"file": SimpleUploadedFile("计划.xlsx", data)},
        )
        self.assertContains(preview, "有 1 项任务的完成时限已过：")
        self.assertContains(
            preview, f"第2行“已过时限的任务”：完成时限 {past} 已过，导入后即为逾期"
        )
        self.assertNotContains(preview, "第3行“未到时限的任务”：完成时限")
        # a warning, not a refusal: the office may still import
        self.client.post(reverse("tasks:plan_import_confirm", args=[plan.pk]))
        self.assertEqual(plan.tasks.count(), 2)


class ImportDutyCodeErrorTests(PortalTestCase):
    def test_a_wrong_clause_number_lists_the_units_clauses(self):
        from duties.models import DutyClause
        from tasks.importer import parse_work_plan

        from .factories import xlsx_bytes

        unit = DutyClause.objects.select_related("unit").first().unit
        codes = [
            f"{unit.code.upper()}-{n}"
            for n in DutyClause.objects.filter(unit=unit)
            .order_by("number")
            .values_list("number", flat=True)
        ]
        wrong = f"{unit.code.upper()}-99"
        result = parse_work_plan(
            xlsx_bytes(
                [
                    [1, "任务甲", unit.name, "", "2030-06-30", wrong],
                    [2, "任务乙", unit.name, "", "2030-06-30", "QXJ-1"],
                ]
            ),
            2030,
        )
        self.assertEqual(
            result.errors,
            [
                f"第2行“依据职责”：无法识别的职责条款“{wrong}”"
                f"（该单位的条款为 {'、'.join(codes)}）",
                "第3行“依据职责”：无法识别的职责条款“QXJ-1”（没有编号为 QXJ 的单位）",
            ],
        )


class HomeAcknowledgeTests(PortalTestCase):
    def test_the_co_units_home_lists_parts_to_acknowledge(self):
        task = make_task(
            by=self.office, lead=self.unit_a, co=[self.unit_b], title="联合宣传活动"
        )
        home = self.get_as(self.liaison_b, "/")
        self.assertContains(home, "配合任务待确认收到")
        self.assertContains(home, f"{task.code} 联合宣传活动")
        inbox_figure = '<span class="num">1</span><span class="label">待签收</span>'
        self.assertContains(home, inbox_figure)
        self.post_as(self.liaison_b, reverse("tasks:sign", args=[task.pk]))
        home = self.get_as(self.liaison_b, "/")
        self.assertNotContains(home, "配合任务待确认收到")
        self.assertContains(
            home, '<span class="num">0</span><span class="label">待签收</span>'
        )
        # the lead's home lists it to sign, not to acknowledge
        home = self.get_as(self.liaison_a, "/")
        self.assertNotContains(home, "配合任务待确认收到")
        self.assertContains(home, inbox_figure)

    def test_the_parts_to_acknowledge_cost_the_home_no_query_of_their_own(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        make_task(by=self.office, lead=self.unit_a, co=[self.unit_b])
        self.get_as(self.liaison_b, "/")  # warm the session
        with CaptureQueriesContext(connection) as queries:
            home = self.get_as(self.liaison_b, "/")
        self.assertContains(home, "配合任务待确认收到")
        # asked within the inbox's one task query, not by reading the unit's
        # co-unit links (every closed task's included) on every home page
        self.assertEqual(
            [q["sql"] for q in queries if q["sql"].startswith('SELECT "tasks_counit"')],
            [],
        )


class UnitExcelCaptionTests(PortalTestCase):
    def test_a_units_excel_ledger_says_whose_tasks_it_holds(self):
        from io import BytesIO

        from openpyxl import load_workbook

        make_task(by=self.office, lead=self.unit_a)

        def caption(user) -> str:
            response = self.get_as(user, reverse("tasks:export"))
            return load_workbook(BytesIO(response.content)).active["A1"].value

        self.assertTrue(
            caption(self.liaison_a).startswith(f"{self.unit_a.name}承办的督办任务　")
        )
        self.assertTrue(
            caption(self.office).startswith("金台区知识产权工作协调领导小组督办台账")
        )


class OverdueExtensionTests(PortalTestCase):
    """An overdue task asks to be moved to a date that is still past: once
    approved it would stay red, and nobody would notice until the next reminder."""

    def test_an_extension_to_a_past_date_is_refused(self):
        from django.core.exceptions import ValidationError
        from django.utils import timezone

        today = timezone.localdate()
        task = make_task(by=self.office, lead=self.unit_a)
        Task.objects.filter(pk=task.pk).update(
            due_on=today - timedelta(days=20),
            original_due_on=today - timedelta(days=20),
        )
        services.task_sign(task=Task.objects.get(pk=task.pk), by=self.liaison_a)
        past = today - timedelta(days=5)
        response = self.post_as(
            self.liaison_a,
            reverse("tasks:extension", args=[task.pk]),
            {"new_due_on": past.isoformat(), "reason": "等待材料"},
        )
        self.assertEqual(
            response.context["form"].errors["new_due_on"],
            [f"申请延至的日期 {past} 已过，请填写今天（{today}）或以后的日期。"],
        )
        with self.assertRaises(ValidationError):
            extensions.extension_request(
                task=Task.objects.get(pk=task.pk),
                by=self.liaison_a,
                reason="等待材料",
                new_due_on=past,
            )
        self.assertFalse(task.extensions.exists())
        response = self.post_as(
            self.liaison_a,
            reverse("tasks:extension", args=[task.pk]),
            {"new_due_on": today.isoformat(), "reason": "等待材料"},
        )
        self.assertRedirects(response, task.get_absolute_url())


@override_settings(MEDIA_ROOT=MEDIA)
class ReportEditPageTests(PortalTestCase):
    def test_the_edit_page_says_which_report_and_where_evidence_goes(self):
        task = make_task(by=self.office, lead=self.unit_a)
        services.task_sign(task=task, by=self.liaison_a)
        report = services.progress_report_file(
            task=Task.objects.get(pk=task.pk),
            by=self.liaison_a,
            text="首场活动完成",
            percent=30,
            files=[pdf("签到表.pdf")],
        )
        page = self.get_as(
            self.liaison_a, reverse("tasks:report_edit", args=[report.pk])
        )
        self.assertContains(page, f"{self.unit_a.name} {self.liaison_a} 于 ")
        self.assertContains(page, "佐证材料：签到表.pdf。")
        self.assertContains(
            page, "佐证材料不能在此修改；如需补充材料，请另行报送一次进展。"
        )


class LedgerPartlyWrongFilterTests(PortalTestCase):
    def test_the_valid_conditions_still_apply(self):
        from io import BytesIO

        from openpyxl import load_workbook

        mine = make_task(by=self.office, lead=self.unit_a, title="甲单位任务")
        other = make_task(by=self.office, lead=self.unit_b, title="乙单位任务")
        closed = make_task(by=self.office, lead=self.unit_a, title="甲单位已销号任务")
        Task.objects.filter(pk=closed.pk).update(status=Task.Status.CLOSED)
        query = f"?unit={self.unit_a.code}&status=open&light=purple"
        page = self.get_as(self.office, reverse("tasks:list") + query)
        self.assertContains(page, "灯：选择一个有效的选项。")
        codes = {t.code for t in page.context["tasks"]}
        self.assertEqual(codes, {mine.code})
        self.assertNotIn(other.code, codes)
        sheet = load_workbook(
            BytesIO(self.get_as(self.office, reverse("tasks:export") + query).content)
        ).active
        self.assertIn("（有误未应用：灯）", sheet["A1"].value)
        self.assertIn(f"单位：{self.unit_a.name}", sheet["A1"].value)
        self.assertEqual(
            [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)],
            [mine.code],
        )
