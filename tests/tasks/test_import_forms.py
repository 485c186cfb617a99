"""Plan files as offices really write them (issue 12): sheets typed by hand in WPS
or Excel, with a title above the table, a header over two rows under merged
cells, one 责任单位 column, deadlines in words, category headings across the
table, extra columns, and CSVs saved in GBK. Each file is built here, uploaded
through the import page, previewed (how each cell was read) and confirmed."""

from __future__ import annotations

import csv
import io
from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from members.models import Unit
from tasks.importer import parse_work_plan
from tasks.models import Task
from tests.base import PortalTestCase

from .factories import work_plan

TITLE = "2027年金台区知识产权强区建设工作计划"


def workbook_bytes(build) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    build(book.active)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def district_plan(sheet) -> None:
    """As the district government sends it: title and date line, a blank row,
    a header in two rows (责任单位 merged over 牵头单位 and 配合单位; the other
    header cells merged down), 序号 一、二 on category rows merged across the
    table, a 备注 column."""
    sheet["A1"] = TITLE
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "（2027年1月印发）"
    sheet.merge_cells("A2:F2")
    # row 3 blank
    sheet["A4"], sheet["B4"], sheet["C4"], sheet["E4"], sheet["F4"] = (
        "序号",
        "重点任务",
        "责任单位",
        "完成时限",
        "备注",
    )
    for col in "ABEF":
        sheet.merge_cells(f"{col}4:{col}5")
    sheet.merge_cells("C4:D4")
    sheet["C5"], sheet["D5"] = "牵头单位", "配合单位"
    sheet["A6"] = "一、加强知识产权保护"
    sheet.merge_cells("A6:F6")
    sheet.append(
        [
            1,
            "开展知识产权联合执法行动",
            "区市场监管局",
            "金台分局、文旅局",
            "2027年6月底",
            "重点",
        ]
    )
    sheet.append([2, "推进商标品牌建设", "市场监管局", "—", "第三季度", None])
    sheet["A9"] = "二、"
    sheet["B9"] = "强化知识产权运用"
    sheet.merge_cells("B9:F9")
    sheet.append([1, "落实知识产权资助资金", "财政局", "/", "年底前", "-"])
    sheet.append(
        [2, "开展知识产权进校园活动", "教育局", None, "长期坚持", "每学期一次"]
    )
    sheet.append([])
    sheet.append(["注：各责任单位于每季度末报送工作进展。"])
    sheet.merge_cells("A13:F13")


def single_unit_column(sheet) -> None:
    """One 责任单位 column in the forms offices write, columns in another
    order, deadlines in words, 序号 一、二 on tasks."""
    sheet.append([TITLE])
    sheet.append([])
    sheet.append(["完成时间", "工作内容", "责任单位", "序号", "备注"])
    rows = [
        (
            "2027年6月底",
            "组织知识产权宣传周活动",
            "区市场监管局、市公安局金台分局",
            "一",
        ),
        (
            "6月30日前",
            "查处侵权假冒案件",
            "（市公安局金台分局牵头，区市场监管局配合）",
            "二",
        ),
        (
            "2027年上半年",
            "修订知识产权资助办法",
            "区市场监管局牵头，各成员单位配合",
            "三",
        ),
        ("第三季度", "开展地理标志保护", "农业农村局负责，林业局、商务局配合", "四"),
        ("年底前", "建设知识产权纠纷调解室", "司法局（牵头）、区人民法院", "五"),
        ("持续推进", "开展专利导航服务", "工信局", "六"),
    ]
    for due, task, units, seq in rows:
        sheet.append([due, task, units, seq, None])


def vertical_merges(sheet) -> None:
    """A 类别 column and a 责任单位 cell each merged over several task rows."""
    sheet.append(["类别", "工作任务", "责任单位", "完成时限"])
    sheet.append(["宣传", "举办知识产权宣传周", "区委宣传部、区市场监管局", "4月底"])
    sheet.append([None, "开展知识产权进企业活动", None, "5月底"])
    sheet.append([None, "发布知识产权保护典型案例", None, "2027-04-26"])
    sheet.merge_cells("A2:A4")
    sheet.merge_cells("C2:C4")
    sheet.append(["执法", "开展“铁拳”行动", "市场监管局", "10月底"])


