"""Line breaks for official document titles (GB/T 9704-2012 7.3.1).

A title that does not fit on one line must break "词意完整，排列对称，长短适宜"
and be set as a trapezoid or a diamond (梯形或菱形). The PDF engine breaks CJK
text anywhere, so a long title could leave "议纪要" alone on its last line. Here
the title is cut into words (jieba, with the group's own vocabulary added), glued
where a break would split a date, a number or a bracket, and the break points are
chosen among word boundaries so that the lines are as even as possible and their
lengths form a trapezoid (each line no longer, or no shorter, than the one above)
or a diamond (longest in the middle).

``title_lines(title, *, max_em=20)`` returns the lines; templates print each as a
block that never wraps (``.doc-title .line`` in pdf/official.css).
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
import unicodedata

# A 2号 (22 pt) title on the 156 mm type area: 442 pt / 22 pt = 20 characters.
TITLE_MAX_EM = 20

# Words the general dictionary does not know as one piece.
VOCABULARY = (
    "金台区",
    "宝鸡市",
    "知识产权",
    "领导小组",
    "工作协调",
    "强区建设",
    "全体会议",
    "专题会议",
    "临时会议",
    "成员单位",
    "部分成员单位",
    "会议纪要",
    "工作计划",
    "工作总结",
    "专项行动",
    "联合执法",
    "宣传活动",
    "宣传周",
    "议定事项",
    "落实情况",
    "进展情况",
    "材料汇编",
)

OPENING = set("（《〔“‘「『【([")
CLOSING = set("）》〕”’」』】)]、，。；：！？,.;:!?")
# Characters that belong with the number before them: 2026年, 3期, 第一次.
# Joiners inside a name or a date (4·26, 2026-2027): never a line end or start.
JOINERS = set("·-—/～~")
NUMBER_UNITS = set("年月日期号次季度届批项条个")
CHINESE_DIGITS = set("〇零一二三四五六七八九十百")


@functools.cache
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in VOCABULARY:
        tokenizer.add_word(word, freq=200000)
    return tokenizer


def char_em(char: str) -> float:
    """Width of one character in em: full width 1, Latin letters and digits ~0.55."""
    if unicodedata.east_asian_width(char) in ("F", "W"):
        return 1.0
    return 0.55


def text_em(text: str) -> float:
    return sum(char_em(c) for c in text)


def _is_number(token: str) -> bool:
    return token.isdigit() or all(c in CHINESE_DIGITS for c in token)


def title_words(title: str) -> list[str]:
    """The title cut into pieces no line break may split."""
    words: list[str] = []
    glue_next = False
    for token in _tokenizer().lcut(title, HMM=False):
        first = token[0]
        glue = bool(words) and (
            glue_next
            or first in CLOSING
            or first in JOINERS
            or (first in NUMBER_UNITS and _is_number(words[-1][-1:]))
            or (_is_number(token) and words[-1].endswith("第"))
            or (token.isdigit() and words[-1][-1:].isdigit())
        )
        if glue:
            words[-1] += token
        else:
            words.append(token)
        glue_next = token[-1] in OPENING or token[-1] in JOINERS or token == "第"
    return words


def _shape_ok(lengths: list[float]) -> bool:
    """Trapezoid (monotonic) or diamond (rises then falls)."""
    if len(lengths) <= 2:
        return True
    peak = lengths.index(max(lengths))
    rising = all(a <= b for a, b in itertools.pairwise(lengths[: peak + 1]))
    falling = all(a >= b for a, b in itertools.pairwise(lengths[peak:]))
    return rising and falling


def title_lines(title: str, *, max_em: float = TITLE_MAX_EM) -> list[str]:
    """Break ``title`` into balanced lines of at most ``max_em`` each."""
    title = " ".join(title.split())
    if text_em(title) <= max_em:
        return [title] if title else []
    words = title_words(title)
    widths = [text_em(w) for w in words]
    total = sum(widths)
    start = max(2, math.ceil(total / max_em))
    for count in range(start, min(len(words), start + 3) + 1):
        best: tuple[tuple[float, ...], list[str]] | None = None
        for cuts in itertools.combinations(range(1, len(words)), count - 1):
            bounds = (0, *cuts, len(words))
            lengths = [sum(widths[a:b]) for a, b in itertools.pairwise(bounds)]
            if max(lengths) > max_em:
                continue
            # A shape of the standard first, then the most even lines, then the
            # longer line on top (the usual 正梯形 of a two-line title).
            key = (
                0 if _shape_ok(lengths) else 1,
                round(max(lengths) - min(lengths), 2),
                -lengths[0],
            )
            if best is None or key < best[0]:
                lines = ["".join(words[a:b]) for a, b in itertools.pairwise(bounds)]
                best = (key, lines)
        if best is not None:
            return best[1]
    # A single word longer than a line: let the engine wrap it.
    return [title]
