"""Hooks: how an app lets the apps to its right add to what it does, without
importing them (the dependency rule, tests/test_layers.py).

The app that owns a page or a workflow defines a ``Hook``; an app to its right
registers a function into it from its ``AppConfig.ready``; the owner calls every
registered function where it needs them. Examples: the daily digest asks each
app what its people should hear about (``notices.digest.providers``); the duty
catalogue shows oversight's count of tasks per clause (``duties.columns``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

F = TypeVar("F", bound=Callable)


class Hook(Generic[F]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._functions: list[F] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._functions)} registered>"

    def register(self, function: F) -> F:
        """Add ``function`` (once: a second ``ready()`` adds nothing); usable as a
        decorator."""
        if function not in self._functions:
            self._functions.append(function)
        return function

    def __iter__(self) -> Iterator[F]:
        return iter(list(self._functions))
