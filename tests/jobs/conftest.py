from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _empty_queue():
    """Every test starts with an empty queue (the test queue runs jobs at once,
    but a retry waits in its in-memory schedule)."""
    from huey.contrib.djhuey import HUEY

    HUEY.flush()
    yield
    HUEY.flush()
