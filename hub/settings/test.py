"""The test suite: fast hashing, an in-process cache unless REDIS_URL asks for Redis."""

import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key-not-for-production-use-0123456789abcdef"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405
# Uploaded files go to a folder of their own for each run, as they would on a server.
MEDIA_ROOT = tempfile.mkdtemp(prefix="hub-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False}
HUB_DEMO_CONTENT_ALLOWED = True
