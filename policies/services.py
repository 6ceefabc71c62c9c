"""State changes in the policy library: versions, attachments, acknowledgements, the workflow.

Also what the library tells people by email (``hub.notices``): each new version,
and reviews coming due or overdue.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    Revision,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from hub import notices, roles
from hub.audiences import may_see, set_page_audience
from hub.kept_files import keep_copy
from hub.models import Notice, ReviewTask
from hub.search_types import page_owner
from policies import selectors
from policies.models import (
    Acknowledgement,
    PolicyIndexPage,
    PolicyPage,
    PolicyVersion,
    VersionAttachment,
)

WORKFLOW_NAME = "Policy approval"


@transaction.atomic
def record_version(
    *, page: PolicyPage, revision: Revision, published_by=None, published_at=None
) -> PolicyVersion:
    """Write the version that publishing ``revision`` made live.

    Also moves the next review date on, keeps a copy of every attached
    document, and makes the page's audience its Wagtail view restriction.
    Once committed, a task tells the people the version concerns
    (``announce_version``). Recording the same revision twice returns the
    version already written and tells nobody again.
    """
    existing = PolicyVersion.objects.filter(revision=revision).first()
    if existing:
        return existing
    note = page.amendment_note.strip()
    if not note:
        raise ValidationError("A policy cannot be published without an amendment note.")
    latest = PolicyVersion.objects.filter(page=page).order_by("-number").first()
    effective_from = _effective_date(page, latest, published_at)
    if latest and effective_from < latest.effective_from:
        raise ValidationError(
            f"Version {latest.number} took effect on {latest.effective_from:%-d %B %Y}; "
            "a new version cannot take effect before it."
        )
    review_due = page.review_by or effective_from + relativedelta(
        months=page.review_interval_months
    )
    version = PolicyVersion.objects.create(
        page=page,
        number=(PolicyVersion.objects.filter(page=page).aggregate(n=Max("number"))["n"] or 0) + 1,
        revision=revision,
        title=page.title,
        amendment_note=note,
        effective_from=effective_from,
        published_at=published_at or timezone.now(),
        published_by=published_by or publisher_of(revision),
        review_due=review_due,
    )
    _keep_attachments(version=version, page=page)
    PolicyPage.objects.filter(pk=page.pk).update(next_review_date=review_due)
    set_page_audience(page=page, audience=page.audience, panel_group=page.audience_group)
    from policies import tasks  # the task module imports this one

    # Once committed; never in the way of the publish, and not while loading the past.
    notices.announce_later(tasks.announce_version, version.pk)
    return version


def _effective_date(page: PolicyPage, latest: PolicyVersion | None, published_at) -> datetime.date:
    """The date given for this version, else the day it goes live.

    A date equal to the last version's was carried over from that version's
    draft, not given for this one.
    """
    given = page.effective_from
    if given and not (latest and given == latest.effective_from):
        return given
    return timezone.localdate(published_at or timezone.now())


def publisher_of(revision: Revision):
    """Who made ``revision`` live: the last approver in a workflow, else its author."""
    approval = (
        TaskState.objects.filter(revision=revision, status=TaskState.STATUS_APPROVED)
        .exclude(finished_by=None)
        .order_by("-finished_at")
        .select_related("finished_by")
        .first()
    )
    return approval.finished_by if approval else revision.user


def _keep_attachments(*, version: PolicyVersion, page: PolicyPage) -> None:
    earlier = {
        attachment.file_hash: attachment.file.name
        for attachment in VersionAttachment.objects.filter(version__page=page)
    }
    for title, document in page.attached_documents():
        if version.attachments.filter(document=document).exists():
            continue
        attachment = VersionAttachment(version=version, document=document, title=title)
        keep_copy(attachment, document, earlier=earlier, owner=page_owner(page.pk))


def acknowledge(*, user, version: PolicyVersion) -> Acknowledgement:
    """Record that ``user`` has read ``version``; only the current version can be confirmed."""
    if not user.is_authenticated or not may_see(user, version.page):
        raise PermissionDenied("You cannot confirm a policy you are not able to read.")
    if not version.page.requires_acknowledgement:
        raise ValidationError("This policy does not ask readers to confirm they have read it.")
    current = PolicyVersion.objects.filter(page=version.page_id).order_by("-number").first()
    if current != version:
        raise ValidationError(
            f"Version {version.number} has been replaced; read version {current.number}."
        )
    acknowledgement, _ = Acknowledgement.objects.get_or_create(version=version, user=user)
    return acknowledgement


@transaction.atomic
def set_up_library(*, library: PolicyIndexPage) -> Workflow:
    """Give the roles their permissions on a new policy library and assign it the workflow."""
    roles.grant_section(page=library)
    return ensure_approval_workflow(library=library)


@transaction.atomic
def ensure_approval_workflow(*, library: PolicyIndexPage) -> Workflow:
    """The "Policy approval" workflow, assigned to the policy library; safe to run again.

    Each step is reviewed only by members of its group who may read the policy.
    """
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if created:
        for order, (name, group_name) in enumerate(
            (
                ("Policy owner review", roles.POLICY_EDITORS),
                ("Approver sign-off", roles.APPROVERS),
            )
        ):
            task, _ = ReviewTask.objects.get_or_create(name=name)
            task.groups.add(Group.objects.get_or_create(name=group_name)[0])
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowPage.objects.get_or_create(page=library, defaults={"workflow": workflow})
    return workflow


def announce_version(*, version: PolicyVersion) -> list[Notice]:
    """Tell of ``version`` those in its audience who must confirm it, and its followers.

    Followers are those of the policy and of the library; everyone is narrowed to the
    policy's readers (``selectors.told_of_version``). Each person hears of a version
    once, however often this runs; nobody hears of a policy no longer live.
    """
    page = PolicyPage.objects.live().filter(pk=version.page_id).first()
    if page is None:
        return []
    people, subscribed_to = selectors.told_of_version(page)
    return notices.announce(
        _version_event(version, page=page), people=people, subscribed_to=subscribed_to
    )


def _version_event(version: PolicyVersion, *, page: PolicyPage) -> notices.Event:
    page_url = notices.absolute(page.url)
    version_url = notices.absolute(f"{page.url}versions/{version.number}/")
    compare_url = (
        notices.absolute(f"{page.url}versions/compare/{version.number - 1}...{version.number}/")
        if version.number > 1
        else ""
    )
    publisher = version.published_by
    return notices.Event(
        kind="policy-version",
        key=f"policy-version:{version.pk}",
        about=page,
        subject=f"New version of {page.title}: version {version.number}",
        url=version_url,
        context={
            "page": page,
            "version": version,
            "published_by": (publisher.get_full_name() or publisher.username) if publisher else "",
            "must_confirm": page.requires_acknowledgement,
            "page_url": page_url,
            "version_url": version_url,
            "compare_url": compare_url,
        },
    )


def remind_of_reviews(*, today: datetime.date) -> list[Notice]:
    """Tell each live policy's owner and approver that its review is near or overdue.

    A review due within ``selectors.REVIEW_WINDOW_DAYS`` of ``today`` is told once
    for its date. An overdue one is told on the first day after its date and then
    every seven days (the key counts whole weeks since that first day) until a new
    version moves the date on, which starts afresh. A run missed is not made up;
    a second run on the same day sends nothing.
    """
    policies = (
        PolicyPage.objects.live()
        .due_for_review(within_days=selectors.REVIEW_WINDOW_DAYS, today=today)
        .select_related("policy_owner", "approver")
        .order_by("next_review_date", "pk")
    )
    sent = []
    for page in policies:
        sent.extend(
            notices.announce(
                _review_event(page, today=today), people=[page.policy_owner, page.approver]
            )
        )
    return sent


def _review_event(page: PolicyPage, *, today: datetime.date) -> notices.Event:
    due = page.next_review_date
    days_overdue = (today - due).days
    if days_overdue > 0:
        weeks = (days_overdue - 1) // 7
        key = f"policy-review:{page.pk}:overdue:{due.isoformat()}:{weeks}"
        subject = f"Review overdue: {page.title} was due for review on {due:%-d %B %Y}"
    else:
        key = f"policy-review:{page.pk}:due:{due.isoformat()}"
        subject = f"Review due: {page.title} is due for review on {due:%-d %B %Y}"
    page_url = notices.absolute(page.url)
    return notices.Event(
        kind="policy-review",
        key=key,
        about=page,
        subject=subject,
        url=page_url,
        context={
            "page": page,
            "due": due,
            "overdue": days_overdue > 0,
            "days_overdue": days_overdue,
            "days_left": -days_overdue,
            "page_url": page_url,
            "edit_url": notices.absolute(reverse("wagtailadmin_pages:edit", args=[page.pk])),
        },
    )
