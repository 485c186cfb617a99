"""docs/SECURITY.md maps each control to code and tests that exist."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import SimpleTestCase

ROOT = settings.BASE_DIR
CONTROLS = [
    "身份鉴别",
    "访问控制",
    "安全审计",
    "入侵防范",
    "恶意代码防范",
    "数据完整性",
    "数据保密性",
    "数据备份恢复",
    "剩余信息保护",
    "个人信息保护",
    "三员分立",
]


class SecurityDocTests(SimpleTestCase):
    def setUp(self) -> None:
        self.text = (ROOT / "docs" / "SECURITY.md").read_text(encoding="utf-8")

    def test_every_control_has_a_section(self) -> None:
        headings = [line for line in self.text.splitlines() if line.startswith("## ")]
        for control in CONTROLS:
            self.assertTrue(any(control in h for h in headings), control)

    def test_named_files_and_tests_exist(self) -> None:
        all_tests = "\n".join(
            p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py")
        )
        for path in set(
            re.findall(
                r"`((?:tests|security|jinwei_ip|members|tasks)/[\w/]+\.py)", self.text
            )
        ):
            self.assertTrue((ROOT / path).exists(), path)
        names = set(re.findall(r"(?<![/\w])(test_\w+)\b(?!\.py)", self.text))
        self.assertGreater(len(names), 20)
        missing = [n for n in names if f"def {n}(" not in all_tests]
        self.assertEqual(missing, [])
