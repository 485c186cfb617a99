"""Form helpers shared by every app."""

from __future__ import annotations

from django import forms
from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class PortalForm(forms.Form):
    """A form whose widgets carry Bootstrap classes, so templates stay plain."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class PortalModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


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
