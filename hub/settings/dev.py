"""Local development: debug on, a fixed key, the SQLite file under var/ by default."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-key-not-for-production-use-0123456789abcdef"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
HUB_DEMO_CONTENT_ALLOWED = True
