"""English interface: Chinese first, English by choice, and a complete catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.base import PortalTestCase

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def _unquote(lines: list[str]) -> str:
    """Join the quoted lines of one .po field into the string they stand for."""
    text = "".join(re.fullmatch(r'\s*"(.*)"\s*', line)[1] for line in lines)
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m[1], m[0]), text)


def po_entries(path: Path = PO_FILE) -> list[dict]:
    """A small .po reader: every entry's flags, msgid, msgid_plural and msgstr(s)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or all(line.startswith("#~") for line in lines):
            continue
        entry: dict = {"flags": set(), "fields": {}}
        field = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry["fields"][field].append(line)
            else:
                field, _space, rest = line.partition(" ")
                entry["fields"][field] = [rest]
        fields = {k: _unquote(v) for k, v in entry["fields"].items()}
        entries.append({"flags": entry["flags"], **fields})
    return entries


class ChineseFirstTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        # A request activates its language in this thread: restore it for other tests.
        self.addCleanup(translation.activate, translation.get_language())

    def test_browser_asking_for_english_still_gets_chinese(self):
        response = self.get_as(
            self.liaison_a, reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en"
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="zh-hans">')
        self.assertContains(response, "领导小组")
        self.assertContains(response, "职责分工")
        self.assertNotContains(response, "Leading group")
        self.assertNotContains(response, "Division of duties")

        response = self.get_as(
            self.liaison_a, reverse("members:group"), HTTP_ACCEPT_LANGUAGE="en"
        )
        self.assertContains(response, "组成人员")
        self.assertNotContains(response, "Membership")

    def test_unsupported_language_cookie_is_ignored(self):
        self.login(self.liaison_a)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        response = self.client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, '<html lang="zh-hans">')
        self.assertContains(response, "领导小组")


class LanguageSwitchTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.addCleanup(translation.activate, translation.get_language())

    def choose(self, language: str) -> None:
        response = self.client.post(
            reverse("set_language"), {"language": language, "next": "/"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME].value, language
        )

    def test_switch_to_english_and_back(self):
        # get_as/post_as log out, which clears the cookies: log in once and stay.
        self.login(self.liaison_a)
        self.choose("en")

        home = self.client.get(reverse("home"))
        self.assertEqual(home.status_code, 200)
        self.assertContains(home, '<html lang="en">')
        self.assertContains(home, "Leading group")
        self.assertContains(home, "Division of duties")
        self.assertContains(home, "Workspace")
        self.assertContains(home, "Log out")
        self.assertNotContains(home, "退出登录")

        group = self.client.get(reverse("members:group"))
        self.assertEqual(group.status_code, 200)
        self.assertContains(group, "Group leader")
        self.assertContains(group, "Deputy group leader")
        self.assertContains(group, "Office director")
        self.assertContains(group, "Membership")
        self.assertNotContains(group, "组成人员")

        self.choose("zh-hans")
        home = self.client.get(reverse("home"))
        self.assertContains(home, '<html lang="zh-hans">')
        self.assertContains(home, "领导小组")
        self.assertContains(home, "退出登录")
        self.assertNotContains(home, "Leading group")
        group = self.client.get(reverse("members:group"))
        self.assertContains(group, "组成人员")
        self.assertNotContains(group, "Deputy group leader")

    def test_language_cookie_alone_selects_english(self):
        self.login(self.office)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Office workspace")
        self.assertContains(response, "Supervised tasks")

    def test_dates_follow_the_language(self):
        from django.utils import formats, timezone

        today = timezone.localdate()
        self.login(self.office)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = self.client.get(reverse("home")).content.decode()
        with translation.override("en"):
            self.assertIn(formats.date_format(today, "DATE_FORMAT"), english)
        self.assertNotIn(f"{today.year}年{today.month}月{today.day}日", english)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        chinese = self.client.get(reverse("home")).content.decode()
        self.assertIn(f"{today.year}年{today.month}月{today.day}日", chinese)

    def test_login_page_in_english(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.client.get(reverse("login"))
        self.assertContains(response, "Log in")
        self.assertContains(response, "Password")


class CatalogueTests(PortalTestCase):
    def test_po_header_declares_english_plurals(self):
        header = po_entries()[0]
        self.assertEqual(header["msgid"], "")
        self.assertIn("Language: en\n", header["msgstr"])
        self.assertIn("Plural-Forms: nplurals=2; plural=(n != 1);", header["msgstr"])

    def test_every_entry_is_translated_and_not_fuzzy(self):
        entries = po_entries()[1:]
        self.assertGreater(len(entries), 500)
        untranslated = [
            e["msgid"]
            for e in entries
            if not all(v for k, v in e.items() if k.startswith("msgstr"))
        ]
        self.assertEqual(untranslated, [])
        fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
        self.assertEqual(fuzzy, [])

    def test_placeholders_are_kept(self):
        placeholder = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdif%]")
        wrong = []
        for e in po_entries()[1:]:
            if "python-format" not in e["flags"]:
                continue
            source = sorted(placeholder.findall(e.get("msgid_plural", e["msgid"])))
            for key, value in e.items():
                if (
                    key.startswith("msgstr")
                    and sorted(placeholder.findall(value)) != source
                ):
                    wrong.append((e["msgid"], value))
        self.assertEqual(wrong, [])

    def test_compiled_catalogue_matches_the_po_file(self):
        self.assertTrue(MO_FILE.exists(), "run compilemessages")
        with translation.override("en"):
            for e in po_entries()[1:]:
                if "msgid_plural" in e:
                    self.assertEqual(
                        translation.ngettext(e["msgid"], e["msgid_plural"], 1),
                        e["msgstr[0]"],
                    )
                    self.assertEqual(
                        translation.ngettext(e["msgid"], e["msgid_plural"], 5),
                        e["msgstr[1]"],
                    )
                elif "msgctxt" in e:
                    self.assertEqual(
                        translation.pgettext(e["msgctxt"], e["msgid"]), e["msgstr"]
                    )
                else:
                    self.assertEqual(translation.gettext(e["msgid"]), e["msgstr"])

    def test_lazy_alias_strings_are_in_the_catalogue(self):
        """Strings wrapped with the `_l` alias (gettext_lazy) need extracting too.

        xgettext knows `_` and `gettext_lazy` but not `_l`: a plain makemessages drops
        these labels from the catalogue and the English forms fall back to Chinese.
        """
        msgids = {e["msgid"] for e in po_entries()[1:]}
        missing = []
        for app in ("members", "duties", "meetings", "tasks", "jinwei_ip"):
            for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
                if "migrations" in path.parts:
                    continue
                tree = ast.parse(path.read_text(encoding="utf-8"))
                for node in ast.walk(tree):
                    if (
                        isinstance(node, ast.Call)
                        and isinstance(node.func, ast.Name)
                        and node.func.id == "_l"
                        and node.args
                        and isinstance(node.args[0], ast.Constant)
                        and node.args[0].value not in msgids
                    ):
                        missing.append(
                            f"{path.name}:{node.lineno} {node.args[0].value}"
                        )
        self.assertEqual(
            missing,
            [],
            "extract with xgettext --keyword=_l (or import gettext_lazy as _)",
        )

    def test_known_terms(self):
        with translation.override("en"):
            self.assertEqual(translation.gettext("督办任务"), "Supervised tasks")
            self.assertEqual(translation.gettext("议定事项"), "Decided matter")
            self.assertEqual(translation.gettext("牵头单位"), "Lead unit")
            self.assertEqual(translation.gettext("列席"), "In attendance (non-voting)")
            self.assertEqual(
                translation.gettext("操作过于频繁，请在 %(n)d 分钟后再试。") % {"n": 5},
                "Too many attempts. Please try again in 5 minutes.",
            )
        with translation.override("zh-hans"):
            self.assertEqual(translation.gettext("督办任务"), "督办任务")
