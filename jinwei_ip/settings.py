"""Settings for jinwei_ip: one file, configured by the environment.

Every value a deployment changes comes from an environment variable; the defaults
give a local demo on SQLite (``make run``).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DEBUG")
TESTING = env_bool("JINWEI_TESTING")
# the benchmark scripts (bench/) run production-like, DEBUG off, with seed_bench
BENCH = env_bool("JINWEI_BENCH")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
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
]
if DEBUG or TESTING or BENCH:
    INSTALLED_APPS.append("bench")  # manage.py seed_bench: benchmark data

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Cache-Control: private, no-store for signed-in people; Permissions-Policy
    "security.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jinwei_ip.lib.security.SessionRefreshMiddleware",
    "jinwei_ip.lib.locale.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # refusals (403, and 404 to signed-in people) to the audit log; connects the
    # login, logout, failure and lock-out signals on start-up
    "jinwei_ip.lib.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # two-factor verification or enrolment, forced password change, idle timeout
    "security.middleware.SecurityPolicyMiddleware",
    # 405 and 400 with the portal's own page, like 403 and 404
    "jinwei_ip.lib.errors.ErrorPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jinwei_ip.urls"
WSGI_APPLICATION = "jinwei_ip.wsgi.application"
FORM_RENDERER = "jinwei_ip.lib.forms.WidgetRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "members.context_processors.portal",
            ],
            "libraries": {"official": "jinwei_ip.lib.official_tags"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A demo database must never keep a connection open across requests for long.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "members.backends.PortalBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# The password rules of GB/T 22239 level 2; length, classes and history depth are
# the security administrator's (security.SecurityPolicy, set in the browser).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "security.validators.PolicyLengthValidator"},
    {"NAME": "security.validators.CharacterClassValidator"},
    {"NAME": "security.validators.NotUsernameValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "security.validators.HistoryValidator"},
]
# The demo (make run) and the test suite: their fixed accounts are not forced to
# enrol two-factor or change their password (first sign-in, expiry). Production
# leaves it off; check --deploy warns when it is on (security.W001).
SECURITY_DEMO_EXEMPT = env_bool("SECURITY_DEMO_EXEMPT", TESTING)
# Audit entries are kept at least this long; audit_purge refuses younger ones.
AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("AUDIT_RETENTION_DAYS", "180")))
OTP_TOTP_ISSUER = "金台区知识产权领导小组门户"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-guardian: no anonymous user; permissions come from unit groups only.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

# django-axes: lock a username from one address, never a whole office behind one NAT.
# The failure limit and the cool-off tiers are the security policy's.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = "security.policy.axes_failure_limit"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "security.policy.axes_cooloff"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address: REMOTE_ADDR, or behind nginx (BEHIND_PROXY=1, request from
# one of TRUSTED_PROXIES) its X-Real-IP / right-most untrusted X-Forwarded-For
# entry. The same function keys the rate limits and the audit log. (django-axes 8
# reads AXES_IPWARE_* only when django-ipware is installed; it is not.)
AXES_CLIENT_IP_CALLABLE = "jinwei_ip.lib.client.client_address"

# Sessions: close an idle session after 30 minutes of inactivity. The expiry is
# pushed forward by SessionRefreshMiddleware at most once a minute rather than by a
# database write on every request (SESSION_SAVE_EVERY_REQUEST), so an idle session
# ends between AGE - 60 s and AGE after the last click.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE = env_bool("SECURE_COOKIES", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE)
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
BEHIND_PROXY = env_bool("BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# The proxies whose X-Real-IP / X-Forwarded-For are believed (addresses or networks).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The csrftoken cookie lives a working day at most (Django's default is a year).
CSRF_COOKIE_AGE = int(os.environ.get("CSRF_COOKIE_AGE", str(12 * 3600)))
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "magnetometer",
        "gyroscope",
        "accelerometer",
    )
)

# django-csp: everything from this server, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats by language, in templates as |date:"DATE_FORMAT" (2026年3月8日 / Mar. 8, 2026).
FORMAT_MODULE_PATH = ["jinwei_ip.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence lives outside the web root and is served only through views
# that check permissions; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG and not TESTING)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", not STATIC_MANIFEST)

# Upload limits (evidence and imports); forms enforce them too.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# with EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (rehearsals)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# One SMTP conversation may last this long; a mail server that hangs fails the
# attempt, which the job queue retries (jobs.services).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "知识产权领导小组办公室 <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The job queue (huey, see README "Background work"). No QUEUE_URL: a SQLite file
# beside the database, for one machine (make run starts its worker). QUEUE_URL=
# redis://host:6379/N: one queue for every app server and worker. Tests run jobs
# in the request that enqueues them (QUEUE_IMMEDIATE), with no worker.
QUEUE_URL = os.environ.get("QUEUE_URL", "")
HUEY = {
    "huey_class": "huey.RedisHuey" if QUEUE_URL else "huey.SqliteHuey",
    "name": os.environ.get("QUEUE_NAME", "jinwei-ip"),
    "results": False,
    "utc": True,
    "immediate": env_bool("QUEUE_IMMEDIATE", TESTING),
    "consumer": {
        "workers": int(os.environ.get("QUEUE_WORKERS", "2")),
        "worker_type": "thread",
        "check_worker_health": True,
        # an idle worker looks at a SQLite queue at most this often (Redis blocks)
        "max_delay": float(os.environ.get("QUEUE_POLL_SECONDS", "2")),
    },
}
if QUEUE_URL:
    HUEY["url"] = QUEUE_URL
else:
    # huey opens its file on import: any manage.py command in a fresh clone
    # (before `make` has made var/) needs the folder
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    HUEY["filename"] = str(VAR_DIR / "huey.sqlite3")
# Losing nothing when a worker dies (jobs.services): a job's lease and a mail's
# claim run out after these seconds, and the sweep re-enqueues rows that waited
# QUEUE_GRACE_SECONDS past their time. The rehearsal (bench/rehearsal.py) shortens them.
QUEUE_LEASE_SECONDS = int(os.environ.get("QUEUE_LEASE_SECONDS", "600"))
QUEUE_CLAIM_SECONDS = int(os.environ.get("QUEUE_CLAIM_SECONDS", "120"))
QUEUE_GRACE_SECONDS = int(os.environ.get("QUEUE_GRACE_SECONDS", "300"))
# Ledger exports of more rows than this are made by a worker, with a progress page.
EXPORT_INLINE_MAX_ROWS = int(os.environ.get("EXPORT_INLINE_MAX_ROWS", "300"))
# Work-plan imports of more rows than this are written by a worker, with a
# progress page; smaller ones in the request that confirms them.
PLAN_IMPORT_JOB_ROWS = int(os.environ.get("PLAN_IMPORT_JOB_ROWS", "200"))
# The daily digest goes out from this hour (Asia/Shanghai) on, by the queue's
# scheduler; ``manage.py send_reminders`` does the same by hand.
REMINDER_HOUR = int(os.environ.get("REMINDER_HOUR", "8"))

# Task lights: how many working days before a deadline a task turns yellow.
TASK_WARNING_WORKDAYS = int(os.environ.get("TASK_WARNING_WORKDAYS", "5"))

# The leaders' dashboard is rendered once a minute per filter and language and
# served from the cache in between (its figures are at most this old, and the page
# says when they were counted). 0 turns it off; tests run with 0 unless they test it.
DASHBOARD_CACHE_SECONDS = int(
    os.environ.get("DASHBOARD_CACHE_SECONDS", "0" if TESTING else "60")
)

if os.environ.get("CACHE_URL"):
    # Several app servers: one Redis for all of them.
    _cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["CACHE_URL"],
    }
elif os.environ.get("CACHE_DIR"):
    # One server, several gunicorn workers: a folder on its disk that every worker
    # shares, so the rate limits count across workers and the dashboard is counted
    # once a minute for all of them (with per-process memory each worker counts
    # alone). A folder the service account cannot write makes ``check --deploy``
    # fail: Django's FileBasedCache creates it when the cache is first set up.
    _cache = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ["CACHE_DIR"],
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
else:
    _cache = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "jinwei-ip",
    }
CACHES = {"default": _cache}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "filters": {"skip_forbidden": {"()": "jinwei_ip.lib.logfilters.SkipForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        # A 403 is one audit line (jinwei_ip.audit), not a traceback.
        "django.request": {"level": "WARNING", "filters": ["skip_forbidden"]},
        "jinwei_ip.audit": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
        },
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
