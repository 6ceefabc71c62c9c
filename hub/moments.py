"""Dates as histories keep them: when a change that took effect on a day is filed, and
where a day ends, so "as at" a date reads everything recorded by then."""

import datetime

from django.utils import timezone


def moment_of(on: datetime.date, *, after: datetime.datetime | None = None) -> datetime.datetime:
    """When a change that took effect on ``on`` is filed: now if today, else that day's noon.

    Never before ``after`` (the entry before it), so the history reads in order.
    """
    now = timezone.now()
    if on == timezone.localdate(now):
        moment = now
    else:
        moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    if after is not None and moment <= after:
        moment = after + datetime.timedelta(seconds=1)
    return moment


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
