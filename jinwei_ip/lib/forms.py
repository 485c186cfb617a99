"""Form helpers shared by every app."""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.forms.utils import flatatt
from django.template import TemplateDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l


def hidden_field_message() -> str:
    return _(
        "页面中的隐藏信息无效（页面可能已过期或被改动），请刷新页面后重新填写提交。"
    )


def report_hidden_errors(form: forms.BaseForm) -> None:
    """A hidden field's error has no place on the page (the field is not shown):
    say it above the form, once, instead of re-rendering the page with nothing
    said."""
    if any(
        form.fields[name].widget.is_hidden
        for name in form.errors
        if name in form.fields
    ):
        message = hidden_field_message()
        if message not in form.non_field_errors():
            form.add_error(None, message)


class StaleEdit(ValidationError):
    """Someone saved the object after this person opened the form: nothing was
    written. A service raises it with the message to show and, where the page
    shows what is now saved, the ``current`` object; the page re-binds the
    person's input with ``rebind_stale``."""

    def __init__(self, message, *, current=None) -> None:
        super().__init__(message)
        self.current = current


F = TypeVar("F", bound=forms.BaseForm)


def rebind_stale(
    form_class: type[F],
    data,
    *,
    version: int,
    error: ValidationError,
    version_field: str = "version",
    **kwargs,
) -> F:
    """The person's own input bound again, at the version now saved, with the
    message: their text is kept, and a deliberate second submit overwrites."""
    data = data.copy()
    data[version_field] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, error)
    return form


class PortalForm(forms.Form):
    """A form whose widgets carry Bootstrap classes, so templates stay plain."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def _post_clean(self) -> None:
        super()._post_clean()
        report_hidden_errors(self)


class CheckedFormSet(forms.BaseFormSet):
    """A formset that refuses management data no page of ours sends: negative
    counts, or more initial rows than rows. (Oversized counts are refused by
    ``absolute_max``, set to the real maximum by each formset.)"""

    default_error_messages = {
        "missing_management_form": _l(
            "页面中的隐藏信息无效（页面可能已过期或被改动），请刷新页面后重新填写提交。"
        ),
    }

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or not self.management_form.is_valid():
            return
        data = self.management_form.cleaned_data
        total = data.get(forms.formsets.TOTAL_FORM_COUNT, 0)
        initial = data.get(forms.formsets.INITIAL_FORM_COUNT, 0)
        if total < 0 or initial < 0 or initial > total:
            self._non_form_errors.append(hidden_field_message())


def checked_formset(
    form: type[forms.BaseForm],
    *,
    max_num: int,
    too_many: str,
    formset: type[CheckedFormSet] = CheckedFormSet,
    **kwargs,
) -> type[CheckedFormSet]:
    """``formset_factory`` for a page's rows: at most ``max_num`` rows are built
    whatever TOTAL_FORMS says (Django builds min(TOTAL_FORMS, absolute_max)
    forms before checking anything: 100000 built 1,000 rows only to refuse
    them), more are refused with ``too_many`` (a lazy message with
    ``%(num)d``), and negative or malformed counts with the hidden-field
    message."""
    base = type(
        formset.__name__,
        (formset,),
        {
            "default_error_messages": {
                **formset.default_error_messages,
                "too_many_forms": too_many,
            }
        },
    )
    return forms.formset_factory(
        form,
        formset=base,
        max_num=max_num,
        absolute_max=max_num,
        **kwargs,
    )


class PortalModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def _post_clean(self) -> None:
        super()._post_clean()
        report_hidden_errors(self)


def style_widgets(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(
            widget,
            (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect),
        ):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        existing = widget.attrs.get("class", "")
        widget.attrs["class"] = f"{existing} {css}".strip()


def set_plain_choices(field: forms.ModelChoiceField, pairs) -> None:
    """Render a model choice field's options from ``(value, label)`` pairs (a
    ``values_list`` queryset, read when the field is rendered) instead of one
    model instance per option; cleaning still goes through the field's queryset."""
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = lambda: [*empty, *pairs]


class DateInput(forms.DateInput):
    """``<input type="date">``: the browser's date picker takes and gives only
    ISO dates (YYYY-MM-DD). Django's DateInput would render the active locale's
    first input format, which for zh-hans is 2027/02/28 — a value the picker
    rejects, so a pre-filled date showed blank and the required field failed."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class PlainSelect(forms.Select):
    """A single-choice ``<select>`` of flat (value, label) options, written out in
    Python.

    Django builds a dict of attributes per option and renders one template per
    option: the task list's meeting filter (121 options on the bench data) took
    3.6–4.0 ms through Jinja2, this 1.4 ms. The markup is the same as
    ``forms.Select``'s (tests/ops/test_renderer.py compares them).
    Grouped choices fall back to Django's rendering.
    """

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        options, chosen = [], False
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            is_selected = not chosen and option_value in selected
            chosen = chosen or is_selected
            options.append((option_value, " selected" if is_selected else "", label))
        return format_html(
            "<select{}>{}</select>",
            flatatt(final_attrs),
            format_html_join("", '<option value="{}"{}>{}</option>', options),
        )


class WidgetRenderer(BaseRenderer):
    """Django's own form and widget templates through Jinja2, anything else
    (the admin's widgets, a project template) through Django templates.

    Django's template engine renders a ``<select>`` one ``include`` per option:
    the task list's filter bar (120 meetings, 12 units) spent ~45 ms there on the
    bench data, Jinja2 renders the same markup (django/forms/jinja2 ships the
    same templates) in about half. Django's ``Jinja2`` renderer alone cannot be
    used: it finds no template for the admin's widgets.
    """

    def __init__(self) -> None:
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name: str):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)


def error_text(error: ValidationError) -> str:
    """A service's refusal as one message line (its messages joined by "；")."""
    return "；".join(str(m) for m in error.messages)
