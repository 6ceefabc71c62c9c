"""Telling people by email of what concerns them, and only ever of what they may read.

A domain app describes what happened as an ``Event`` and calls ``announce`` with
the people it concerns (an action's owner, a panel's members) and the pages whose
subscribers hear of it. Everyone is narrowed to the readers of what the event is
about (``hub.audiences.readers``), so a subject line never names a restricted
item to someone outside its audience. Each person is sent an event's key once
(a ``Notice`` row records it), which makes announcing and reminding idempotent.

Emails go out from a task after the change that caused them is committed; a
failing mail server is tried again later with a growing wait and never undoes
or stops the change. Reminders come from apps through ``REMINDERS_HOOK``, run
by ``manage.py send_notifications``, which also sends the digests.
"""

import contextvars
import datetime
import logging
import smtplib
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from hub.audiences import readers
from hub.models import Frequency, MutedKind, Notice, NoticeStatus, Subscription

logger = logging.getLogger(__name__)

REMINDERS_HOOK = "hub_notification_reminders"
PUBLISH_RECIPIENTS_HOOK = "hub_publish_recipients"
UNSUBSCRIBE_SALT = "hub.notices.unsubscribe"
MAX_ATTEMPTS = 6
FIRST_RETRY = datetime.timedelta(minutes=2)

# Every kind of email the Hub sends, as "Your notifications" names it.
KINDS = {
    "policy-version": "New versions of policies you must read",
    "policy-review": "Policies you own or approve that are due for review",
    "action-due": "Actions you own that are due or overdue",
    "overdue-actions": "A weekly list of your panels' overdue actions",
    "minutes": "Minutes of your panels",
    "meeting": "Meetings of your panels added or moved",
    "milestone-red": "Milestones of the improvement plan that turn red",
}
# A digest's link stops every digest of the person: what they follow daily or weekly.
DIGESTS = "digests"
DIGESTS_LABEL = "Daily and weekly digests of what you follow"


_quiet = contextvars.ContextVar("hub_notices_quiet", default=False)


