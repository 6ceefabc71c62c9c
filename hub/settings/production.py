"""Production: everything from the environment, HTTPS only, refuses to start unsafely."""

import os
from email.utils import parseaddr

from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.core import RESERVED_ATTRS

from .base import *  # noqa: F403

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production."
    )
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host(s) this site is served on.")

if not os.environ.get("DEFAULT_FROM_EMAIL"):
    raise ImproperlyConfigured(
        "DEFAULT_FROM_EMAIL must be set: the Hub sends password resets and notices by email."
    )

SECURE_SSL_REDIRECT = True
# Load balancers ask over plain HTTP inside the network; the answers carry no content.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]  # noqa: F405

# The web processes serve the stylesheets and scripts themselves (WhiteNoise): hashed names
# cached for a year, gzip and Brotli copies made by ``collectstatic``, no front server needed.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

# Background work (telling Elasticsearch what changed, Wagtail's own) waits in the
# database for ``manage.py db_worker``, so a slow server never holds up an editor's save.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Logs go to standard output as JSON, a line each, for the platform to collect. Unhandled
# errors also go by email to ADMINS ("Name <address>, Name <address>").
ADMINS = [
    parseaddr(admin.strip())
    for admin in os.environ.get("ADMINS", "").split(",")
    if parseaddr(admin.strip())[1]
]
LOGGING = {
    **LOGGING,  # noqa: F405
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            # Django hands the request to the log record; its repr has the query string.
            "reserved_attrs": [*RESERVED_ATTRS, "request"],
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "include_html": False,
            "reporter_class": "hub.error_reports.PlainReporter",
        },
    },
    "loggers": {
        **LOGGING["loggers"],  # noqa: F405
        "django.request": {
            **LOGGING["loggers"]["django.request"],  # noqa: F405
            "handlers": ["console", "mail_admins"],
            "propagate": False,
        },
        # A scheduled job that fails is reported like an error in a request.
        "hub.schedule": {
            "level": "INFO",
            "handlers": ["console", "mail_admins"],
            "propagate": False,
        },
    },
}

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from hub.error_reports import start_reporting

    start_reporting(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE", ""),
    )
