"""The parts of ``manage.py seed_bench``, one module per app's data."""
