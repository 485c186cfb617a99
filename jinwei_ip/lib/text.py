"""Text that reaches an official document (minutes, decided matters, bulletins,
task titles, attendance lists…): what it may contain.

Two kinds of character are refused, with a message naming the field:

- invisible and control characters: the C0/C1 controls (tab and line breaks
  excepted), the bidirectional controls U+202A–U+202E and U+2066–U+2069 (they make
  a PDF print a title reversed while the stored text reads right), zero-width and
  other format characters, private-use, surrogate and unassigned code points;
- characters the document fonts cannot print (an emoji prints as an empty box):
  a character is printable when the body font of the documents (the first
  installed face of ``pdf.FONT_FANGSONG``, Noto Serif CJK SC on Debian) has a
  glyph for it, read from the font's own cmap with fontTools. A server with no
  CJK font (it cannot print at all) falls back to a fixed set of Unicode blocks.

Nothing is stripped silently: the person sees what to change, and what is
stored is what they typed.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import unicodedata

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

ALLOWED_CONTROLS = frozenset("\t\n\r")
BIDI_CONTROLS = frozenset(
    chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
# Categories never printable: controls, format (bidi, zero width, BOM),
# surrogates, private use, unassigned.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})

# When no CJK font is installed: the blocks the official fonts cover.
FALLBACK_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x024F),  # Latin-1, Latin Extended-A/B
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x2000, 0x206F),  # General Punctuation
    (0x2100, 0x214F),  # Letterlike symbols (℃, №)
    (0x2150, 0x218F),  # Number forms (Ⅰ Ⅱ)
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical operators
    (0x2460, 0x24FF),  # Enclosed alphanumerics (① ②)
    (0x2500, 0x257F),  # Box drawing
    (0x25A0, 0x25FF),  # Geometric shapes (■ ○)
    (0x2600, 0x2606),  # ★ ☆ and a few symbols
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # Kana
    (0x3200, 0x33FF),  # Enclosed CJK, CJK compatibility
    (0x3400, 0x4DBF),  # CJK Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # Full-width forms
)


def _fc_match(family: str) -> tuple[str, int] | None:
    """The font file fontconfig uses for ``family``, when it has that family
    itself (fc-match always answers something; a substitute is not a match)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        # Fixed argv (fc-match from PATH), the family from our own font stack.
        out = subprocess.run(  # noqa: S603
            [fc_match, "-f", "%{file}\n%{index}\n%{family}", family],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    lines = out.split("\n")
    if len(lines) < 3 or family not in [f.strip() for f in lines[2].split(",")]:
        return None
    try:
        return lines[0], int(lines[1] or 0)
    except ValueError:
        return None


@functools.cache
def printable_codepoints() -> frozenset[int] | None:
    """The code points the body font of the documents has glyphs for, or None
    when no font of the stack is installed (then ``FALLBACK_RANGES`` decide)."""
    from fontTools.ttLib import TTFont

    from .pdf import FONT_FANGSONG

    families = [f.strip().strip('"') for f in FONT_FANGSONG.split(",")]
    for family in families:
        if family in ("serif", "sans-serif"):
            continue
        found = _fc_match(family)
        if found is None:
            continue
        path, index = found
        try:
            font = TTFont(path, fontNumber=index, lazy=True)
            cmap = font.getBestCmap() or {}
        except Exception:
            log.warning("font %s (%s) unreadable; trying the next one", path, family)
            continue
        if cmap:
            return frozenset(cmap)
    return None


def is_printable(char: str) -> bool:
    code = ord(char)
    if char == " " or char in ALLOWED_CONTROLS:
        return True
    covered = printable_codepoints()
    if covered is not None:
        return code in covered
    return any(low <= code <= high for low, high in FALLBACK_RANGES)


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def official_text_problem(value: str) -> str | None:
    """What is wrong with ``value`` for an official document, or None."""
    invisible: list[str] = []
    unprintable: list[str] = []
    for char in value:
        if char in ALLOWED_CONTROLS:
            continue
        if char in BIDI_CONTROLS or unicodedata.category(char) in INVISIBLE_CATEGORIES:
            if char not in invisible:
                invisible.append(char)
        elif not is_printable(char) and char not in unprintable:
            unprintable.append(char)
    problems = []
    if invisible:
        problems.append(
            _(
                "含有看不见的控制字符（%(codes)s，可能来自复制粘贴），"
                "会使公文显示错乱，请删去后重新输入。"
            )
            % {"codes": "、".join(_describe(c) for c in invisible[:5])}
        )
    if unprintable:
        problems.append(
            _(
                "含有公文字体无法打印的字符“%(chars)s”（%(codes)s），请删去或改用文字表述。"
            )
            % {
                "chars": "”“".join(unprintable[:5]),
                "codes": "、".join(_describe(c) for c in unprintable[:5]),
            }
        )
    return "".join(problems) or None


def validate_official_text(value: str) -> None:
    """A form-field validator: refuses what ``official_text_problem`` finds.
    Django prints a field's errors beside it, and the formset helpers of the
    portal put the field's label before the message."""
    problem = official_text_problem(value or "")
    if problem:
        raise ValidationError(problem, code="official_text")


def length_message(label: str, limit: int, length: int) -> str:
    return _("“%(label)s”最多 %(limit)d 字（现在 %(length)d 字），请删减后再提交。") % {
        "label": label,
        "limit": limit,
        "length": length,
    }


def check_official_texts(
    fields: dict[str, tuple[str, str] | tuple[str, str, int | None]],
) -> None:
    """The same rule for services: ``{"title": (label, value)}``, or
    ``(label, value, max_length)`` for text with a length limit (refused, never
    cut: PostgreSQL would raise on a longer value, SQLite would keep it); raises
    one ValidationError keyed by field, each message naming its field."""
    errors = {}
    for name, spec in fields.items():
        label, value = spec[0], spec[1] or ""
        limit = spec[2] if len(spec) > 2 else None
        problem = official_text_problem(value)
        if problem:
            errors[name] = _("%(label)s%(problem)s") % {
                "label": label,
                "problem": problem,
            }
        elif limit is not None and len(value.strip()) > limit:
            errors[name] = length_message(label, limit, len(value.strip()))
    if errors:
        raise ValidationError(errors)


class _NamedMaxLength(validators.MaxLengthValidator):
    """Django's length check with a message naming the field (the message is
    read also where a field's error stands away from the field: a formset's
    summary, a page message)."""

    def __init__(self, limit: int, label) -> None:
        super().__init__(limit)
        self.label = label

    def __call__(self, value) -> None:
        length = self.clean(value)
        if self.compare(length, self.limit_value):
            raise ValidationError(
                length_message(str(self.label or ""), self.limit_value, length),
                code=self.code,
            )

    def __eq__(self, other) -> bool:
        return super().__eq__(other) and self.label == getattr(other, "label", None)


class OfficialTextField(forms.CharField):
    """A CharField for text printed in an official document; its refusal names
    the field: “纪要标题”含有看不见的控制字符……, “纪要标题”最多 200 字……"""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators = [
                _NamedMaxLength(int(self.max_length), self.label)
                if isinstance(v, validators.MaxLengthValidator)
                else v
                for v in self.validators
            ]

    def validate(self, value) -> None:
        super().validate(value)
        problem = official_text_problem(value or "")
        if problem:
            raise ValidationError(
                _("“%(label)s”%(problem)s")
                % {"label": self.label or "", "problem": problem},
                code="official_text",
            )
