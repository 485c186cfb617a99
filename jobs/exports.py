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

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Job


class JobError(Exception):
    """A failure to tell the person in their words (Chinese), not a crash."""


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
