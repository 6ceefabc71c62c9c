"""The periodic jobs: what ``HUB_SCHEDULE`` names, and one job run as the scheduler runs it."""

import io
import logging
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from hub import schedule


def test_the_schedule_names_each_periodic_job_and_its_command():
    commands = {job.name: job.command for job in schedule.configured_jobs()}
    assert commands["Publish scheduled pages"] == ("publish_scheduled",)
    assert commands["Prune finished background tasks"] == (
        "prune_db_task_results",
        "--min-age-days",
        "7",
    )
    assert commands["Clear expired sessions"] == ("clearsessions",)
    assert commands["Refresh the query planner's statistics"] == ("refresh_statistics",)


def test_nightly_jobs_run_at_night_in_the_sites_time_zone():
    jobs = {job.name: job for job in schedule.configured_jobs()}
    summer_noon = timezone.make_aware(timezone.datetime(2026, 7, 1, 12, 0))
    upcoming = jobs["Clear expired sessions"].trigger.get_next_fire_time(None, summer_noon)
    assert timezone.localtime(upcoming).strftime("%Y-%m-%d %H:%M %Z") == "2026-07-02 03:00 BST"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"command": "clearsessions"}, "needs either every_seconds or cron"),
        ({"command": "clearsessions", "every_seconds": 0}, "1 or more"),
        ({"command": "clearsessions", "cron": "at three"}, "is not a crontab line"),
    ],
)
def test_a_mistake_in_the_schedule_is_named_before_anything_runs(settings, entry, message):
    settings.HUB_SCHEDULE = {"Nightly": entry}
    with pytest.raises(ImproperlyConfigured, match=message) as raised:
        schedule.configured_jobs()
    assert "HUB_SCHEDULE['Nightly']" in str(raised.value)


def test_listing_shows_each_job_and_when_it_next_runs():
    out = io.StringIO()
    call_command("run_schedule", "--list", stdout=out)
    listing = out.getvalue()
    assert "Clear expired sessions: manage.py clearsessions; next at " in listing
    assert "Scheduler started" not in listing


# The scheduler runs jobs outside any transaction, and closes its connections around each.
@pytest.mark.django_db(transaction=True)
def test_a_job_runs_its_command():
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    Session.objects.create(
        session_key="y" * 32, session_data="", expire_date=timezone.now() + timedelta(days=1)
    )
    job = {job.name: job for job in schedule.configured_jobs()}["Clear expired sessions"]
    assert schedule.run(job)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["y" * 32]


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_reported_and_the_schedule_goes_on(settings, caplog):
    settings.HUB_SCHEDULE = {
        "Broken": {"command": "clearsessions --no-such-option", "cron": "0 3 * * *"}
    }
    (job,) = schedule.configured_jobs()
    with caplog.at_level(logging.ERROR, logger="hub.schedule"):
        assert schedule.run(job) is False
    (record,) = caplog.records
    assert record.getMessage() == "Scheduled job failed: Broken"
    assert record.exc_info is not None
