"""Settings read from the environment, and production's refusal to run unsafely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ-_"


def run_manage(*args, **env):
    deployment_unsafe = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in deployment_unsafe}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DATABASE_URL": "sqlite:///:memory:", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_value(module, expression, **env):
    # Reading a setting loads the settings module alone; no app needs to start.
    code = f"from django.conf import settings; print({expression})"
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "DATABASE_URL", "CONN_MAX_AGE", "FRONTEND_CACHE_URL"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", "--settings=hub.settings.production", ALLOWED_HOSTS="hub.example")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_manage(
        "check", "--settings=hub.settings.production", SECRET_KEY="short", ALLOWED_HOSTS="x"
    )

    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", "--settings=hub.settings.production", SECRET_KEY=STRONG_KEY)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name" in result.stderr


def test_production_refuses_to_start_without_a_sender_for_its_email():
    result = run_manage(
        "check", "--settings=hub.settings.production", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="x"
    )

    assert result.returncode != 0
    assert "DEFAULT_FROM_EMAIL must be set" in result.stderr


def test_email_is_sent_as_the_environment_says():
    sent = settings_value(
        "hub.settings.dev",
        "settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL, settings.EMAIL_HOST, "
        "settings.EMAIL_PORT, settings.EMAIL_USE_TLS",
        DEFAULT_FROM_EMAIL="hub@council.example",
        EMAIL_HOST="smtp.council.example",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
    )

    assert sent == "hub@council.example hub@council.example smtp.council.example 587 True"


def test_production_passes_the_deployment_checklist_with_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level=WARNING",
        "--settings=hub.settings.production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="hub.example.org",
        DEFAULT_FROM_EMAIL="Safeguarding Hub <hub@council.example>",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_database_comes_from_database_url():
    engine = settings_value(
        "hub.settings.dev",
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']",
        DATABASE_URL="postgres://hub@db.internal:5432/hubdb",
    )

    assert engine == "django.db.backends.postgresql hubdb"


def test_sqlite_file_under_var_by_default():
    name = settings_value("hub.settings.dev", "settings.DATABASES['default']['NAME']")

    assert name == str(ROOT / "var" / "hub.sqlite3")


def test_redis_url_turns_on_the_redis_cache_and_cached_sessions():
    backend = settings_value(
        "hub.settings.dev",
        "settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )

    assert backend == ("hub.cache.RedisCache django.contrib.sessions.backends.cached_db")


def test_database_connections_persist_and_are_checked_before_reuse():
    kept = settings_value(
        "hub.settings.dev",
        "settings.DATABASES['default']['CONN_MAX_AGE'], "
        "settings.DATABASES['default']['CONN_HEALTH_CHECKS']",
        DATABASE_URL="postgres://hub@db.internal:5432/hubdb",
    )

    assert kept == "60 True"


def test_pages_are_kept_only_in_a_cache_every_process_shares():
    without_redis = settings_value("hub.settings.dev", "repr(settings.HUB_PAGE_CACHE)")
    with_redis = settings_value(
        "hub.settings.dev", "settings.HUB_PAGE_CACHE", REDIS_URL="redis://127.0.0.1:6379/3"
    )

    assert without_redis == "''"
    assert with_redis == "default"


def test_a_front_proxy_is_told_of_changes_only_when_one_is_named():
    without = settings_value("hub.settings.dev", "getattr(settings, 'WAGTAILFRONTENDCACHE', None)")
    named = settings_value(
        "hub.settings.dev",
        "settings.WAGTAILFRONTENDCACHE['proxy']['LOCATION']",
        FRONTEND_CACHE_URL="http://127.0.0.1:6081",
    )

    assert without == "None"
    assert named == "http://127.0.0.1:6081"


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set for this run")
def test_the_configured_redis_answers():
    cache.set("hub-settings-test", "stored", 30)

    assert cache.get("hub-settings-test") == "stored"
    cache.delete("hub-settings-test")


def test_documents_are_served_through_django_and_shared_passwords_are_off():
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert settings.WAGTAIL_PRIVATE_PAGE_OPTIONS == {"SHARED_PASSWORD": False}
    assert settings.WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS == {"SHARED_PASSWORD": False}


def test_production_queues_background_work_for_a_worker_and_development_runs_it_at_once():
    production = settings_value(
        "hub.settings.production",
        "settings.TASKS['default']['BACKEND']",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="hub.example.org",
        DEFAULT_FROM_EMAIL="hub@council.example",
    )
    development = settings_value("hub.settings.dev", "settings.TASKS['default']['BACKEND']")

    assert production == "django_tasks_db.DatabaseBackend"
    assert development == "django_tasks.backends.immediate.ImmediateBackend"


def test_sqlite_writes_ahead_and_waits_its_turn_for_another_writer(tmp_path, django_db_blocker):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    configured = settings.DATABASES["default"]
    if configured["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the database in use is not SQLite")
    wrapper = DatabaseWrapper({**configured, "NAME": str(tmp_path / "hub.sqlite3")})
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            waits = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    finally:
        wrapper.close()

    assert journal == "wal"
    assert waits >= 5000


def test_naming_an_elasticsearch_server_chooses_that_engine():
    chosen = settings_value(
        "hub.settings.dev",
        "settings.SEARCH_ENGINE, settings.SEARCH_ENGINES[settings.SEARCH_ENGINE]['OPTIONS']['url']",
        ELASTICSEARCH_URL="http://search.internal:9200",
    )

    assert chosen == "elasticsearch http://search.internal:9200"


def test_development_links_in_emails_follow_the_port_it_serves_on():
    assert (
        settings_value(
            "hub.settings.dev", "settings.WAGTAILADMIN_BASE_URL", HOST="127.0.0.1", PORT="8123"
        )
        == "http://127.0.0.1:8123"
    )
    assert (
        settings_value(
            "hub.settings.dev",
            "settings.WAGTAILADMIN_BASE_URL",
            WAGTAILADMIN_BASE_URL="https://hub.example.org",
        )
        == "https://hub.example.org"
    )
