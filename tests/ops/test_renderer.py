"""Form widgets: Django's own widget templates through Jinja2, the rest through
Django templates (jinwei_ip.lib.forms.WidgetRenderer)."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.renderers import get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template
from django.test import SimpleTestCase

from jinwei_ip.lib.forms import WidgetRenderer


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
