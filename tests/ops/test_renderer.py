"""Form widgets: Django's own widget templates through Jinja2, the rest through
Django templates (jinwei_ip.lib.forms.WidgetRenderer); the filter bars' selects
written out in Python (PlainSelect)."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.renderers import get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template
from django.test import SimpleTestCase

from jinwei_ip.lib.forms import PlainSelect, WidgetRenderer


class RendererTests(SimpleTestCase):
    def test_it_is_the_portal_renderer(self) -> None:
        self.assertIsInstance(get_default_renderer(), WidgetRenderer)

    def test_django_widgets_render_through_jinja2(self) -> None:
        renderer = WidgetRenderer()
        template = renderer.get_template("django/forms/widgets/select.html")
        self.assertIsInstance(template, Jinja2Template)
        field = forms.ChoiceField(choices=[("a", "甲<单位>"), ("b", "乙")])
        html = field.widget.render("unit", "b", renderer=renderer)
        self.assertIn('<option value="b" selected>乙</option>', html)
        self.assertIn("甲&lt;单位&gt;", html)  # escaped as Django would

    def test_admin_widgets_fall_back_to_django_templates(self) -> None:
        renderer = WidgetRenderer()
        template = renderer.get_template("admin/widgets/date.html")
        self.assertIsInstance(template, DjangoTemplate)
        html = AdminDateWidget().render("day", "2026-12-01", renderer=renderer)
        self.assertIn('name="day"', html)
        self.assertIn("vDateField", html)


class PlainSelectTests(SimpleTestCase):
    CHOICES = [("", "全部单位"), ("sfj", "区司法局<局>"), (3, "三"), ("3", "重复")]

    def render_both(self, name, value, **kwargs):
        attrs = {"class": "form-select", "data-autosubmit": ""}
        plain = PlainSelect(attrs=attrs, choices=self.CHOICES)
        django = forms.Select(attrs=attrs, choices=self.CHOICES)
        return plain.render(name, value, **kwargs), django.render(name, value, **kwargs)

    def test_same_markup_as_django_select(self) -> None:
        for value in (None, "", "sfj", 3, "3", "missing", ["sfj"]):
            with self.subTest(value=value):
                plain, django = self.render_both("unit", value, attrs={"id": "id_unit"})
                self.assertHTMLEqual(plain, django)

    def test_escapes_and_selects_only_the_first_match(self) -> None:
        html, _django = self.render_both("unit", "3")
        self.assertIn("区司法局&lt;局&gt;", html)
        self.assertEqual(html.count(" selected"), 1)
        self.assertIn('<option value="3" selected>三</option>', html)

    def test_in_a_form_with_required_and_lazy_choices(self) -> None:
        class Form(forms.Form):
            unit = forms.ChoiceField(
                choices=lambda: [("", "请选择"), ("a", "甲")], widget=PlainSelect
            )

        html = str(Form(data={"unit": "a"})["unit"])
        self.assertHTMLEqual(
            html,
            '<select name="unit" id="id_unit" required>'
            '<option value="">请选择</option><option value="a" selected>甲</option>'
            "</select>",
        )

    def test_grouped_choices_render_as_django_does(self) -> None:
        grouped = [("区属", [("a", "甲"), ("b", "乙")]), ("c", "丙")]
        plain = PlainSelect(choices=grouped).render("u", "b")
        self.assertHTMLEqual(plain, forms.Select(choices=grouped).render("u", "b"))
        self.assertIn("<optgroup", plain)
