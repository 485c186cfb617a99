"""Form helpers shared by every app."""

from __future__ import annotations

from django import forms


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
