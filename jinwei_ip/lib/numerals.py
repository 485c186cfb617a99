"""Chinese numerals as official documents write them (一、二、……十一)."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """0 → 零, 1 → 一, 10 → 十, 23 → 二十三 (up to 99: decided matters, quarters,
    headings)."""
    if not 0 <= n < 100:
        raise ValueError(f"chinese_numeral takes 0–99, not {n}")
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[ones] if ones else ''}"
