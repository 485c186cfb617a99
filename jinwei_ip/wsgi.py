"""WSGI entry point (gunicorn jinwei_ip.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinwei_ip.settings")
application = get_wsgi_application()
