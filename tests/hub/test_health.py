"""/healthz and /readyz: what a load balancer and a deployment ask, answered without a sign-in."""

import datetime
import json
import logging

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hub.health import QuietProbes
from tests.hub.test_settings import STRONG_KEY, settings_value

pytestmark = pytest.mark.django_db


def checks(response) -> dict:
    return {name: check["ok"] for name, check in response.json()["checks"].items()}


def test_healthz_reports_every_part_and_sets_no_cookie(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert response.json()["status"] == "ok"
    assert checks(response) == {"database": True, "cache": True, "tasks": True, "search": True}


def test_healthz_names_the_cache_when_it_cannot_be_reached(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "failing"
    assert checks(response)["cache"] is False
    assert checks(response)["database"] is True


def test_healthz_fails_when_the_oldest_waiting_task_has_waited_too_long(client, settings):
    settings.HEALTH_MAX_TASK_WAIT_SECONDS = 60
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    waiting = DBTaskResult.objects.create(
        status="READY",
        task_path="hub.tasks.example",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
    )
    DBTaskResult.objects.filter(pk=waiting.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert checks(response)["tasks"] is False
    assert "waited 300 s" in response.json()["checks"]["tasks"]["detail"]


def test_readyz_fails_while_migrations_are_pending(client):
    assert client.get("/readyz").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'improvement'")

    response = client.get("/readyz")

    assert response.status_code == 503
    assert checks(response)["migrations"] is False
    assert "improvement" in response.json()["checks"]["migrations"]["detail"]


def test_tasks_waiting_within_the_limit_are_healthy(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    DBTaskResult.objects.create(
        status="READY",
        task_path="hub.tasks.example",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
    )

    assert checks(client.get("/healthz"))["tasks"] is True


def test_a_load_balancer_asking_over_plain_http_is_answered_not_redirected(client, settings):
    exempt = settings_value(
        "hub.settings.production",
        "__import__('json').dumps(settings.SECURE_REDIRECT_EXEMPT)",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="hub.example.org",
        DEFAULT_FROM_EMAIL="hub@example.org",
    )
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = json.loads(exempt)

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 301


def test_a_failing_probe_is_not_an_error_to_log_or_email(client, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with caplog.at_level(logging.INFO):
        assert client.get("/healthz").status_code == 503

    assert not [record for record in caplog.records if record.name == "django.request"]
    (line,) = [record for record in caplog.records if record.name == "hub.requests"]
    assert line.status == 503


def test_other_server_errors_are_still_logged():
    request = RequestFactory().get("/policies/")
    request.resolver_match = resolve("/policies/")
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", (), None)
    record.request = request
    assert QuietProbes().filter(record)
    record.request = RequestFactory().get("/healthz")
    record.request.resolver_match = resolve("/healthz")
    assert not QuietProbes().filter(record)
