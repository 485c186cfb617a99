"""The kinds of long work a person can ask for, by name.

An app that has a long export or import declares it in its ``background.py``::

    @exports.runner("task_ledger_pdf")
    def ledger_pdf(job: Job, progress: Progress) -> Output: ...

An export returns its file (``Output``); work whose result is a page, such as an
import, returns a ``Link`` to it and a line saying what was done.

so this app runs jobs without importing the apps that define them (it sits
beside ``members``; the apps on its right plug in here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Job


class JobError(Exception):
    """A failure to tell the person in their words (Chinese), not a crash."""


@contextmanager
def refused_as(message: str) -> Iterator[None]:
    """A runner asks for its object again as the job's owner (a 404 of the app's
    access helper: gone, or no longer theirs) and fails with ``message``."""
    from django.http import Http404

    try:
        yield
    except Http404 as error:
        raise JobError(message) from error


@contextmanager
def cjk_fonts(also: str = "") -> Iterator[None]:
    """A PDF laid out on a server without a Chinese font
    (``jinwei_ip.lib.pdf.CJKFontsMissing``) fails with what the administrator
    must install, and ``also`` (what the person can do meanwhile)."""
    from django.utils.translation import gettext as _

    from jinwei_ip.lib.pdf import INSTALL_HINT, CJKFontsMissing

    try:
        yield
    except CJKFontsMissing as error:
        raise JobError(
            _(
                "服务器没有安装中文字体，暂时无法生成 PDF。"
                "请联系系统管理员安装 Noto CJK 字体：%(cmd)s。"
            )
            % {"cmd": INSTALL_HINT}
            + also
        ) from error


@dataclass(frozen=True)
class Output:
    data: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class Link:
    url: str
    text: str


Progress = Callable[[int, str], None]
Runner = Callable[["Job", Progress], Output | Link]

RUNNERS: dict[str, Runner] = {}


def runner(kind: str) -> Callable[[Runner], Runner]:
    def register(fn: Runner) -> Runner:
        RUNNERS[kind] = fn
        return fn

    return register
