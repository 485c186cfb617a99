"""Pages of the group's year: rounds and submissions (the meeting pack's pages
are in ``views_pack``, next year's plan's in ``views_plan``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from duties.models import DutyClause
from jinwei_ip.lib.audit import export_event
from members.access import require_office
from members.models import Unit

from . import services
from .access import (
    get_attachment_for,
    get_round_for,
    get_submission_for,
    get_submission_to_edit,
    may_approve,
    may_return,
    require_round_reader,
    submission_actions,
)
from .forms import (
    CoordinationFormSet,
    PlanItemFormSet,
    ReturnForm,
    RoundEditForm,
    RoundForm,
    SectionFormSet,
    SubmissionForm,
    VersionForm,
    section_initial,
)
from .models import (
    CoordinationItem,
    Round,
    SectionKind,
    Submission,
    warning_until,
)

PER_PAGE = 20
S = Submission.Status


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, per field where it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _error_text(error: ValidationError) -> str:
    return "；".join(str(m) for m in error.messages)


# --- rounds ------------------------------------------------------------------


@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_round_reader(user)
    rounds = Round.objects.all()
    query = (request.GET.get("q") or "").strip()
    if query:
        search = Q(title__icontains=query)
        if query.isdigit():
            search |= Q(year=int(query))
        rounds = rounds.filter(search)
    if user.sees_everything:
        rounds = rounds.annotate(
            unit_count=Count("submissions"),
            submitted_count=Count(
                "submissions", filter=Q(submissions__status=S.SUBMITTED)
            ),
        )
    else:
        rounds = rounds.prefetch_related(
            Prefetch(
                "submissions",
                Submission.objects.filter(unit_id=user.unit_id),
                to_attr="mine",
            )
        )
    page = Paginator(rounds.order_by("-year"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "annual/round_list.html", {"page": page, "query": query})


def round_create(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    year = timezone.localdate().year
    form = RoundForm(
        request.POST or None,
        initial={"year": year, "requires_head_approval": True},
    )
    sections = SectionFormSet(
        request.POST or None, prefix="sections", initial=section_initial()
    )
    if request.method == "POST" and form.is_valid() and sections.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_open(
                sections=[f.cleaned_data for f in sections.forms if f.cleaned_data],
                by=request.user,
                **data,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("已发起%(t)s，各成员单位已收到通知。") % {"t": round_.title},
            )
            return redirect(round_)
    return render(
        request, "annual/round_form.html", {"form": form, "sections": sections}
    )


def _round_rows(round_: Round, today) -> list[Submission]:
    rows = list(
        round_.submissions.select_related("unit", "submitted_by").order_by(
            "unit__order", "unit_id"
        )
    )
    warn_until = warning_until(today)
    for row in rows:
        row.round = round_
        row.light = row.light_on(today, warn_until)
    return rows


@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    round_ = get_round_for(user, pk)
    today = timezone.localdate()
    pack = round_.pack_or_none()
    context = {
        "round": round_,
        "pack": pack,
        "today": today,
        "workdays_left": round_.workdays_left(today),
    }
    if user.sees_everything:
        rows = _round_rows(round_, today)
        counts = {s: 0 for s in S.values}
        for row in rows:
            counts[row.status] += 1
        context.update(
            rows=rows,
            counts=counts,
            waiting=len(rows) - counts[S.SUBMITTED],
            plan=round_.plan_or_none(),
            coordination=CoordinationItem.objects.filter(
                submission__round=round_, submission__status=S.SUBMITTED
            )
            .select_related("submission__unit", "topic")
            .order_by("submission__unit__order", "order"),
        )
    else:
        mine = round_.submissions.filter(unit_id=user.unit_id).first()
        if mine is not None:
            mine.round = round_
            mine.light = mine.light_on(today)
        context["mine"] = mine
        if round_.pack_issued:
            context["rows"] = [
                row for row in _round_rows(round_, today) if row.is_submitted
            ]
    return render(request, "annual/round_detail.html", context)


def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for(request.user, pk, office=True)
    form = RoundEditForm(
        request.POST or None,
        initial={
            "deadline": round_.deadline,
            "requires_head_approval": round_.requires_head_approval,
            "meeting": round_.meeting,
            "instructions": round_.instructions,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_edit(round_=round_, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("报送设置已保存。"))
            return redirect(round_)
    return render(request, "annual/round_edit.html", {"round": round_, "form": form})


@require_POST
def round_remind(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for(request.user, pk, office=True)
    units = []
    if request.POST.get("unit"):
        units = list(Unit.objects.filter(code=request.POST["unit"]))
        if not units:
            raise Http404
    n = services.round_remind(round_=round_, by=request.user, units=units)
    if n:
        messages.success(request, _("已提醒 %(n)d 家单位。") % {"n": n})
    else:
        messages.info(request, _("没有需要提醒的单位。"))
    return redirect(round_)


# --- submissions -------------------------------------------------------------


def _clauses(submission: Submission) -> list[DutyClause]:
    return list(
        DutyClause.objects.filter(unit_id=submission.unit_id).order_by("number")
    )


@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for(request.user, pk)
    round_ = submission.round
    clauses = _clauses(submission)
    notes = [(c, submission.duty_notes.get(str(c.pk), "")) for c in clauses]
    sections = []
    for n, section in enumerate(round_.sections, start=1):
        sections.append(
            {
                "n": n,
                "title": section["title"],
                "kind": section["kind"],
                "text": submission.texts.get(section["key"], ""),
            }
        )
    return render(
        request,
        "annual/submission_detail.html",
        {
            "submission": submission,
            "round": round_,
            "sections": sections,
            "notes": notes,
            "plan_items": submission.plan_items.prefetch_related(
                Prefetch("duties", DutyClause.objects.select_related("unit"))
            ),
            "coordination_items": submission.coordination_items.select_related("topic"),
            "attachments": submission.attachments.all(),
            "events": submission.events.select_related("actor"),
            "actions": submission_actions(request.user, submission),
            "missing": services.missing_parts(submission)
            if submission.is_editable
            else [],
            "version_form": VersionForm(initial={"version": submission.edit_version}),
        },
    )


def _item_initial(submission: Submission) -> tuple[list[dict], list[dict]]:
    plan = [
        {"text": i.text, "due_on": i.due_on, "duties": list(i.duties.all())}
        for i in submission.plan_items.prefetch_related("duties")
    ]
    coordination = [
        {"title": c.title, "description": c.description}
        for c in submission.coordination_items.all()
    ]
    return plan, coordination


def _kept(formset) -> list[dict]:
    """The rows of a formset that are filled in and not marked for removal."""
    return [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data
        and not getattr(f, "blank", True)
        and not f.cleaned_data.get("DELETE")
    ]


def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_to_edit(request.user, pk)
    round_ = submission.round
    if not submission.is_editable:
        messages.info(
            request,
            _("材料当前状态为“%(s)s”，不能修改。")
            % {"s": submission.get_status_display()},
        )
        return redirect(submission)
    clauses = _clauses(submission)
    data = request.POST or None
    files = request.FILES or None
    form = SubmissionForm(
        data,
        files,
        submission=submission,
        clauses=clauses,
        initial={"version": submission.edit_version},
    )
    plan_initial, coordination_initial = _item_initial(submission)
    item_kwargs = {"unit": submission.unit, "year": round_.year + 1}
    plan_items = PlanItemFormSet(
        data, prefix="plan", initial=plan_initial, form_kwargs=item_kwargs
    )
    coordination = CoordinationFormSet(
        data, prefix="coord", initial=coordination_initial
    )
    stale = False
    if (
        request.method == "POST"
        and form.is_valid()
        and plan_items.is_valid()
        and coordination.is_valid()
    ):
        try:
            saved = services.submission_save(
                submission=submission,
                by=request.user,
                version=form.cleaned_data["version"],
                texts=form.texts(),
                duty_notes=form.duty_notes(),
                plan_items=_kept(plan_items)
                if round_.section(SectionKind.PLAN)
                else [],
                coordination_items=_kept(coordination)
                if round_.section(SectionKind.COORDINATION)
                else [],
                uploads=form.cleaned_data["files"],
            )
        except services.StaleEdit as error:
            stale = True
            submission.refresh_from_db()
            fresh = request.POST.copy()
            fresh["version"] = str(submission.edit_version)
            form = SubmissionForm(fresh, submission=submission, clauses=clauses)
            form.is_valid()
            form.add_error(None, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if request.POST.get("then") == "submit":
                return _submit(request, saved)
            messages.success(request, _("已保存。"))
            return redirect("annual:submission_edit", pk=saved.pk)
    return render(
        request,
        "annual/submission_form.html",
        {
            "submission": submission,
            "round": round_,
            "form": form,
            "plan_items": plan_items,
            "coordination": coordination,
            "attachments": submission.attachments.all(),
            "stale": stale,
            "blocks": _blocks(form, round_),
        },
    )


def _blocks(form: SubmissionForm, round_: Round) -> list[dict]:
    """The edit page's parts in the template's order of sections."""
    blocks = []
    for n, section in enumerate(round_.sections, start=1):
        block = {"n": n, "title": section["title"], "kind": section["kind"]}
        if section["kind"] == SectionKind.TEXT:
            block["field"] = form[f"text_{section['key']}"]
        elif section["kind"] == SectionKind.DUTIES:
            block["fields"] = form.duty_fields()
        blocks.append(block)
    return blocks


def _submit(request: HttpRequest, submission: Submission) -> HttpResponse:
    try:
        submission = services.submission_submit(
            submission=submission,
            by=request.user,
            version=submission.edit_version,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("annual:submission_edit", pk=submission.pk)
    if submission.status == S.PENDING_HEAD:
        messages.success(request, _("已提交本单位分管负责同志审核。"))
    else:
        messages.success(request, _("已报送领导小组办公室。"))
    return redirect(submission)


@require_POST
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_to_edit(request.user, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("页面已过期，请刷新后重试。"))
        return redirect(submission)
    try:
        submission = services.submission_submit(
            submission=submission,
            by=request.user,
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(submission)
    if submission.status == S.PENDING_HEAD:
        messages.success(request, _("已提交本单位分管负责同志审核。"))
    else:
        messages.success(request, _("已报送领导小组办公室。"))
    return redirect(submission)


@require_POST
def submission_approve(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for(request.user, pk)
    if not may_approve(request.user, submission):
        raise PermissionDenied
    try:
        services.submission_approve(submission=submission, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("审核通过，已报送领导小组办公室。"))
    return redirect(submission)


def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for(request.user, pk)
    if not may_return(request.user, submission):
        raise PermissionDenied
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_return(
                submission=submission, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("已退回，并通知了报送单位。"))
            return redirect(submission)
    return render(
        request,
        "annual/submission_return.html",
        {"submission": submission, "form": form},
    )


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Attachments are never served by the web server: only here, after the check."""
    attachment = get_attachment_for(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    export_event(request, "annual_attachment", attachment)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_attachment_for(request.user, pk)
    submission = attachment.submission
    if not (request.user.is_unit_member and request.user.unit_id == submission.unit_id):
        raise PermissionDenied
    try:
        services.attachment_delete(attachment=attachment, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("已删除附件“%(n)s”。") % {"n": attachment.original_name}
        )
    return redirect("annual:submission_edit", pk=submission.pk)


@require_POST
def coordination_topic(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    item = get_object_or_404(
        CoordinationItem.objects.select_related("submission__round__meeting"), pk=pk
    )
    try:
        topic = services.coordination_to_topic(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(item.submission)
    messages.success(
        request,
        _("“%(t)s”已作为议题列入%(m)s议程。")
        % {"t": topic.title, "m": topic.meeting.title},
    )
    if request.POST.get("next") == "round":
        return redirect(item.submission.round)
    return redirect(item.submission)
