#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinwei_ip.settings")
    # A developer's shell has neither DEBUG nor SECRET_KEY: manage.py then runs in
    # debug mode, so `manage.py check` or `shell` work on a fresh clone. A server's
    # environment always sets SECRET_KEY (and DEBUG=0), and gunicorn loads wsgi.py,
    # where DEBUG stays off unless it is set.
    if "DEBUG" not in os.environ and "SECRET_KEY" not in os.environ:
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
