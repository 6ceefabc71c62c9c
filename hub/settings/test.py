"""The test suite: fast hashing, an in-process cache unless REDIS_URL asks for Redis."""

import os
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
# No console output, but the same loggers' levels as everywhere else.
LOGGING = {**LOGGING, "handlers": {}, "root": {"handlers": []}}  # noqa: F405
HUB_DEMO_CONTENT_ALLOWED = True

# Each parallel worker (pytest-xdist's gw0, gw1, ...) has a database of its own (pytest-django
# names it), a media folder of its own (above), and a Redis database of its own, because
# tests empty the cache as they start.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and WORKER:  # noqa: F405
    CACHES["default"]["LOCATION"] = (  # noqa: F405
        f"{REDIS_URL.rsplit('/', 1)[0]}/{10 + int(WORKER.removeprefix('gw'))}"  # noqa: F405
    )

# A test runs in a transaction that never commits, so the purge a change sends as it
# commits never comes: pages are kept only in the tests of keeping them.
HUB_PAGE_CACHE = ""
