"""The audit chain stays linear when several processes write at once.

On PostgreSQL each writer updates the chain head's row first, which holds a row
lock until it commits: threads with their own connections write concurrently and
the chain must come out without a fork or a gap. (SQLite serialises writers by
itself; the test runs on PostgreSQL: DATABASE_URL=postgres://… make test.)
"""

from __future__ import annotations

import threading
import unittest

from django.db import connection, connections
from django.test import TransactionTestCase

from security.audit import record, verify_chain
from security.models import AuditChainHead, AuditEntry

THREADS = 6
EACH = 15


@unittest.skipUnless(connection.vendor == "postgresql", "needs PostgreSQL")
class ConcurrentWritesTests(TransactionTestCase):
    # Real commits from several connections: no test transaction around them.
    # Only the security app's tables are emptied afterwards, not the fixed cast.
    available_apps = ["security"]

    def tearDown(self) -> None:
        AuditEntry.objects.all().delete()
        AuditChainHead.objects.all().delete()

    def test_concurrent_writers_keep_one_chain(self) -> None:
        AuditEntry.objects.all().delete()
        AuditChainHead.objects.all().delete()
        start = threading.Barrier(THREADS)
        errors: list[BaseException] = []

        def writer(n: int) -> None:
            try:
                start.wait()
                for i in range(EACH):
                    record(action="login", username=f"w{n}-{i}")
            except BaseException as error:  # reported below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
        self.assertEqual(seqs, list(range(1, THREADS * EACH + 1)))
        self.assertEqual(
            AuditEntry.objects.values("prev_hash").distinct().count(), THREADS * EACH
        )
        checked, broken = verify_chain()
        self.assertIsNone(broken)
        self.assertEqual(checked, THREADS * EACH)