def csv_bytes(rows: list[list], encoding: str, delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


CSV_ROWS = [
    [TITLE, "", "", ""],
    ["", "", "", ""],
    ["序号", "主要任务", "责任部门", "完成时限"],
    ["一、加强知识产权创造", "", "", ""],
    ["1", "培育知识产权示范企业", "工信局、市场监管局", "2027年9月底"],
    ["2", "开展知识产权质押融资", "财政局牵头，商务局配合", "下半年"],
]


@override_settings(RATELIMIT_ENABLE=False)
class PlanFormsImportTests(PortalTestCase):
    def setUp(self):
        self.plan = work_plan(self.office, year=2027)
        self.url = reverse("tasks:plan_import", args=[self.plan.pk])
        self.confirm = reverse("tasks:plan_import_confirm", args=[self.plan.pk])
        self.members = Unit.objects.members().count()

    def upload(self, data: bytes, name: str = "计划.xlsx"):
        return self.post_as(
            self.office, self.url, {"file": SimpleUploadedFile(name, data)}
        )

    def confirmed(self) -> dict[str, Task]:
        response = self.client.post(self.confirm)
        self.assertRedirects(response, self.plan.get_absolute_url())
        return {t.title: t for t in Task.objects.filter(plan=self.plan)}

    def assertTask(self, task: Task, lead: str, co: list[str], due: str) -> None:
        self.assertEqual(task.lead_unit.name, lead)
        self.assertEqual(
            sorted(u.name for u in task.co_units.all()), sorted(co), task.title
        )
        self.assertEqual(task.due_on, date.fromisoformat(due), task.title)

    def test_district_plan_with_title_two_row_header_and_category_rows(self):
        response = self.upload(workbook_bytes(district_plan))
        self.assertNotContains(response, "未导入任何数据")
        self.assertContains(response, "预览：共 4 项任务")
        self.assertContains(response, f"标题：{TITLE}")
        self.assertContains(response, "表头：第4–5行")
        self.assertContains(response, "B列“重点任务”→工作任务")
        self.assertContains(response, "C列“牵头单位”→牵头单位")
        self.assertContains(response, "D列“配合单位”→配合单位")
        self.assertContains(response, "未导入的列：F列“备注”")
        self.assertContains(response, "“一、加强知识产权保护”")
        self.assertContains(response, "类别：一、加强知识产权保护")
        self.assertContains(response, "类别：二、强化知识产权运用")
        self.assertContains(
            response,
            "说明行（不是任务）：第13行“注：各责任单位于每季度末报送工作进展。”",
        )
        self.assertContains(response, "“配合单位”原文：金台分局、文旅局")
        self.assertContains(
            response, "“完成时限”原文：第三季度 → 2027-09-30（第3季度末）"
        )
        self.assertContains(
            response,
            "“完成时限”原文：长期坚持 → 2027-12-31（无固定时限，按 2027 年底（2027-12-31）督办）",
        )
        # per category the tasks are numbered 1, 2 again: codes follow file order
        self.assertContains(response, "序号在各类别下重新编排")
        # the session keeps what the confirmation needs, not the preview's text
        kept = self.client.session["tasks_plan_import"]["rows"][0]
        self.assertEqual(kept["category"], "一、加强知识产权保护")
        self.assertNotIn("due_text", kept)
        tasks = self.confirmed()
        self.assertEqual(len(tasks), 4)
        self.assertTask(
            tasks["开展知识产权联合执法行动"],
            "区市场监管局",
            ["市公安局金台分局", "区文旅局"],
            "2027-06-30",
        )
        self.assertTask(tasks["推进商标品牌建设"], "区市场监管局", [], "2027-09-30")
        self.assertTask(tasks["落实知识产权资助资金"], "区财政局", [], "2027-12-31")
        self.assertTask(tasks["开展知识产权进校园活动"], "区教体局", [], "2027-12-31")
        self.assertEqual(
            sorted(t.code for t in tasks.values()),
            ["2027-计划-1", "2027-计划-2", "2027-计划-3", "2027-计划-4"],
        )

    def test_one_unit_column_in_every_form_and_deadlines_in_words(self):
        response = self.upload(workbook_bytes(single_unit_column))
        self.assertNotContains(response, "未导入任何数据")
        self.assertContains(response, "预览：共 6 项任务")
        self.assertContains(response, "表头：第3行")
        self.assertContains(response, "C列“责任单位”→责任单位")
        self.assertContains(response, "A列“完成时间”→完成时限")
        self.assertContains(
            response,
            "“责任单位”原文：区市场监管局、市公安局金台分局（第一个单位为牵头单位）",
        )
        others = self.members - 1
        self.assertContains(
            response,
            f"“责任单位”原文：区市场监管局牵头，各成员单位配合"
            f"（“各成员单位”即牵头单位以外的全部成员单位（{others}个））",
        )
        self.assertContains(
            response, "“完成时限”原文：2027年上半年 → 2027-06-30（上半年按6月30日计）"
        )
        self.assertContains(response, "“完成时限”原文：6月30日前 → 2027-06-30")
        self.assertContains(
            response, "“完成时限”原文：年底前 → 2027-12-31（年底按12月31日计）"
        )
        self.assertContains(
            response, "“完成时限”原文：持续推进 → 2027-12-31（无固定时限"
        )
        tasks = self.confirmed()
        self.assertEqual(len(tasks), 6)
        self.assertTask(
            tasks["组织知识产权宣传周活动"],
            "区市场监管局",
            ["市公安局金台分局"],
            "2027-06-30",
        )
        self.assertTask(
            tasks["查处侵权假冒案件"],
            "市公安局金台分局",
            ["区市场监管局"],
            "2027-06-30",
        )
        everyone = tasks["修订知识产权资助办法"]
        self.assertEqual(everyone.lead_unit.name, "区市场监管局")
        self.assertEqual(everyone.co_units.count(), others)
        self.assertNotIn(everyone.lead_unit, everyone.co_units.all())
        self.assertEqual(everyone.due_on, date(2027, 6, 30))
        self.assertTask(
            tasks["开展地理标志保护"],
            "区农业农村局",
            ["区林业局", "区商务局"],
            "2027-09-30",
        )
        self.assertTask(
            tasks["建设知识产权纠纷调解室"], "区司法局", ["区人民法院"], "2027-12-31"
        )
        self.assertTask(tasks["开展专利导航服务"], "区工信局", [], "2027-12-31")

    def test_cells_merged_over_several_rows_belong_to_each_row(self):
        response = self.upload(workbook_bytes(vertical_merges))
        self.assertContains(response, "预览：共 4 项任务")
        self.assertContains(response, "类别：宣传")
        self.assertContains(response, "类别：执法")
        tasks = self.confirmed()
        for title, due in [
            ("举办知识产权宣传周", "2027-04-30"),
            ("开展知识产权进企业活动", "2027-05-31"),
            ("发布知识产权保护典型案例", "2027-04-26"),
        ]:
            self.assertTask(tasks[title], "区委宣传部", ["区市场监管局"], due)
        self.assertTask(tasks["开展“铁拳”行动"], "区市场监管局", [], "2027-10-31")

    def test_a_task_column_merged_over_its_measures(self):
        def build(sheet):
            sheet.append(["序号", "重点任务", "具体措施", "责任单位", "完成时限"])
            sheet.append([1, "加强行政保护", "开展商标专项整治", "市场监管局", "6月底"])
            sheet.append([2, None, "开展版权专项整治", "区委宣传部", "9月底"])
            sheet.merge_cells("B2:B3")

        response = self.upload(workbook_bytes(build))
        self.assertContains(response, "B列“重点任务”→类别")
        self.assertContains(response, "C列“具体措施”→工作任务")
        self.assertContains(response, "类别：加强行政保护")
        tasks = self.confirmed()
        self.assertTask(tasks["开展商标专项整治"], "区市场监管局", [], "2027-06-30")
        self.assertTask(tasks["开展版权专项整治"], "区委宣传部", [], "2027-09-30")

    def test_a_header_cell_merged_across_a_spacer_column(self):
        def build(sheet):
            sheet.append(["工作任务", "责任单位", "完成时限", None])
            sheet.merge_cells("C1:D1")
            sheet.append(["开展商标专项整治", "市场监管局", "6月底", None])

        response = self.upload(workbook_bytes(build))
        self.assertContains(response, "C列“完成时限”→完成时限")
        self.assertNotContains(response, "D列“完成时限”")
        (task,) = self.confirmed().values()
        self.assertTask(task, "区市场监管局", [], "2027-06-30")

    def test_csv_saved_by_wps_in_gbk(self):
        data = csv_bytes(CSV_ROWS, "gb18030")
        with self.assertRaises(UnicodeDecodeError):
            data.decode("utf-8")
        response = self.upload(data, name="工作计划.csv")
        self.assertContains(response, "预览：共 2 项任务")
        self.assertContains(response, "CSV 文件，编码 GBK（GB18030）")
        self.assertContains(response, "类别：一、加强知识产权创造")
        self.assertContains(response, "“责任部门”原文：财政局牵头，商务局配合")
        tasks = self.confirmed()
        self.assertTask(
            tasks["培育知识产权示范企业"], "区工信局", ["区市场监管局"], "2027-09-30"
        )
        self.assertTask(
            tasks["开展知识产权质押融资"], "区财政局", ["区商务局"], "2027-12-31"
        )

    def test_csv_in_utf8_with_and_without_bom_and_tab_separated(self):
        for label, data in [
            ("utf-8-sig", csv_bytes(CSV_ROWS, "utf-8-sig")),
            ("utf-8", csv_bytes(CSV_ROWS, "utf-8")),
            ("tabs", csv_bytes(CSV_ROWS, "utf-8", delimiter="\t")),
        ]:
            with self.subTest(label):
                response = self.upload(data, name="plan.csv")
                self.assertContains(response, "预览：共 2 项任务")
                self.assertContains(response, "CSV 文件，编码 UTF-8")
                self.assertContains(response, "2027-09-30")
        tasks = self.confirmed()
        self.assertEqual(len(tasks), 2)

    def test_the_duty_column_is_shown_in_the_preview(self):
        def build(sheet):
            sheet.append(["工作任务", "牵头单位", "完成时限", "依据职责"])
            sheet.append(["组织联合执法行动", "区市场监管局", "9月底", "SCJGJ-4"])

        response = self.upload(workbook_bytes(build))
        self.assertContains(response, "SCJGJ-4 加强知识产权行政执法")
        self.assertContains(response, "<th>依据职责</th>", html=True)
        (task,) = self.confirmed().values()
        self.assertEqual([d.number for d in task.duties.all()], [4])

    def test_a_title_naming_another_year_is_pointed_out(self):
        def build(sheet):
            sheet.append(["2026年知识产权工作要点"])
            sheet.append(["工作任务", "责任单位", "完成时限"])
            sheet.append(["开展宣传周活动", "区市场监管局", "4月底"])

        response = self.upload(workbook_bytes(build))
        self.assertContains(response, "文件标题写的是 2026 年，而本计划为 2027 年度")
        self.assertContains(response, "2027-04-30")


@override_settings(RATELIMIT_ENABLE=False)
class PlanFormsRefusalTests(PortalTestCase):
    """Every refusal names the row and the column (as the file names it), and
    nothing is written."""

    def setUp(self):
        self.plan = work_plan(self.office, year=2027)
        self.url = reverse("tasks:plan_import", args=[self.plan.pk])
        self.confirm = reverse("tasks:plan_import_confirm", args=[self.plan.pk])

    def refused(self, data: bytes, name: str = "计划.xlsx") -> str:
        response = self.post_as(
            self.office, self.url, {"file": SimpleUploadedFile(name, data)}
        )
        self.assertContains(response, "未导入任何数据")
        self.assertNotContains(response, "确认导入")
        self.client.post(self.confirm)
        self.assertFalse(Task.objects.exists())
        return response.content.decode()

    def sheet(self, *rows) -> bytes:
        def build(sheet):
            sheet.append([TITLE])
            sheet.append(["序号", "重点任务", "责任单位", "完成时间", "备注"])
            for row in rows:
                sheet.append(row)

        return workbook_bytes(build)

    def test_formulas_in_any_read_column(self):
        for cell, column, value in [
            ("=", "重点任务", ["1", "=1+1", "区市场监管局", "6月底"]),
            ("+", "重点任务", ["1", "+86 开展活动", "区市场监管局", "6月底"]),
            ("-", "责任单位", ["1", "开展活动", "-区市场监管局", "6月底"]),
            ("@", "完成时间", ["1", "开展活动", "区市场监管局", "@SUM(A1)"]),
            ("=", "序号", [" =1", "开展活动", "区市场监管局", "6月底"]),
            ("制表符", "重点任务", ["1", "\t开展活动", "区市场监管局", "6月底"]),
            ("回车符", "责任单位", ["1", "开展活动", "\r区市场监管局", "6月底"]),
        ]:
            with self.subTest(cell):
                page = self.refused(self.sheet(value))
                self.assertIn(
                    f"第3行“{column}”：单元格以“{cell}”开头，会被当作公式", page
                )
        # the same in a CSV
        page = self.refused(
            csv_bytes(
                [
                    ["工作任务", "责任单位", "完成时限"],
                    ["+1 开展活动", "区市场监管局", "6月底"],
                ],
                "gb18030",
            ),
            name="plan.csv",
        )
        self.assertIn("第2行“工作任务”：单元格以“+”开头", page)

    def test_unknown_units_and_deadlines_name_row_and_column(self):
        page = self.refused(
            self.sheet(
                ["1", "开展活动", "区气象局牵头，区市场监管局配合", "6月底"],
                ["2", "开展宣传", "各成员单位", "6月底"],
                ["3", "开展培训", "（区财政局配合）", "6月底"],
                ["4", "开展调研", "区市场监管局", "尽快"],
                ["5", "开展评估", "区市场监管局", "2099年6月底"],
            )
        )
        self.assertIn("第3行“责任单位”：无法识别的单位“区气象局”", page)
        self.assertIn("第4行“责任单位”：“各成员单位”不能作为牵头单位", page)
        self.assertIn("第5行“责任单位”：没有写明牵头单位：“（区财政局配合）”", page)
        self.assertIn("第6行“完成时间”：无法识别的日期“尽快”", page)
        self.assertIn("第7行“完成时间”：时限“2099-06-30”超出范围", page)

    def test_a_missing_column_and_an_unreadable_csv(self):
        page = self.refused(
            workbook_bytes(lambda s: s.append(["序号", "重点任务", "备注"]))
        )
        self.assertIn("表头不符合模板（缺少列：完成时限）", page)
        self.assertIn("完成时限：完成时限、完成时间、时限", page)
        page = self.refused(b"\x80\xff\x80\xff" * 8, name="a.csv")
        self.assertIn("无法识别 CSV 文件的编码", page)

    def test_the_row_limit_counts_rows_below_the_header(self):
        rows = [[str(n), f"任务{n}", "区司法局", "6月底"] for n in range(1, 5)]
        with self.settings(IMPORT_MAX_ROWS=3):
            page = self.refused(self.sheet(*rows))
        self.assertIn("超过 3 行的限制", page)
        with self.settings(IMPORT_MAX_ROWS=4):
            result = parse_work_plan(self.sheet(*rows), 2027)
        self.assertEqual(result.errors, [])


class AcceptedNamesTests(PortalTestCase):
    def test_the_page_and_the_template_list_the_accepted_names(self):
        plan = work_plan(self.office, year=2027)
        page = self.get_as(self.office, reverse("tasks:plan_import", args=[plan.pk]))
        self.assertContains(page, "可识别的列名和写法")
        self.assertContains(page, "责任单位、责任部门、负责单位")
        self.assertContains(page, "长期坚持")
        from openpyxl import load_workbook

        response = self.get_as(self.office, reverse("tasks:plan_import_template"))
        book = load_workbook(BytesIO(response.content))
        notes = book.worksheets[1]
        text = "\n".join(
            str(c.value) for row in notes.iter_rows() for c in row if c.value
        )
        self.assertIn("责任单位、责任部门、负责单位", text)
        self.assertIn("完成时限、完成时间", text)
        self.assertIn("各成员单位", text)


def with_merges(data: bytes, refs: list[str]) -> bytes:
    """The workbook with ``refs`` written as the first sheet's merged ranges, as
    a hand-edited or hostile file may have them (openpyxl would refuse some)."""
    import zipfile

    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                cells = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
                merges = f'<mergeCells count="{len(refs)}">{cells}</mergeCells>'
                part = part.replace(b"</sheetData>", b"</sheetData>" + merges.encode())
            target.writestr(info, part)
    return out.getvalue()


@override_settings(RATELIMIT_ENABLE=False)
class HostilePlanFileTests(PortalTestCase):
    """Files no office means to send: refused with a message, never a 500,
    nothing written."""

    def test_hostile_files(self):
        plan = work_plan(self.office, year=2027)
        url = reverse("tasks:plan_import", args=[plan.pk])

        def sheet(sheet):
            sheet.append(["工作任务", "责任单位", "完成时限"])
            sheet.append(["开展活动", "区司法局", "6月底"])

        good = workbook_bytes(sheet)
        cases = {
            "merge over the whole sheet": (
                with_merges(good, ["A1:XFD1048576"]),
                "表头不符合模板",
            ),
            "merge refs backwards and past XFD": (
                with_merges(good, ["C3:A2", "ZZZ1:ZZZ2", "A2:A2"]),
                "文件已损坏",
            ),
            "csv with NUL": (b"\xef\xbb\xbf\xe5\xb7\xa5\x00,x\r\n", "不是文本格式"),
            "csv with a huge field": (
                ("工作任务,完成时限\r\n" + "x" * 200_000 + ",6月底\r\n").encode(),
                "格式有误",
            ),
            "csv with an open quote": (
                '工作任务,责任单位,完成时限\r\n"开展活动,区司法局,6月底\r\n'.encode(),
                "",
            ),
            "empty sheet": (workbook_bytes(lambda s: None), "找不到表头"),
            "header twice": (
                workbook_bytes(
                    lambda s: s.append(["工作任务", "完成时限", "时间", "责任单位"])
                ),
                "都是“完成时限”列",
            ),
            "year 9999": (
                workbook_bytes(
                    lambda s: (
                        s.append(["工作任务", "责任单位", "完成时限"]),
                        s.append(["开展活动", "区司法局", date(9999, 12, 31)]),
                    )
                ),
                "超出范围",
            ),
        }
        for label, (data, message) in cases.items():
            with self.subTest(label):
                name = "p.csv" if label.startswith("csv") else "p.xlsx"
                response = self.post_as(
                    self.office, url, {"file": SimpleUploadedFile(name, data)}
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "未导入任何数据")
                self.assertContains(response, message)
        self.assertFalse(Task.objects.exists())
        # merged ranges far below the table change nothing
        data = with_merges(good, [f"A{n}:BH{n + 40000}" for n in range(3, 80)])
        response = self.post_as(
            self.office, url, {"file": SimpleUploadedFile("p.xlsx", data)}
        )
        self.assertContains(response, "预览：共 1 项任务")
        # merged ranges over more cells than a plan has are refused, not expanded
        from unittest import mock

        data = with_merges(good, ["A1:C2", "A1:C2"])
        with mock.patch("tasks.plan_reader.MAX_MERGED_CELLS", 10):
            response = self.post_as(
                self.office, url, {"file": SimpleUploadedFile("p.xlsx", data)}
            )
        self.assertContains(response, "合并单元格过多")
