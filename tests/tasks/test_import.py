"""Work-plan import: preview first, all or nothing, Chinese row/column errors, and
files that must never be opened (zip bombs, non-xlsx, formulas)."""

from __future__ import annotations

import zipfile
from datetime import date
from io import BytesIO
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duties.models import DutyClause
from jinwei_ip.lib.xlsx import UnsafeWorkbook, check_xlsx
from members.models import Unit
from notices.models import Notification
from tasks import plans, services
from tasks.importer import parse_due, parse_work_plan
from tasks.models import (
    CoUnit,
    Task,
    TaskEvent,
    TaskGroupObjectPermission,
    TaskUserObjectPermission,
)
from tests.base import PortalTestCase

from .factories import make_task, work_plan, xlsx_bytes

GOOD_ROWS = [
    [
        1,
        "开展知识产权宣传周活动",
        "区委宣传部",
        "区市场监管局、区教育局",
        "2026-04-30",
        "",
    ],
    [
        2,
        "组织联合执法行动（区市场监管局、市公安局金台分局负责）",
        "",
        "",
        "2026年9月底",
        "SCJGJ-4",
    ],
    [3, "落实知识产权资助资金", "金台区财政局", "", "长期坚持", ""],
]


class ParseTests(PortalTestCase):
    def test_good_file_parses_aliases_and_brackets(self):
        result = parse_work_plan(xlsx_bytes(GOOD_ROWS), 2026)
        self.assertEqual(result.errors, [])
        first, second, third = result.rows
        self.assertEqual(first["lead_name"], "区委宣传部")
        self.assertEqual(first["co_names"], ["区市场监管局", "区教体局"])  # alias
        self.assertEqual(second["lead_name"], "区市场监管局")
        self.assertEqual(second["co_names"], ["市公安局金台分局"])
        self.assertEqual(second["description"], "组织联合执法行动")
        self.assertEqual(second["due"], "2026-09-30")
        self.assertEqual(len(second["duties"]), 1)
        self.assertEqual(third["lead_name"], "区财政局")
        self.assertEqual(third["due"], "2026-12-31")

    def test_dates(self):
        from datetime import date

        self.assertEqual(parse_due("2026/6/1", 2026), date(2026, 6, 1))
        self.assertEqual(parse_due("2026年2月", 2026), date(2026, 2, 28))
        self.assertEqual(parse_due("6月底", 2026), date(2026, 6, 30))
        self.assertIsNone(parse_due("尽快", 2026))
        self.assertIsNone(parse_due("2026-02-30", 2026))

    def errors_for(self, data: bytes) -> list[str]:
        result = parse_work_plan(data, 2026)
        self.assertFalse(result.ok)
        return result.errors

    def test_wrong_headers(self):
        errors = self.errors_for(
            xlsx_bytes(
                [GOOD_ROWS[0]], header=["编号", "项目名称", "牵头", "配合", "日期"]
            )
        )
        self.assertEqual(len(errors), 1)
        self.assertIn("表头不符合模板（缺少列：工作任务、完成时限）", errors[0])
        # the accepted names are listed
        self.assertIn("工作任务：工作任务、任务、重点任务", errors[0])

    def test_unknown_unit_names_row_and_column(self):
        errors = self.errors_for(
            xlsx_bytes(
                [
                    GOOD_ROWS[0],
                    GOOD_ROWS[1],
                    [3, "气象服务", "区气象局", "", "2026-05-01", ""],
                ]
            )
        )
        self.assertEqual(errors, ["第4行“牵头单位”：无法识别的单位“区气象局”"])

    def test_empty_cells_and_empty_file(self):
        errors = self.errors_for(xlsx_bytes([[1, "", "区委宣传部", "", "", ""]]))
        self.assertIn("第2行“工作任务”：不能为空", errors)
        self.assertIn("第2行“完成时限”：不能为空", errors)
        errors = self.errors_for(xlsx_bytes([]))
        self.assertIn("没有任务行", errors[0])
        # fully blank lines between rows are skipped, not errors
        result = parse_work_plan(
            xlsx_bytes([GOOD_ROWS[0], [None] * 6, GOOD_ROWS[2]]), 2026
        )
        self.assertEqual(result.errors, [])
        self.assertEqual([r["row"] for r in result.rows], [2, 4])

    def test_duplicate_rows(self):
        errors = self.errors_for(xlsx_bytes([GOOD_ROWS[0], [9, *GOOD_ROWS[0][1:]]]))
        self.assertEqual(
            errors, ["第3行“工作任务”：与第2行重复（同一工作任务、同一牵头单位）。"]
        )

    def test_formula_cell(self):
        errors = self.errors_for(
            xlsx_bytes(
                [
                    [
                        1,
                        '=HYPERLINK("http://evil","点我")',
                        "区委宣传部",
                        "",
                        "2026-05-01",
                        "",
                    ]
                ]
            )
        )
        self.assertEqual(len(errors), 1)
        self.assertIn("第2行“工作任务”：单元格以“=”开头，会被当作公式", errors[0])

    def test_zip_bomb(self):
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.xml", "<workbook/>")
            z.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
        data = buffer.getvalue()
        self.assertLess(len(data), 200 * 1024)
        with self.assertRaises(UnsafeWorkbook):
            check_xlsx(data)
        errors = self.errors_for(data)
        self.assertIn("解压后过大", errors[0])
        # under the total limit but absurdly compressed: refused as well
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.xml", "<workbook/>")
            z.writestr("xl/sharedStrings.xml", b"A" * (20 * 1024 * 1024))
        self.assertIn("压缩比异常", self.errors_for(buffer.getvalue())[0])

    def test_not_an_xlsx(self):
        self.assertIn("不是 Excel 工作簿", self.errors_for(b"%PDF-1.4 hello")[0])
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("readme.txt", "hi")
        self.assertIn("不是 Excel 工作簿", self.errors_for(buffer.getvalue())[0])

    def test_defusedxml_is_used(self):
        from openpyxl.xml import DEFUSEDXML

        self.assertTrue(DEFUSEDXML)


