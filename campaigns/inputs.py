"""What the campaign services accept: the checks each service makes first, so a
caller other than the forms (demo data, the bench, a shell) cannot store a text
the documents cannot print, a date out of the portal's range or a figure the
database would round or refuse. The forms check the same with the same messages
(campaigns/forms.py), beside the fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jinwei_ip.lib.dates import check_dates, date_refusal
from jinwei_ip.lib.text import check_official_texts

from .figures import FIGURE_LIMIT, amount_problem, number_problem
from .models import Indicator

NAME_MAX = 120  # Campaign.name
DESCRIPTION_MAX = 10000
SUMMARY_MAX = 20000
NARRATIVE_MAX = 4000
NOTE_MAX = 200  # Figure.note
CASE_TITLE_MAX = 120  # TypicalCase.title
CASE_SUMMARY_MAX = 2000


def reporting_dates_refusal(dates: Iterable[date]) -> str | None:
    """The first of the chosen reporting dates out of range, as a message."""
    for day in dates:
        refusal = date_refusal(day, label=_("报送日期 %(d)s") % {"d": day.isoformat()})
        if refusal:
            return refusal
    return None


def campaign_input(
    *,
    name: str,
    description: str,
    start_on: date | None = None,
    end_on: date | None = None,
    dates: Sequence[date] = (),
) -> None:
    """campaign_create and campaign_edit: the texts, the period, the dates."""
    if not (name or "").strip():
        raise ValidationError({"name": _("请填写名称。")})
    check_official_texts(
        {
            "name": (_("名称"), name, NAME_MAX),
            "description": (_("活动内容"), description, DESCRIPTION_MAX),
        }
    )
    check_dates(
        {"start_on": (_("开始日期"), start_on), "end_on": (_("结束日期"), end_on)}
    )
    refusal = reporting_dates_refusal(dates)
    if refusal:
        raise ValidationError({"dates": refusal})


def summary_input(summary: str) -> None:
    check_official_texts({"summary": (_("总结正文"), summary, SUMMARY_MAX)})


def report_input(
    *,
    narrative: str,
    values: dict[int, Decimal | None],
    notes: dict[int, str] | None = None,
    cases: Sequence = (),
) -> None:
    """report_file: the narrative, each figure as a number the database stores
    as typed (a number, not too large, at most two decimals, not negative), the
    notes and the typical cases. The figures' own rules (required, integer,
    cumulative, 结案 ≤ 立案) are the service's ``figure_errors``."""
    check_official_texts({"narrative": (_("工作情况"), narrative, NARRATIVE_MAX)})
    errors: dict[str, str] = {}
    typed = {i: v for i, v in values.items() if v is not None}
    if typed:
        indicators = Indicator.objects.in_bulk(list(typed))
        for ind_id, value in typed.items():
            indicator = indicators.get(ind_id)
            if indicator is None:
                continue
            problem = (
                number_problem(value, limit=FIGURE_LIMIT)
                if isinstance(value, Decimal)
                else _("不是数字（填写的是 %(v)s）") % {"v": str(value)[:40]}
            )
            if problem:
                errors[f"ind_{ind_id}"] = _("“%(i)s”%(p)s。") % {
                    "i": indicator.label,
                    "p": problem,
                }
    for ind_id, note in (notes or {}).items():
        try:
            check_official_texts({"note": (_("减少说明"), note, NOTE_MAX)})
        except ValidationError as error:
            errors[f"note_{ind_id}"] = error.message_dict["note"][0]
    for n, case in enumerate(cases, start=1):
        where = _("典型案例%(n)d") % {"n": n}
        try:
            check_official_texts(
                {
                    "title": (
                        _("%(w)s的案例标题") % {"w": where},
                        case.title,
                        CASE_TITLE_MAX,
                    ),
                    "summary": (
                        _("%(w)s的简要案情") % {"w": where},
                        case.summary,
                        CASE_SUMMARY_MAX,
                    ),
                }
            )
        except ValidationError as error:
            errors.setdefault("cases", "；".join(error.messages))
        for label, amount in (
            (_("涉案金额"), case.amount),
            (_("罚没款"), case.penalty),
        ):
            problem = amount_problem(amount)
            if problem:
                errors.setdefault(
                    "cases",
                    _("%(w)s的%(l)s%(p)s。") % {"w": where, "l": label, "p": problem},
                )
    if errors:
        raise ValidationError(errors)
