"""State changes in the policy library: versions, attachments, acknowledgements, the workflow."""

import datetime
import hashlib

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.models import (
    Revision,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from hub import roles
from hub.audiences import may_see, set_page_audience
from hub.models import ReviewTask
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
    Recording the same revision twice returns the version already written.
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
    for block in page.body:
        if block.block_type != "document":
            continue
        document = block.value["document"]
        if document is None or version.attachments.filter(document=document).exists():
            continue
        with document.file.open("rb") as source:
            content = source.read()
        file_hash = hashlib.sha256(content).hexdigest()
        attachment = VersionAttachment(
            version=version,
            document=document,
            title=block.value["title"] or document.title,
            file_hash=file_hash,
            file_size=len(content),
        )
        if file_hash in earlier:
            attachment.file.name = earlier[file_hash]
        else:
            attachment.file.save(document.file.name.rsplit("/", 1)[-1], ContentFile(content), False)
            earlier[file_hash] = attachment.file.name
        attachment.save()


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
