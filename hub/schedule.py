"""The periodic jobs, and the one scheduler process (``manage.py run_schedule``) that runs them.

A job is a management command and when it runs: every so many seconds, or at the times a
crontab line gives, in the site's time zone. ``HUB_SCHEDULE`` names them, so a council can
move the nightly work out of its own busy hours. APScheduler keeps the clock: a job that
is still running when its next time comes is not started twice, and runs missed while
the process was down are made up once, not many times over.
"""

import logging
import shlex
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import close_old_connections

logger = logging.getLogger("hub.schedule")
# A run missed by more than this (the process was down) is skipped, not made up.
MISFIRE_GRACE_SECONDS = 60 * 60


@dataclass(frozen=True)
class Job:
    """A management command, its arguments, and when it runs."""

    name: str
    command: tuple[str, ...]
    trigger: BaseTrigger


def _trigger(name: str, entry: dict) -> BaseTrigger:
    zone = ZoneInfo(settings.TIME_ZONE)
    if "every_seconds" in entry:
        seconds = entry["every_seconds"]
        if not isinstance(seconds, int) or seconds < 1:
            raise ImproperlyConfigured(
                f"HUB_SCHEDULE[{name!r}]: every_seconds must be a whole number, 1 or more."
            )
        return IntervalTrigger(seconds=seconds, timezone=zone)
    if "cron" in entry:
        try:
            return CronTrigger.from_crontab(entry["cron"], timezone=zone)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"HUB_SCHEDULE[{name!r}]: {entry['cron']!r} is not a crontab line: {error}"
            ) from error
    raise ImproperlyConfigured(
        f"HUB_SCHEDULE[{name!r}] needs either every_seconds or cron to say when it runs."
    )


def configured_jobs() -> list[Job]:
    """The jobs ``HUB_SCHEDULE`` names; a mistake in it is named before anything runs."""
    return [
        Job(name=name, command=tuple(shlex.split(entry["command"])), trigger=_trigger(name, entry))
        for name, entry in settings.HUB_SCHEDULE.items()
    ]


def run(job: Job) -> bool:
    """Run one job now; a failure is logged (and reported) and the schedule goes on."""
    close_old_connections()
    started = time.perf_counter()
    try:
        call_command(*job.command, verbosity=0)
    except Exception:
        logger.exception("Scheduled job failed: %s", job.name, extra={"job": job.name})
        return False
    finally:
        close_old_connections()
    logger.info(
        "Scheduled job finished: %s",
        job.name,
        extra={"job": job.name, "duration_ms": round((time.perf_counter() - started) * 1000, 1)},
    )
    return True


def scheduler(jobs: list[Job]) -> BlockingScheduler:
    """A scheduler with every job added, not yet started."""
    clock = BlockingScheduler(
        timezone=ZoneInfo(settings.TIME_ZONE),
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
    )
    for job in jobs:
        clock.add_job(run, job.trigger, args=[job], id=job.name, name=job.name)
    return clock
