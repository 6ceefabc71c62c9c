"""What a load balancer and a deployment ask of each process: are its parts answering?

Each check returns what is wrong, in words, or "" when the part answers. Apps add
their own (search adds its engine) through the ``hub_health_checks`` Wagtail hook,
each hook returning ``(name, check)``.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from wagtail import hooks

HEALTH_HOOK = "hub_health_checks"
# A task waiting longer than this means no worker is taking them.
DEFAULT_MAX_TASK_WAIT_SECONDS = 300
CACHE_PROBE = "hub:health"
# The addresses (URL names) a load balancer or deployment polls.
PROBES = {"healthz", "readyz"}


@dataclass(frozen=True)
class Outcome:
    """One part's answer: whether it is well, and what is wrong or how it stands."""

    ok: bool
    detail: str


def database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return ""


def shared_cache() -> str:
    cache.set(CACHE_PROBE, "ok", timeout=10)
    return "" if cache.get(CACHE_PROBE) == "ok" else "The cache kept nothing it was given."


def task_queue() -> str:
    """The queue answers, and its oldest waiting task has not waited past the limit."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return ""  # Tasks run as they are queued: nothing waits.
    from django_tasks_db.models import DBTaskResult

    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values("enqueued_at").first()
    if oldest is None:
        return ""
    waited = int((timezone.now() - oldest["enqueued_at"]).total_seconds())
    limit = getattr(settings, "HEALTH_MAX_TASK_WAIT_SECONDS", DEFAULT_MAX_TASK_WAIT_SECONDS)
    if waited > limit:
        return (
            f"The oldest waiting task has waited {waited} s (more than {limit} s): "
            "is a worker running?"
        )
    return ""


def pending_migrations() -> str:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return ""
    apps = sorted({migration.app_label for migration, _ in plan})
    return f"{len(plan)} migration(s) not yet applied, in {', '.join(apps)}."


def _checks() -> list[tuple[str, Callable[[], str]]]:
    own = [("database", database), ("cache", shared_cache), ("tasks", task_queue)]
    return own + [hook() for hook in hooks.get_hooks(HEALTH_HOOK)]


def _run(check: Callable[[], str]) -> Outcome:
    # Whatever a part raises is its answer; the message is not shown, as it may name
    # hosts or credentials.
    try:
        problem = check()
    except Exception as error:
        problem = f"It did not answer ({type(error).__name__})."
    return Outcome(ok=not problem, detail=problem or "answering")


def health() -> dict[str, Outcome]:
    """Every part a request needs: the database, the cache, the task queue, search."""
    return {name: _run(check) for name, check in _checks()}


def readiness() -> dict[str, Outcome]:
    """Health, and every migration applied: a process not to send requests to until then."""
    outcomes = health()
    if outcomes["database"].ok:
        outcomes["migrations"] = _run(pending_migrations)
    return outcomes


class QuietProbes(logging.Filter):
    """Keeps a failing health check's 503 out of the error log and the administrators' email.

    A load balancer asks every few seconds: a database that is down for ten minutes would
    otherwise send a hundred emails. Each answer still has its line in ``hub.requests``.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        match = getattr(getattr(record, "request", None), "resolver_match", None)
        return match is None or match.url_name not in PROBES
