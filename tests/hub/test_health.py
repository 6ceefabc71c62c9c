"""/healthz and /readyz: what a load balancer and a deployment ask, answered without a sign-in."""

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

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