@contextmanager
def quiet():
    """Tell nobody of what happens inside: loading records of the past (the demo) is no news."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def announce_later(task, *args) -> None:
    """Enqueue ``task`` (which announces something) once the change is committed.

    Run from the service that made the change; a failure to enqueue is logged and
    never undoes or stops it.
    """
    if not _quiet.get():
        transaction.on_commit(lambda: task.enqueue(*args), robust=True)


@dataclass(frozen=True)
class Event:
    """Something that happened, told by email to those it concerns who may read ``about``."""

    kind: str
    # Says what and when: nobody is sent the same key twice.
    key: str
    about: models.Model
    subject: str
    # Where to read about it, on the site's own address.
    url: str
    context: dict = field(default_factory=dict)
    calendar: str = ""


def absolute(url: str) -> str:
    """``url`` on the site's own address, as an email needs it."""
    return urljoin(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/", url)


def unsubscribe_token(*, user_id: int, topic: str) -> str:
    return signing.dumps({"u": user_id, "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The person and topic a token names; None for a token the site did not sign."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("u"), int):
        return None
    return value["u"], str(value.get("t", ""))


def subscribers(pages: Iterable[Page]) -> models.QuerySet:
    """The subscriptions to these pages (a policy, its library; a panel)."""
    return Subscription.objects.filter(page__in=[page.pk for page in pages])


@dataclass(frozen=True)
class Reach:
    """One person an event reaches, why (what an unsubscribe stops) and how often."""

    user: models.Model
    topic: str
    topic_label: str
    frequency: str


def recipients(
    event: Event, *, people: Iterable = (), subscribed_to: Iterable[Page] = ()
) -> list[Reach]:
    """Who ``event`` reaches: the people it concerns and subscribers, if they may read it.

    People it concerns directly hear at once unless they muted the kind; subscribers
    as often as they chose. Someone who is both hears once, directly.
    """
    allowed = readers(event.about).exclude(email="")
    chosen: dict[int, Reach] = {}
    found = subscribers(subscribed_to).filter(user__in=allowed).select_related("user", "page")
    for sub in found.order_by("pk"):
        label = f"Updates on {sub.page.title}"
        chosen.setdefault(
            sub.user_id, Reach(sub.user, f"subscription:{sub.pk}", label, sub.frequency)
        )
    if isinstance(people, models.QuerySet):
        direct = people.values("pk")
    else:
        direct = [person.pk for person in people if person is not None]
    muted = MutedKind.objects.filter(user=models.OuterRef("pk"), kind=event.kind)
    for person in allowed.filter(pk__in=direct).exclude(models.Exists(muted)):
        chosen[person.pk] = Reach(
            person, f"kind:{event.kind}", KINDS[event.kind], Frequency.IMMEDIATELY
        )
    return list(chosen.values())


def count_recipients(page: Page) -> int:
    """How many people publishing ``page`` now would tell, from every app that says."""
    people = set()
    for hook in hooks.get_hooks(PUBLISH_RECIPIENTS_HOOK):
        found = hook(page)
        if found is not None:
            people.update(found.values_list("pk", flat=True))
    return len(people)


@transaction.atomic
def announce(event: Event, *, people: Iterable = (), subscribed_to: Iterable[Page] = ()):
    """Record a notice of ``event`` for each person it reaches, and send them once committed."""
    if _quiet.get():
        return []
    reached = recipients(event, people=people, subscribed_to=subscribed_to)
    already = set(
        Notice.objects.filter(
            key=event.key, recipient__in=[reach.user for reach in reached]
        ).values_list("recipient_id", flat=True)
    )
    about_type = ContentType.objects.get_for_model(event.about, for_concrete_model=False)
    notices = [
        _notice(event, reach, about_type=about_type)
        for reach in reached
        if reach.user.pk not in already
    ]
    # A run at the same moment may have recorded some of them already: those are its to send.
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    recorded = Notice.objects.filter(key=event.key, recipient__in=[n.recipient for n in notices])
    queued = list(recorded.filter(status=NoticeStatus.QUEUED).values_list("pk", flat=True))
    if queued:
        transaction.on_commit(lambda: enqueue(queued), robust=True)
    return notices


def _notice(event: Event, reach: Reach, *, about_type) -> Notice:
    context = {**event.context, "recipient": reach.user, "subject": event.subject, "url": event.url}
    text, html = render(event.kind, context, reach=reach)
    return Notice(
        recipient=reach.user,
        address=reach.user.email,
        kind=event.kind,
        key=event.key,
        topic=reach.topic,
        subject=event.subject,
        url=event.url,
        text=text,
        html=html,
        calendar=event.calendar,
        about_type=about_type,
        about_id=event.about.pk,
        frequency=reach.frequency,
        status=(
            NoticeStatus.QUEUED if reach.frequency == Frequency.IMMEDIATELY else NoticeStatus.HELD
        ),
    )


def render(kind: str, context: dict, *, reach: Reach) -> tuple[str, str]:
    """The plain text and HTML of an email of ``kind``, with its unsubscribe link."""
    context = {
        **context,
        "site_url": absolute("/"),
        "settings_url": absolute(reverse("notifications")),
        "unsubscribe_url": unsubscribe_url(user_id=reach.user.pk, topic=reach.topic),
        "topic_label": reach.topic_label,
    }
    return (
        render_to_string(f"notifications/{kind}.txt", context),
        render_to_string(f"notifications/{kind}.html", context),
    )


def unsubscribe_url(*, user_id: int, topic: str) -> str:
    token = unsubscribe_token(user_id=user_id, topic=topic)
    return absolute(reverse("unsubscribe", args=[token]))


def topic_label(topic: str) -> str:
    """What an unsubscribe stops, in words."""
    kind, _, name = topic.partition(":")
    if topic == DIGESTS:
        return DIGESTS_LABEL
    if kind == "kind":
        return KINDS.get(name, name)
    subscription = _subscription(name)
    return f"Updates on {subscription.page.title}" if subscription else "Updates you followed"


def _subscription(pk: str) -> Subscription | None:
    if not pk.isdigit():
        return None
    return Subscription.objects.filter(pk=pk).select_related("page").first()


def enqueue(notice_ids: list[int], *, run_after: datetime.datetime | None = None) -> None:
    """Send these notices from the worker; later, with ``run_after``, where it can wait.

    A task backend that cannot wait (the immediate one) leaves a retry to the next
    ``send_notifications --retries-only``.
    """
    from hub.tasks import send_notices  # the task module imports this one

    task = send_notices
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    task.enqueue(notice_ids)


def send(notice_ids: Iterable[int], *, now: datetime.datetime | None = None) -> int:
    """Send the notices among these that are due, on one connection; how many went.

    A notice that fails waits twice as long each time before it is tried again, and
    is marked failed after ``MAX_ATTEMPTS``; the others go on. One tried again is
    withheld if its reader may no longer read what it is about.
    """
    now = now or timezone.now()
    sent = 0
    due = _still_readable(Notice.objects.due(now).filter(pk__in=list(notice_ids)))
    if not due:
        return 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        for notice in due:
            _failed(notice, error, now=now)
        return 0
    try:
        for notice in due:
            try:
                email_for(notice, connection=connection).send()
            except (OSError, smtplib.SMTPException) as error:
                _failed(notice, error, now=now)
            else:
                Notice.objects.filter(pk=notice.pk).update(
                    status=NoticeStatus.SENT, sent_at=timezone.now(), attempts=notice.attempts + 1
                )
                sent += 1
    finally:
        connection.close()
    return sent


def _still_readable(due: models.QuerySet) -> list[Notice]:
    """The notices of ``due``, less retries whose reader may no longer read what they are about.

    A first try follows the change within seconds; a retry may come hours later,
    after someone left the panel.
    """
    notices = list(due.select_related("recipient").order_by("pk"))
    late = [notice for notice in notices if notice.attempts]
    withheld = {
        notice.pk
        for notice in late
        if not Notice.objects.filter(pk=notice.pk).readable_by(notice.recipient).exists()
    }
    Notice.objects.filter(pk__in=withheld).update(status=NoticeStatus.WITHHELD)
    return [notice for notice in notices if notice.pk not in withheld]


def email_for(notice: Notice, *, connection=None) -> EmailMultiAlternatives:
    """The email of ``notice``, with one-click unsubscribe headers (RFC 8058)."""
    unsubscribe = unsubscribe_url(user_id=notice.recipient_id, topic=notice.topic)
    email = EmailMultiAlternatives(
        subject=notice.subject,
        body=notice.text,
        to=[notice.address],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    email.attach_alternative(notice.html, "text/html")
    if notice.calendar:
        email.attach("invitation.ics", notice.calendar, "text/calendar; method=REQUEST")
    return email


def _failed(notice: Notice, error: Exception, *, now: datetime.datetime) -> None:
    attempts = notice.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        status, next_attempt_at = NoticeStatus.FAILED, None
    else:
        status, next_attempt_at = NoticeStatus.RETRYING, now + FIRST_RETRY * 2 ** (attempts - 1)
    Notice.objects.filter(pk=notice.pk).update(
        status=status,
        attempts=attempts,
        last_error=str(error)[:500],
        next_attempt_at=next_attempt_at,
    )
    logger.warning(
        "Notice could not be sent",
        extra={"notice": notice.pk, "attempts": attempts, "error": type(error).__name__},
    )
    if next_attempt_at is not None:
        transaction.on_commit(lambda: enqueue([notice.pk], run_after=next_attempt_at), robust=True)


def retry_due(*, now: datetime.datetime | None = None) -> int:
    """Send every notice whose time to be tried again has come."""
    now = now or timezone.now()
    return send(Notice.objects.due(now).values_list("pk", flat=True), now=now)


def resend(*, notice: Notice, by) -> Notice:
    """Send ``notice`` again, as a new record that says who asked, to the same address."""
    copy = Notice.objects.create(
        recipient_id=notice.recipient_id,
        address=notice.address,
        kind=notice.kind,
        key=f"resend:{notice.pk}:{timezone.now().isoformat()}",
        topic=notice.topic,
        subject=notice.subject,
        url=notice.url,
        text=notice.text,
        html=notice.html,
        calendar=notice.calendar,
        about_type=notice.about_type,
        about_id=notice.about_id,
        status=NoticeStatus.QUEUED,
        resent_from=notice,
        resent_by=by,
    )
    transaction.on_commit(lambda: enqueue([copy.pk]), robust=True)
    return copy


def send_digests(*, today: datetime.date) -> list[Notice]:
    """One email per person gathering what they chose to hear of daily or weekly.

    Daily digests gather what was held before ``today``; weekly ones, on Mondays,
    what was held before it. Each digest's key names its day, so a second run that
    day finds the held notices already gathered and sends nothing new. What the
    person may no longer read (they left the panel since) is withheld.
    """
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    frequencies = [Frequency.DAILY] + ([Frequency.WEEKLY] if today.weekday() == 0 else [])
    held = (
        Notice.objects.filter(
            status=NoticeStatus.HELD, frequency__in=frequencies, created_at__lt=start_of_today
        )
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_person: dict[int, list[Notice]] = {}
    for notice in held:
        by_person.setdefault(notice.recipient_id, []).append(notice)
    digests = []
    for items in by_person.values():
        person = items[0].recipient
        ids = [item.pk for item in items]
        readable = set(
            Notice.objects.filter(pk__in=ids).readable_by(person).values_list("pk", flat=True)
        )
        Notice.objects.filter(pk__in=ids).exclude(pk__in=readable).update(
            status=NoticeStatus.WITHHELD
        )
        if kept := [item for item in items if item.pk in readable]:
            digests.append(_digest(kept, today=today))
    return digests


@transaction.atomic
def _digest(items: list[Notice], *, today: datetime.date) -> Notice:
    person = items[0].recipient
    topic = DIGESTS
    subject = f"Safeguarding Hub: {len(items)} update{'s' if len(items) != 1 else ''} for you"
    text, html = render(
        "digest",
        {"recipient": person, "items": items, "subject": subject, "today": today},
        reach=Reach(person, topic, DIGESTS_LABEL, Frequency.IMMEDIATELY),
    )
    digest = Notice.objects.create(
        recipient=person,
        address=person.email,
        kind="digest",
        key=f"digest:{today.isoformat()}",
        topic=topic,
        subject=subject,
        text=text,
        html=html,
        status=NoticeStatus.QUEUED,
    )
    Notice.objects.filter(pk__in=[item.pk for item in items]).update(
        digest=digest, status=NoticeStatus.IN_DIGEST
    )
    transaction.on_commit(lambda: enqueue([digest.pk]), robust=True)
    return digest


def run_reminders(*, today: datetime.date) -> list[Notice]:
    """Every app's reminders for ``today``: each hook announces its own and returns them."""
    notices = []
    for hook in hooks.get_hooks(REMINDERS_HOOK):
        notices.extend(hook(today=today))
    return notices


def unsubscribe(*, user_id: int, topic: str) -> str:
    """Stop what ``topic`` names for this person; what was stopped, in words."""
    label = topic_label(topic)
    kind, _, name = topic.partition(":")
    if topic == DIGESTS:
        digested = [Frequency.DAILY, Frequency.WEEKLY]
        Subscription.objects.filter(user_id=user_id, frequency__in=digested).delete()
        # Held for a digest and never sent: with the digests stopped, nothing will send them.
        Notice.objects.filter(recipient_id=user_id, status=NoticeStatus.HELD).delete()
    elif kind == "subscription" and (subscription := _subscription(name)):
        if subscription.user_id == user_id:
            subscription.delete()
    elif kind == "kind" and name in KINDS:
        MutedKind.objects.get_or_create(user_id=user_id, kind=name)
    return label


def subscribe(*, user, page: Page) -> Subscription:
    """Follow ``page``; following it already keeps the frequency chosen."""
    subscription, _ = Subscription.objects.get_or_create(user=user, page=page)
    return subscription


def stop_following(*, user, page: Page) -> None:
    Subscription.objects.filter(user=user, page=page).delete()


def set_muted(*, user, kind: str, muted: bool) -> None:
    if muted:
        MutedKind.objects.get_or_create(user=user, kind=kind)
    else:
        MutedKind.objects.filter(user=user, kind=kind).delete()


@dataclass(frozen=True)
class Reminder:
    """A kind of email someone may turn off, and whether they have."""

    kind: str
    label: str
    wanted: bool


def settings_for(*, user, recent: int = 20) -> dict:
    """What "Your notifications" shows: subscriptions, kinds of email, the latest sent."""
    muted = set(MutedKind.objects.filter(user=user).values_list("kind", flat=True))
    return {
        "subscriptions": Subscription.objects.filter(user=user).select_related("page"),
        "reminders": [Reminder(kind, label, kind not in muted) for kind, label in KINDS.items()],
        "sent": Notice.objects.filter(recipient=user).exclude(status=NoticeStatus.HELD)[:recent],
        "frequencies": Frequency.choices,
    }