class ImportPageTests(PortalTestCase):
    def setUp(self):
        self.plan = work_plan(self.office)
        self.url = reverse("tasks:plan_import", args=[self.plan.pk])
        self.confirm = reverse("tasks:plan_import_confirm", args=[self.plan.pk])

    def upload(self, data: bytes, name: str = "计划.xlsx"):
        return self.post_as(
            self.office, self.url, {"file": SimpleUploadedFile(name, data)}
        )

    def test_preview_then_confirm_writes_everything(self):
        response = self.upload(xlsx_bytes(GOOD_ROWS))
        self.assertContains(response, "预览：共 3 项任务")
        self.assertContains(response, "市公安局金台分局")
        self.assertFalse(Task.objects.exists())  # preview writes nothing
        response = self.client.post(self.confirm)
        self.assertRedirects(response, self.plan.get_absolute_url())
        tasks = Task.objects.filter(plan=self.plan).order_by("code")
        self.assertEqual(tasks.count(), 3)
        second = Task.objects.get(code="2026-计划-2")
        self.assertEqual(second.lead_unit.code, "scjgj")
        self.assertEqual([u.code for u in second.co_units.all()], ["gaj"])
        from members.models import User

        police = User.objects.filter(unit__code="gaj").first()
        if police is not None:
            self.assertTrue(police.has_perm("tasks.report_task", second))
        # the session is consumed: a second confirm writes nothing
        self.client.post(self.confirm)
        self.assertEqual(Task.objects.count(), 3)

    def test_the_same_file_again_is_flagged_before_it_is_confirmed(self):
        self.upload(xlsx_bytes(GOOD_ROWS))
        self.client.post(self.confirm)
        self.assertEqual(Task.objects.filter(plan=self.plan).count(), 3)
        response = self.upload(xlsx_bytes(GOOD_ROWS))
        self.assertContains(response, "有 3 项任务本计划中已有，确认导入将重复交办")
        self.assertContains(
            response, "第2行“开展知识产权宣传周活动”：本计划已有同名任务 2026-计划-1"
        )
        self.assertContains(response, "仍然导入")
        # the office may still go ahead: it is a warning, not a refusal
        self.client.post(self.confirm)
        self.assertEqual(Task.objects.filter(plan=self.plan).count(), 6)

    def test_the_template_is_a_file_the_importer_reads(self):
        response = self.get_as(self.office, reverse("tasks:plan_import_template"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        # as downloaded: its one row is the example, which is never imported
        result = parse_work_plan(response.content, 2026)
        self.assertEqual(result.rows, [])
        self.assertEqual(result.examples, [2])
        self.assertEqual(
            result.errors,
            [
                "文件中只有模板的示例行（序号为“示例”）：请在其下方填写任务，"
                "或改写示例行并填入序号后再导入。"
            ],
        )
        # the example itself is a row the importer reads once it is numbered
        from openpyxl import load_workbook

        book = load_workbook(BytesIO(response.content))
        self.assertEqual(book.active["A2"].value, "示例")
        book.active["A2"] = 1
        numbered = BytesIO()
        book.save(numbered)
        result = parse_work_plan(numbered.getvalue(), 2026)
        self.assertEqual(result.errors, [])
        (row,) = result.rows
        self.assertEqual(row["lead_name"], "区市场监管局")
        self.assertEqual(row["co_names"], ["区委宣传部"])
        self.assertEqual(row["due"], "2026-04-30")
        page = self.get_as(
            self.office, reverse("tasks:plan_import", args=[self.plan.pk])
        )
        self.assertContains(page, reverse("tasks:plan_import_template"))
        for user in (self.liaison_a, self.leader):
            self.assertEqual(
                self.get_as(user, reverse("tasks:plan_import_template")).status_code,
                403,
            )

    # many uploads in a row; the import's own limit is tested in tests/ops
    @override_settings(RATELIMIT_ENABLE=False)
    def test_bad_files_write_nothing(self):
        bad = {
            "wrong headers": xlsx_bytes([GOOD_ROWS[0]], header=["a", "b"]),
            "unknown unit": xlsx_bytes([[1, "x", "区气象局", "", "2026-01-01", ""]]),
            "formula": xlsx_bytes([[1, "=1+1", "区委宣传部", "", "2026-01-01", ""]]),
            "not xlsx": b"just text",
        }
        for label, data in bad.items():
            with self.subTest(label):
                response = self.upload(data)
                self.assertContains(response, "未导入任何数据")
                self.assertNotContains(response, "确认导入")
                self.client.post(self.confirm)
                self.assertFalse(Task.objects.exists())
        response = self.upload(b"x", name="plan.xls")
        self.assertContains(response, "只接受 Excel 工作簿（.xlsx）或 CSV 文件")
        # a CSV is read, and refused for what it holds
        response = self.upload(b"x", name="plan.csv")
        self.assertContains(response, "前 30 行中找不到表头")
        with self.settings(IMPORT_MAX_BYTES=100):
            response = self.upload(xlsx_bytes(GOOD_ROWS))
        self.assertContains(response, "大小限制")
        with self.settings(IMPORT_MAX_ROWS=2):
            response = self.upload(xlsx_bytes(GOOD_ROWS))
        self.assertContains(response, "超过 2 行的限制")
        self.assertFalse(Task.objects.exists())

    def test_only_office(self):
        self.assertEqual(self.get_as(self.leader, self.url).status_code, 403)
        # a unit may not see work plans at all (as on the plan's page): 404
        self.assertEqual(self.get_as(self.liaison_a, self.url).status_code, 404)
        self.assertEqual(self.post_as(self.liaison_a, self.confirm).status_code, 404)
        self.assertEqual(self.post_as(self.leader, self.confirm).status_code, 403)
        self.assertEqual(self.get_as(self.office, self.url).status_code, 200)
        self.assertEqual(self.get_as(self.office, self.confirm).status_code, 405)


def assign_other(plan, *, code: str) -> Task:
    """A task someone else assigns to ``plan`` while an import runs."""
    unit = Unit.objects.get(name="区财政局")
    return services.task_assign(
        plan=plan,
        lead=unit,
        due=date(2026, 8, 31),
        title="他人交办的任务",
        description="",
        by=plan.created_by,
        code=code,
        notify_units=False,
    )


class BulkImportTests(PortalTestCase):
    """work_plan_import writes, in a few bulk statements, what one task_assign per
    row would write, and re-checks units at confirmation."""

    LINES = [
        [
            1,
            "开展知识产权法治宣传",
            "区司法局",
            "区财政局、区市场监管局",
            "2026-06-30",
            "SFJ-1、CZJ-1",
        ],
        [2, "落实知识产权资助资金", "区财政局", "", "长期坚持", ""],
        [
            "",
            "组织联合执法行动（区市场监管局、区司法局负责）",
            "",
            "",
            "2026年9月底",
            "SCJGJ-4",
        ],
    ]

    def rows(self, lines: list[list]) -> list[dict]:
        result = parse_work_plan(xlsx_bytes(lines), 2026)
        self.assertEqual(result.errors, [])
        return result.rows

    def written(self, task: Task) -> dict:
        """Everything task_assign stores for a task, its plan's year left out."""
        task = Task.objects.get(pk=task.pk)
        history = list(task.history.all())
        return {
            "code": task.code.removeprefix(f"{task.plan.year}-"),
            "fields": {
                name: getattr(task, name)
                for name in (
                    "title",
                    "description",
                    "decision_id",
                    "lead_unit_id",
                    "original_due_on",
                    "due_on",
                    "status",
                    "progress",
                    "signed_at",
                    "closed_at",
                    "return_reason",
                    "created_by_id",
                    "edit_version",
                )
            },
            "co_units": list(
                task.co_unit_links.order_by("id").values_list(
                    "unit_id", "report_waived", "acknowledged_at"
                )
            ),
            "duties": sorted(task.duties.values_list("pk", flat=True)),
            "grants": sorted(
                TaskGroupObjectPermission.objects.filter(
                    content_object=task
                ).values_list("group__name", "permission__codename")
            ),
            "user grants": TaskUserObjectPermission.objects.filter(
                content_object=task
            ).count(),
            "events": list(
                task.events.values_list("kind", "actor_id", "unit_id", "note")
            ),
            "history": [
                (h.history_type, h.history_user_id, h.history_change_reason)
                for h in history
            ],
            "history is of this task": [
                (h.code, h.plan_id, h.lead_unit_id)
                == (task.code, task.plan_id, task.lead_unit_id)
                for h in history
            ],
        }

    def test_import_writes_what_task_assign_writes(self):
        rows = self.rows(self.LINES)
        plan = work_plan(self.office)
        imported = plans.work_plan_import(plan=plan, rows=rows, by=self.office)
        # The reference: what the import did before, one task_assign per row.
        reference_plan = work_plan(self.office, year=2027)
        reference = [
            services.task_assign(
                plan=reference_plan,
                lead=Unit.objects.get(pk=row["lead"]),
                co_units=list(Unit.objects.filter(pk__in=row["co_units"])),
                due=date.fromisoformat(row["due"]),
                duties=DutyClause.objects.filter(pk__in=row["duties"]),
                title=row["title"],
                description=row["description"],
                by=self.office,
                code=f"2027-计划-{row['seq'] or position}",
                notify_units=False,
            )
            for position, row in enumerate(rows, start=1)
        ]
        self.assertEqual(len(imported), 3)
        for ours, theirs in zip(imported, reference, strict=True):
            with self.subTest(ours.code):
                self.assertEqual(self.written(ours), self.written(theirs))
        first = self.written(imported[0])
        self.assertEqual(first["code"], "计划-1")
        self.assertEqual(len(first["co_units"]), 2)
        self.assertEqual(len(first["duties"]), 2)
        self.assertEqual(first["history"], [("+", self.office.pk, "交办")])
        self.assertEqual(
            first["grants"],
            sorted(
                [("unit:sfj", c) for c in ("view_task", "report_task", "lead_task")]
                + [("unit:czj", "view_task"), ("unit:czj", "report_task")]
                + [("unit:scjgj", "view_task"), ("unit:scjgj", "report_task")]
            ),
        )
        self.assertEqual(
            [code for code in Task.objects.filter(plan=plan).values_list("code")],
            [("2026-计划-1",), ("2026-计划-3",), ("2026-计划-2",)],  # by due date
        )

    def test_lead_and_co_unit_liaisons_open_their_tasks_outsider_gets_404(self):
        plan = work_plan(self.office)
        first, second, _third = plans.work_plan_import(
            plan=plan, rows=self.rows(self.LINES), by=self.office
        )
        for user, task, status in [
            (self.liaison_a, first, 200),  # 区司法局 leads
            (self.liaison_b, first, 200),  # 区财政局 co-operates
            (self.liaison_b, second, 200),  # 区财政局 leads
            (self.liaison_a, second, 404),
            (self.outsider, first, 404),
            (self.outsider, second, 404),
        ]:
            with self.subTest(user=user.username, task=task.code):
                response = self.get_as(user, task.get_absolute_url())
                self.assertEqual(response.status_code, status)
                if status == 200:
                    self.assertContains(response, task.title)
        self.assertTrue(self.liaison_a.has_perm("tasks.lead_task", first))
        self.assertTrue(self.liaison_b.has_perm("tasks.report_task", first))
        self.assertFalse(self.liaison_b.has_perm("tasks.lead_task", first))
        # one notification per person of a unit concerned, none for the outsider
        for user, count in [
            (self.liaison_a, 1),
            (self.liaison_b, 1),
            (self.outsider, 0),
        ]:
            self.assertEqual(
                Notification.objects.filter(
                    recipient=user, text__contains=plan.title
                ).count(),
                count,
            )

    def test_codes_are_unique_and_skip_codes_already_taken(self):
        plan = work_plan(self.office)
        make_task(by=self.office, lead=self.unit_a, plan=plan)  # 2026-计划-1
        services.task_assign(
            plan=plan,
            lead=self.unit_b,
            due=date(2026, 12, 31),
            title="已有任务",
            description="已有任务",
            by=self.office,
            code="2026-计划-3",
        )
        lines = [
            [seq, f"第{n}项任务", "区司法局", "", "2026-12-31", ""]
            for n, seq in enumerate(["", 3, 2, "", 4], start=1)
        ]
        tasks = plans.work_plan_import(plan=plan, rows=self.rows(lines), by=self.office)
        self.assertEqual(
            [t.code for t in tasks],
            [
                "2026-计划-1-2",
                "2026-计划-3-2",
                "2026-计划-2",
                "2026-计划-4",
                "2026-计划-4-2",
            ],
        )
        codes = list(Task.objects.values_list("code", flat=True))
        self.assertEqual(len(codes), 7)
        self.assertEqual(len(set(codes)), 7)

    def test_queries_do_not_grow_with_rows(self):
        leads = ["区司法局", "区财政局", "区林业局"]

        def lines(n: int) -> list[list]:
            return [
                [
                    i,
                    f"第{i}项任务",
                    leads[i % 3],
                    "区市场监管局",
                    "2026-12-31",
                    "SCJGJ-4",
                ]
                for i in range(1, n + 1)
            ]

        counts = []
        parse_counts = []
        for n in (3, 30):
            with CaptureQueriesContext(connection) as queries:
                rows = self.rows(lines(n))
            parse_counts.append(len(queries))
            plan = work_plan(self.office)
            with CaptureQueriesContext(connection) as queries:
                tasks = plans.work_plan_import(plan=plan, rows=rows, by=self.office)
            self.assertEqual(len(tasks), n)
            self.assertEqual(CoUnit.objects.filter(task__plan=plan).count(), n)
            self.assertEqual(
                TaskGroupObjectPermission.objects.filter(
                    content_object__plan=plan
                ).count(),
                5 * n,
            )
            self.assertEqual(TaskEvent.objects.filter(task__plan=plan).count(), n)
            self.assertEqual(Task.history.filter(plan=plan).count(), n)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
        self.assertLessEqual(counts[0], 20)
        # the preview too: units, aliases and clauses are read once per file
        self.assertEqual(parse_counts[0], parse_counts[1])
        self.assertLessEqual(parse_counts[0], 5)

    def test_unit_gone_between_preview_and_confirm_writes_nothing(self):
        weather = Unit.objects.create(name="区气象局", code="qxj", order=90)
        rows = self.rows(
            [*self.LINES, [4, "气象服务保障", "区司法局", "区气象局", "2026-05-01", ""]]
        )
        weather.delete()
        with self.assertRaises(ValidationError) as caught:
            plans.work_plan_import(
                plan=work_plan(self.office), rows=rows, by=self.office
            )
        self.assertEqual(
            caught.exception.messages,
            [
                "第5行“配合单位”：区气象局中有单位已删除或已不是成员单位，请重新上传文件。"
            ],
        )
        self.assertFalse(Task.objects.exists())
        self.assertFalse(TaskEvent.objects.exists())

    def test_task_assigned_to_the_plan_meanwhile_writes_nothing(self):
        """The history and grants are written for the plan's tasks in the range of
        the new ids. A task that someone else assigns to the same plan while the
        import runs can take an id inside that range (PostgreSQL hands out ids
        across concurrent inserts); the import must then refuse, not give the
        other task a second history row and this import's grants."""
        rows = self.rows(self.LINES)
        plan = work_plan(self.office)
        real_bulk_create = Task.objects.bulk_create

        def interleaved(objs, **kwargs):
            # first row, then someone else's task for the same plan, then the rest
            real_bulk_create(objs[:1], **kwargs)
            assign_other(plan, code="2026-计划-他人")
            real_bulk_create(objs[1:], **kwargs)
            return objs

        with (
            mock.patch.object(Task.objects, "bulk_create", side_effect=interleaved),
            self.assertRaises(ValidationError) as caught,
        ):
            plans.work_plan_import(plan=plan, rows=rows, by=self.office)
        self.assertEqual(
            caught.exception.messages,
            ["导入时有他人向本计划交办了任务，未写入任何数据，请重新确认导入。"],
        )
        # all or nothing: no imported task, event or grant is left behind
        self.assertFalse(
            Task.objects.filter(title__in=[r["title"] for r in rows]).exists()
        )
        self.assertFalse(TaskEvent.objects.exists())
        self.assertFalse(TaskGroupObjectPermission.objects.exists())

    def test_code_taken_meanwhile_writes_nothing(self):
        """The codes are chosen when the import begins; a task given one of them by
        someone else before the rows are written is a Chinese error, not a 500."""
        rows = self.rows(self.LINES)
        plan = work_plan(self.office)
        real_bulk_create = Task.objects.bulk_create

        def code_taken(objs, **kwargs):
            assign_other(plan, code=objs[1].code)
            return real_bulk_create(objs, **kwargs)

        with (
            mock.patch.object(Task.objects, "bulk_create", side_effect=code_taken),
            self.assertRaises(ValidationError) as caught,
        ):
            plans.work_plan_import(plan=plan, rows=rows, by=self.office)
        self.assertEqual(
            caught.exception.messages,
            ["导入时有他人交办了编号相同的任务，未写入任何数据，请重新确认导入。"],
        )
        self.assertFalse(
            Task.objects.filter(title__in=[r["title"] for r in rows]).exists()
        )
        self.assertFalse(TaskEvent.objects.exists())

    def test_confirm_after_lead_unit_left_the_group_shows_error(self):
        weather = Unit.objects.create(name="区气象局", code="qxj", order=90)
        plan = work_plan(self.office)
        response = self.post_as(
            self.office,
            reverse("tasks:plan_import", args=[plan.pk]),
            {
                "file": SimpleUploadedFile(
                    "计划.xlsx",
                    xlsx_bytes(
                        [
                            *self.LINES,
                            [4, "气象服务保障", "区气象局", "", "2026-05-01", ""],
                        ]
                    ),
                )
            },
        )
        self.assertContains(response, "预览：共 4 项任务")
        weather.is_member = False
        weather.save()
        response = self.client.post(
            reverse("tasks:plan_import_confirm", args=[plan.pk]), follow=True
        )
        self.assertContains(
            response,
            "导入失败，未写入任何数据：第5行“牵头单位”：单位“区气象局”已删除或已不是成员单位",
        )
        self.assertFalse(Task.objects.exists())
        self.assertFalse(
            Notification.objects.filter(text__contains=plan.title).exists()
        )
