"""The jobs app sits beside members: it imports nothing from the apps on its
right (they plug their exports in through jobs.exports.runner)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {"jobs", "members", "jinwei_ip", "django", "huey"}
PROJECT_APPS = {
    "members",
    "duties",
    "meetings",
    "tasks",
    "campaigns",
    "oversight",
    "notices",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_jobs_imports_only_members_and_the_library():
    files = sorted((ROOT / "jobs").rglob("*.py"))
    assert files
    for path in files:
        project = imported_modules(path) & (PROJECT_APPS | ALLOWED)
        wrong = project - ALLOWED
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"
