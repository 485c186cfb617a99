"""The apps depend on each other one way only (README, "Layout"): an app imports
only the apps to its left in

    jinwei_ip/lib ← members ← jobs ← notices ← duties ← meetings ← tasks
                  ← campaigns ← annual ← oversight ← bench, jinwei_ip (the project)

``jobs`` (the job queue's rows: the outbox, export jobs) imports only members and
lib; the apps to its right plug their exports into it. ``notices`` sits beside
members: it imports only members, lib and jobs (its mail goes to the outbox), and
every app to its right may tell people things through it. ``security`` (the administrators,
the policy, two-factor, the audit log as data) sits beside members too and imports
only members and lib; lib reaches it only through a sink it registers
(``jinwei_ip.lib.audit.add_sink``) and settings' dotted paths. ``jinwei_ip`` itself (settings,
URLs, the home page) composes every app; ``bench`` (benchmark data, not installed
in production) seeds every app. New apps take their place in ``ORDER``
(``campaigns`` and ``annual`` are already there).

The test reads every module's imports (``ast``, the ones inside functions too);
migrations are left out (their dependencies follow the history of the tables).
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# left to right: an app may import only the ones before it
ORDER = [
    "jinwei_ip.lib",
    "members",
    "jobs",
    "security",
    "notices",
    "duties",
    "meetings",
    "tasks",
    "campaigns",
    "annual",
    "oversight",
    "bench",
    "jinwei_ip",
]

# (importing module, imported app): why it is allowed. Keep this list short.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def layer_of(module: str) -> str | None:
    """The entry of ORDER a dotted module name belongs to (the longest match)."""
    matches = [
        name for name in ORDER if module == name or module.startswith(name + ".")
    ]
    return max(matches, key=len) if matches else None


def modules() -> list[tuple[str, Path]]:
    found = []
    for name in ORDER:
        base = ROOT / name.replace(".", "/")
        if not base.is_dir():
            continue
        for path in base.rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            dotted = ".".join(relative.with_suffix("").parts)
            if layer_of(dotted) == name:
                found.append((dotted, path))
    return found


def imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names.add(target)
    return names


def refused(own: str, other: str) -> bool:
    """Whether a module of ``own`` may not import ``other``."""
    if own == other:
        return False
    if own == "jobs":  # the queue's rows, beside members: members and lib only
        return other not in ("jinwei_ip.lib", "members")
    if own == "security":  # beside members: members and lib only
        return other not in ("jinwei_ip.lib", "members")
    if own == "notices":  # beside members: members, its mail's outbox and lib only
        return other not in ("jinwei_ip.lib", "members", "jobs")
    return ORDER.index(other) > ORDER.index(own)


def violations() -> list[str]:
    found = []
    for module, path in modules():
        own = layer_of(module)
        for target in sorted(imports(path, module)):
            other = layer_of(target)
            if other is None or not refused(own, other):
                continue
            if (module, other) in EXCEPTIONS:
                continue
            found.append(f"{module} imports {target} ({own} may not import {other})")
    return found


def test_apps_import_only_to_their_left() -> None:
    assert violations() == []


def test_the_rule() -> None:
    assert refused("members", "duties")
    assert refused("tasks", "oversight")
    assert refused("campaigns", "annual")
    assert refused("notices", "duties")
    assert refused("jinwei_ip.lib", "members")
    assert not refused("notices", "members")
    assert not refused("notices", "jobs")
    assert refused("jobs", "notices")
    assert refused("jobs", "tasks")
    assert refused("security", "tasks")
    assert not refused("security", "members")
    assert not refused("meetings", "notices")
    assert not refused("oversight", "tasks")
    assert not refused("annual", "campaigns")
    assert not refused("jinwei_ip", "oversight")


def test_the_test_sees_imports() -> None:
    """The reader finds what it must: relative, nested and lazy imports."""
    found = imports(ROOT / "tasks" / "services.py", "tasks.services")
    assert "tasks.models" in found
    assert "members.models" in found
    assert layer_of("jinwei_ip.lib.pdf") == "jinwei_ip.lib"
    assert layer_of("jinwei_ip.urls") == "jinwei_ip"
    assert layer_of("django.db") is None


def test_every_installed_app_has_its_place() -> None:
    """A new app must be put in ORDER (else nothing holds its dependencies)."""
    own = [
        app
        for app in settings.INSTALLED_APPS
        if (ROOT / app.replace(".", "/")).is_dir()
    ]
    assert [app for app in own if app not in ORDER] == []
