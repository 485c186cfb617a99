from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark data (``manage.py seed_bench``): installed for development, the test
    suite and the benchmarks (``JINWEI_BENCH=1``), never in production."""

    name = "bench"
    verbose_name = "Benchmarks"
