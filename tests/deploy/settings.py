"""Production settings, with one address that fails on purpose, to see how a fault is reported."""

from hub.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.deploy.urls"
