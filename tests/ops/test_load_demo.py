"""`make run` prints the demo logins as a table that lines up in a terminal, where
a Chinese character takes two columns."""

from __future__ import annotations

from django.test import SimpleTestCase

from members.management.commands.load_demo import display_width, login_lines


class LoginTableTests(SimpleTestCase):
    def test_display_width_counts_cjk_twice(self):
        self.assertEqual(display_width("office"), 6)
        self.assertEqual(display_width("联络员"), 6)
        self.assertEqual(display_width("区司法局（2）"), 13)

    def test_unit_column_lines_up(self):
        lines = login_lines(
            [
                ("office", "办公室工作人员", "区市场监管局"),
                ("zuzhang", "领导小组领导", ""),
                ("liaison_sfj", "联络员", "区司法局"),
                ("head_sfj", "单位分管负责同志", "区司法局"),
            ]
        )
        self.assertEqual(lines[1], "  zuzhang            领导小组领导")
        starts = {
            display_width(line[: line.rindex(line.split()[-1])])
            for line in lines
            if len(line.split()) == 3
        }
        self.assertEqual(starts, {2 + 18 + 1 + 16 + 2})
