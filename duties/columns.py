"""Figures other apps add to the duty catalogue, one column each.

duties sits below the apps that use its clauses (tasks, oversight) and may not
import them; an app that counts something per clause registers a column from its
``AppConfig.ready`` and the catalogue shows it to the people it is meant for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from jinwei_ip.lib.hooks import Hook
from members.models import User

from .models import DutyClause


@dataclass(frozen=True)
class Cell:
    count: int
    url: str = ""
    key: str = ""


@dataclass(frozen=True)
class ClauseColumn:
    """A column of the catalogue: its heading and a cell per clause on the page.

    ``key`` names the column in the page (``data-figure``) for tests and scripts."""

    key: str
    heading: str
    cells: dict[int, Cell] = field(default_factory=dict)

    def cell(self, clause: DutyClause) -> Cell:
        cell = self.cells.get(clause.pk)
        return Cell(cell.count if cell else 0, cell.url if cell else "", self.key)


# (viewer, the clauses on the page) → a column, or None when not for this viewer
ColumnProvider = Callable[[User, list[DutyClause]], ClauseColumn | None]
providers: Hook[ColumnProvider] = Hook("duties.columns.providers")


def columns_for(user: User, clauses: list[DutyClause]) -> list[ClauseColumn]:
    columns = [provider(user, clauses) for provider in providers]
    return [column for column in columns if column is not None]
