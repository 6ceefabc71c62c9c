"""State changes for panels, meetings, decisions and actions, and the emails they send.

Views, admin forms, hooks, the demo loader and tests all call these; each
validates everything before it writes anything, so bad input leaves no trace.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_update_with_history
from wagtail.models import (
    GroupPagePermission,
    Page,
    PageSubscription,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from hub import notices, roles
from hub.audiences import Audience, set_page_audience
from hub.changes import announce as announce_owners
from hub.collections import ensure_group_collection
from hub.kept_files import keep_copy
from hub.models import Notice, ReviewTask
from hub.moments import moment_of
from hub.search_types import page_owner
from panels import calendars
from panels.models import (
    Action,
    ActionPriority,
    ActionReview,
    ActionStatus,
    Decision,
    MeetingPage,
    MeetingPaper,
    MeetingStatus,
    MembershipRole,
    PanelIndexPage,
    PanelMembership,
    PanelPage,
)
from panels.models.actions import OPEN_STATUSES
from panels.search_records import action_owner
from panels.signals import minutes_published

MINUTES_WORKFLOW = "Minutes approval"
SIGN_OFF_TASK = "Chair or approver sign-off"
SECRETARY_PAGE_PERMISSIONS = ("add_page", "change_page")
CHANGEABLE_ACTION_FIELDS = frozenset(
    {
        "description",
        "owner",
        "owner_name",
        "owner_agency",
        "due_on",
        "status",
        "priority",
        "progress",
        "completed_on",
        "decision_reference",
        "agenda_item",
        "milestones",
    }
)
FIELDS_NEEDING_A_REASON = ("status", "due_on")


# Pages ------------------------------------------------------------------------------------


@transaction.atomic
def settle_published(*, page: Page) -> None:
    """Bring who may read in step with a page that has just gone live.

    The one place a panel's groups, its meetings' view restrictions and its
    actions' audiences change. It reads the live page from the database, never
    a draft, so only what is published (directly, through a workflow, on a
    schedule or by a revert) changes who may read. Once committed, the people a
    meeting concerns are told of its minutes, or of its being added or moved.
    """
    live = page.specific_class.objects.get(pk=page.pk)
    if isinstance(live, PanelPage):
        sync_panel_groups(panel=live)
        apply_panel_audience(panel=live)
    elif isinstance(live, MeetingPage):
        restrict_meeting(meeting=live)
        keep_papers(meeting=live)
        if live.status == MeetingStatus.HELD:
            transaction.on_commit(
                lambda: minutes_published.send(sender=MeetingPage, meeting=live), robust=True
            )
        _announce_publish(live)


def keep_papers(*, meeting: MeetingPage) -> None:
    """Keep a copy of each paper as the live minutes name it, and have its text read."""
    revision = meeting.live_revision
    if MeetingPaper.objects.filter(meeting=meeting, revision=revision).exists():
        return
    earlier = {
        paper.file_hash: paper.file.name for paper in MeetingPaper.objects.filter(meeting=meeting)
    }
    for title, document in meeting.attached_documents():
        paper = MeetingPaper(meeting=meeting, revision=revision, document=document, title=title)
        keep_copy(paper, document, earlier=earlier, owner=page_owner(meeting.pk))


def _announce_publish(meeting: MeetingPage) -> None:
    """Once committed, tell of minutes published or of a meeting added or moved."""
    from panels import tasks  # the task module imports this one

    if meeting.status == MeetingStatus.HELD:
        notices.announce_later(tasks.announce_minutes, meeting.pk)
    elif is_ahead(meeting):
        notices.announce_later(tasks.announce_meeting, meeting.pk)


def panel_of(meeting: MeetingPage) -> PanelPage:
    """The meeting's panel as stored now: a parent cached on the meeting may be out of date."""
    return PanelPage.objects.parent_of(meeting).get()


def restrict_meeting(*, meeting: MeetingPage) -> None:
    """Give ``meeting`` the minutes audience of its panel as published.

    A new meeting is restricted as soon as it exists, before it is ever live;
    until its panel is first published, only the panel's (empty) members group
    may read it.
    """
    panel = panel_of(meeting)
    if panel.members_group_id is None:
        ensure_panel_groups(panel=panel)
    _set_meeting_audience(meeting=meeting, panel=panel)


@transaction.atomic
def set_up_panel_index(*, index: PanelIndexPage) -> Workflow:
    """Give the roles their permissions on a new panel index and assign it the workflow."""
    roles.grant_section(page=index)
    return ensure_minutes_workflow(index=index)


@transaction.atomic
def ensure_minutes_workflow(*, index: PanelIndexPage) -> Workflow:
    """The "Minutes approval" workflow on the panels: sign-off by an approver on the panel."""
    approvers, _ = Group.objects.get_or_create(name=roles.APPROVERS)
    task = ReviewTask.objects.filter(name=SIGN_OFF_TASK).first()
    if task is None:
        task = ReviewTask.objects.create(name=SIGN_OFF_TASK)
    task.groups.set([approvers])
    workflow, _ = Workflow.objects.get_or_create(name=MINUTES_WORKFLOW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def ensure_panel_groups(*, panel: PanelPage) -> tuple[Group, Group]:
    """The panel's members and secretaries groups, named after it; members are not changed.

    The secretaries group may add and edit pages under this panel only, and add
    documents to the panel's own collection, which only its members read.
    """
    members = _panel_group(panel.members_group, f"Panel: {panel.short_code}")
    secretaries = _panel_group(panel.secretaries_group, f"Panel secretaries: {panel.short_code}")
    ensure_group_collection(
        name=f"Panel: {panel.short_code}", members=members, uploaders=secretaries
    )
    for codename in SECRETARY_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=secretaries,
            page=panel,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    if (panel.members_group_id, panel.secretaries_group_id) != (members.pk, secretaries.pk):
        PanelPage.objects.filter(pk=panel.pk).update(
            members_group=members, secretaries_group=secretaries
        )
        panel.members_group, panel.secretaries_group = members, secretaries
    return members, secretaries


@transaction.atomic
def sync_panel_groups(*, panel: PanelPage) -> tuple[Group, Group]:
    """The panel's groups, holding exactly the members ``panel`` links today."""
    members, secretaries = ensure_panel_groups(panel=panel)
    linked = [m for m in panel.current_memberships() if m.user_id]
    members.user_set.set({m.user_id for m in linked})
    secretaries.user_set.set({m.user_id for m in linked if m.role == MembershipRole.SECRETARY})
    # Comment notifications name the page and quote the comment: members only.
    PageSubscription.objects.filter(
        page__path__startswith=panel.path, user__is_superuser=False
    ).exclude(user__in=members.user_set.all()).delete()
    return members, secretaries


def _panel_group(group: Group | None, name: str) -> Group:
    if group is None:
        return Group.objects.get_or_create(name=name)[0]
    if group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    return group


def _audience_fields(panel: PanelPage) -> dict:
    is_panel = panel.minutes_audience == Audience.PANEL
    return {
        "audience": panel.minutes_audience,
        "audience_group": panel.members_group if is_panel else None,
    }


def _set_meeting_audience(*, meeting: MeetingPage, panel: PanelPage) -> None:
    set_page_audience(
        page=meeting, audience=panel.minutes_audience, panel_group=panel.members_group
    )


@transaction.atomic
def apply_panel_audience(*, panel: PanelPage) -> None:
    """Give the panel's meetings and actions the audience its minutes have now."""
    meetings = list(MeetingPage.objects.child_of(panel))
    for meeting in meetings:
        _set_meeting_audience(meeting=meeting, panel=panel)
    fields = _audience_fields(panel)
    stale = [
        action
        for action in panel.actions.all()
        if (action.audience, action.audience_group_id)
        != (fields["audience"], getattr(fields["audience_group"], "pk", None))
    ]
    for action in stale:
        action.audience, action.audience_group = fields["audience"], fields["audience_group"]
    if stale:
        bulk_update_with_history(
            stale,
            Action,
            ["audience", "audience_group"],
            default_change_reason="The panel's minutes audience changed.",
        )
    announce(actions=panel.actions.all(), pages=meetings)


# Meetings and decisions -------------------------------------------------------------------


def check_meeting_date(*, panel: PanelPage, starts_at: datetime.datetime) -> None:
    """Refuse a meeting dated outside the panel's life."""
    day = timezone.localtime(starts_at).date()
    if panel.life_includes(day):
        return
    life = f"established on {panel.established_on:%-d %B %Y}"
    if panel.ended_on:
        life += f" and ended on {panel.ended_on:%-d %B %Y}"
    raise ValidationError(
        f"{panel.title} did not meet on {day:%-d %B %Y}: it was {life}.", code="outside_life"
    )


def check_minutes_approval(
    *, meeting: MeetingPage, starts_at: datetime.datetime, earlier: MeetingPage
) -> None:
    """Refuse approving minutes that are not earlier, or already approved at another meeting."""
    if earlier.starts_at >= starts_at:
        raise ValidationError(
            f"The meeting of {earlier.local_start:%-d %B %Y} is not before this one: minutes "
            "are approved at a later meeting.",
            code="not_earlier",
        )
    other = (
        MeetingPage.objects.live()
        .filter(approves_minutes_of=earlier)
        .exclude(pk=meeting.pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            f"The minutes of {earlier.local_start:%-d %B %Y} were already approved at the "
            f"meeting of {other.local_start:%-d %B %Y}.",
            code="already_approved",
        )


def decision_prefix(*, panel: PanelPage, starts_at: datetime.datetime) -> str:
    local = timezone.localtime(starts_at)
    return f"{panel.short_code}/{local:%Y}/{local:%m}/D"


def assign_decision_references(
    *,
    panel: PanelPage,
    meeting: MeetingPage,
    starts_at: datetime.datetime,
    decisions: Iterable[Decision],
) -> None:
    """Give decisions without a reference the next ones for the panel and month; refuse clashes."""
    decisions = list(decisions)
    typed = [d.reference.strip() for d in decisions if d.reference.strip()]
    repeated = sorted({ref for ref in typed if typed.count(ref) > 1})
    if repeated:
        raise ValidationError(
            f"Decision reference {repeated[0]} is given to more than one decision on this "
            "meeting. Leave the reference empty to have one made.",
            code="reference_clash",
            params={"reference": repeated[0]},
        )
    elsewhere = Decision.objects.exclude(meeting_id=meeting.pk).select_related("meeting")
    clash = elsewhere.filter(reference__in=typed).first()
    if clash is not None:
        raise ValidationError(
            f"Decision reference {clash.reference} is already used by the meeting "
            f"“{clash.meeting.title}”. Leave the reference empty to have one made.",
            code="reference_clash",
            params={"reference": clash.reference},
        )
    prefix = decision_prefix(panel=panel, starts_at=starts_at)
    taken = set(elsewhere.filter(reference__startswith=prefix).values_list("reference", flat=True))
    number = _highest_number(taken | set(typed), prefix)
    for decision in decisions:
        if not decision.reference.strip():
            number += 1
            decision.reference = f"{prefix}{number}"


def _highest_number(references: Iterable[str], prefix: str) -> int:
    pattern = re.compile(re.escape(prefix) + r"(\d+)$")
    return max((int(m.group(1)) for ref in references if (m := pattern.match(ref))), default=0)


@transaction.atomic
def record_decision(
    *,
    meeting: MeetingPage,
    by,
    title: str,
    decision: str,
    decision_maker: str,
    outcome: str,
    reasons: str = "",
    reference: str = "",
) -> Decision:
    """Add a decision to the meeting's draft minutes, numbered, as a new revision."""
    draft = meeting.get_latest_revision_as_object()
    record = Decision(
        title=title,
        decision=decision,
        reasons=reasons,
        decision_maker=decision_maker,
        outcome=outcome,
        reference=reference,
    )
    record.full_clean(exclude=["meeting", "reference"])
    existing = list(draft.decisions.all())
    assign_decision_references(
        panel=meeting.get_parent().specific,
        meeting=meeting,
        starts_at=draft.starts_at,
        decisions=[*existing, record],
    )
    draft.decisions.add(record)
    draft.save_revision(user=by, log_action=True)
    return record


# Actions ----------------------------------------------------------------------------------


def _action_prefix(meeting: MeetingPage, panel: PanelPage) -> str:
    local = meeting.local_start
    return f"{panel.short_code}/{local:%Y}/{local:%m}/A"


def owner_fields(*, membership: PanelMembership, on: datetime.date) -> dict:
    """The owner of an action given to ``membership``: someone on the panel on ``on``."""
    if membership.from_date > on or (membership.to_date and membership.to_date < on):
        served = f"from {membership.from_date:%-d %B %Y}"
        if membership.to_date:
            served += f" to {membership.to_date:%-d %B %Y}"
        raise ValidationError(
            {
                "owner": f"{membership.name} was not on the panel on {on:%-d %B %Y} (they "
                f"served {served}). Choose someone who was."
            }
        )
    return {
        "owner": membership.user,
        "owner_name": membership.name,
        "owner_agency": membership.agency,
    }


def _check_action(action: Action, *, owner_changed: bool = True) -> None:
    errors = {}
    if not action.owner_name.strip():
        errors["owner"] = "Say who owns the action."
    elif owner_changed and action.owner_id and not action.owner.is_active:
        errors["owner"] = (
            f"{action.owner_name} no longer has an active sign-in. Choose someone on the panel now."
        )
    if action.due_on and action.raised_on and action.due_on < action.raised_on:
        errors["due_on"] = (
            f"The due date {action.due_on:%-d %B %Y} is before the action was raised "
            f"on {action.raised_on:%-d %B %Y}."
        )
    if errors:
        raise ValidationError(errors)
    action.full_clean()


def announce(*, actions=(), pages=()) -> None:
    """Tell whoever keeps copies of these records (search) that they changed."""
    announce_owners(
        [action_owner(action.pk) for action in actions] + [page_owner(page.pk) for page in pages]
    )


def _stamp(action: Action, *, by, reason: str, when: datetime.datetime) -> None:
    """Tell simple-history who made this change, why, and when it took effect."""
    action._history_user = by
    action._change_reason = reason
    action._history_date = when


def build_action(
    *,
    meeting: MeetingPage,
    description: str,
    owner_agency: str,
    due_on: datetime.date,
    owner=None,
    owner_name: str = "",
    priority: str = ActionPriority.MEDIUM,
    decision_reference: str = "",
    agenda_item: str = "",
) -> Action:
    """A new action for ``meeting``, numbered and checked but not saved.

    ``owner`` is the owner's sign-in, if they have one; ``owner_name`` defaults to its name.
    """
    if owner is not None and not isinstance(owner, get_user_model()):
        raise ValidationError({"owner": "An action's owner must be a person."})
    panel = panel_of(meeting)
    prefix = _action_prefix(meeting, panel)
    taken = Action.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    action = Action(
        reference=f"{prefix}{_highest_number(taken, prefix) + 1}",
        description=description,
        owner=owner,
        owner_name=owner_name or (_person_name(owner) if owner else ""),
        owner_agency=owner_agency,
        raised_on=meeting.local_start.date(),
        due_on=due_on,
        priority=priority,
        panel=panel,
        meeting=meeting,
        decision_reference=decision_reference,
        agenda_item=agenda_item,
        **_audience_fields(panel),
    )
    _check_action(action)
    return action


def _person_name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def raise_action(*, meeting: MeetingPage, by, milestones=(), when=None, **values) -> Action:
    """Record an action raised at ``meeting``, numbered for its panel and month.

    ``values`` are those of ``build_action``. The history dates it by the meeting.
    """
    action = build_action(meeting=meeting, **values)
    reason = f"Raised at the meeting of {meeting.local_start:%-d %B %Y}."
    _stamp(action, by=by, reason=reason, when=when or moment_of(action.raised_on))
    action.save()
    if milestones:
        _set_milestones(action, milestones)
        _keep_milestones_in(action.history.get(), action=action)
    announce(actions=[action])
    return action


def _keep_milestones_in(entry, *, action: Action) -> None:
    """Add the milestones named as the action was raised to the entry that records it."""
    kept = type(entry).milestones.model
    links = Action.milestones.through.objects.filter(action=action)
    kept.objects.bulk_create(
        kept(history=entry, id=link.id, action=action, milestone_id=link.milestone_id)
        for link in links
    )


def reason_required(action: Action, changes: dict) -> list[str]:
    """The fields among ``changes`` whose change must be explained."""
    return [
        field
        for field in FIELDS_NEEDING_A_REASON
        if field in changes and changes[field] != getattr(action, field)
    ]


def check_change_date(
    *, action: Action, on: datetime.date, last: datetime.datetime | None = None
) -> None:
    """Refuse a change dated in the future, before the action was raised or before its last one."""
    if on > timezone.localdate():
        raise ValidationError({"on": f"{on:%-d %B %Y} is in the future."})
    if on < action.raised_on:
        raise ValidationError(
            {"on": f"The action was raised on {action.raised_on:%-d %B %Y}, after {on:%-d %B %Y}."}
        )
    if last is not None and on < timezone.localtime(last).date():
        raise ValidationError(
            {
                "on": f"The last change to this action took effect on "
                f"{timezone.localtime(last):%-d %B %Y}; date this one on or after it."
            }
        )


def apply_action_changes(
    *,
    action: Action,
    reason: str,
    changes: dict,
    on: datetime.date,
    last: datetime.datetime | None = None,
) -> Action:
    """Apply ``changes``, taking effect on ``on``, to ``action`` in memory; nothing is saved.

    Every problem is refused at once, each under the field it belongs to.
    """
    unknown = set(changes) - CHANGEABLE_ACTION_FIELDS
    if unknown:
        raise TypeError(f"Actions cannot be changed this way: {', '.join(sorted(unknown))}")
    errors: dict = {}
    needing = reason_required(action, changes)
    if needing and not reason.strip():
        labels = " and ".join(str(Action._meta.get_field(f).verbose_name) for f in needing)
        errors["reason"] = [f"Say why the {labels} changed."]
    try:
        check_change_date(action=action, on=on, last=last)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    for name, value in changes.items():
        if name != "milestones":
            setattr(action, name, value)
    if changes.get("owner") and "owner_name" not in changes:
        action.owner_name = _person_name(changes["owner"])
    _complete_or_reopen(action, changes, on=on)
    try:
        _check_action(action, owner_changed=bool({"owner", "owner_name"} & set(changes)))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return action


def _last_change(action: Action) -> datetime.datetime | None:
    return action.history.order_by("-history_date").values_list("history_date", flat=True).first()


@transaction.atomic
def change_action(
    *,
    action: Action,
    by,
    reason: str = "",
    on: datetime.date | None = None,
    when: datetime.datetime | None = None,
    **changes,
) -> Action:
    """Change an action; a change of status or due date must say why. Returns the saved action.

    The change takes effect on ``on`` (today unless given: the date of the
    meeting it was reported at, or a date the secretary gives), which dates its
    completion and its place in the history. ``milestones``, when given,
    replaces the milestones it serves, kept in the same history entry.
    """
    current = Action.objects.select_for_update().get(pk=action.pk)
    last = _last_change(current)
    if on is None:
        on = timezone.localtime(when).date() if when else timezone.localdate()
    apply_action_changes(action=current, reason=reason, changes=changes, on=on, last=last)
    _stamp(current, by=by, reason=reason.strip(), when=when or moment_of(on, after=last))
    if "milestones" in changes:
        _set_milestones(current, changes["milestones"])
    current.save()
    announce(actions=[current])
    return current


def _set_milestones(action: Action, milestones) -> None:
    # Kept in the history entry of the save that goes with them, not an entry of their own.
    action.skip_history_when_saving = True
    try:
        action.milestones.set(milestones)
    finally:
        del action.skip_history_when_saving


def _complete_or_reopen(action: Action, changes: dict, *, on: datetime.date) -> None:
    if "status" not in changes or "completed_on" in changes:
        return
    if action.status == ActionStatus.DONE and action.completed_on is None:
        action.completed_on = on
    elif action.status != ActionStatus.DONE:
        action.completed_on = None


@transaction.atomic
def carry_forward_open_actions(*, meeting: MeetingPage) -> list[ActionReview]:
    """Bring the open actions of the panel's earlier meetings to ``meeting`` as matters arising.

    Running it again adds only actions that were not yet brought forward.
    """
    open_earlier = (
        Action.objects.open()
        .filter(panel_id=meeting.get_parent().pk, meeting__starts_at__lt=meeting.starts_at)
        .exclude(reviews__meeting=meeting)
    )
    ActionReview.objects.bulk_create(
        [ActionReview(action=action, meeting=meeting) for action in open_earlier]
    )
    return list(
        ActionReview.objects.filter(meeting=meeting).select_related("action", "action__owner")
    )


def panels_reviewed_at(meeting: MeetingPage) -> list[int]:
    """The panels whose actions come to ``meeting``: its own and those its panel oversees."""
    panel = panel_of(meeting)
    return [panel.pk, *panel.oversees.values_list("pk", flat=True)]


@transaction.atomic
def record_progress(
    *,
    action: Action,
    meeting: MeetingPage,
    by,
    progress: str,
    reason: str = "",
    on: datetime.date | None = None,
    when: datetime.datetime | None = None,
    **changes,
) -> ActionReview:
    """Record what was reported on ``action`` at a later meeting, and any change it brings.

    The change takes effect on the meeting's date unless ``on`` says otherwise.
    """
    if action.panel_id not in panels_reviewed_at(meeting):
        raise ValidationError(
            {
                "meeting": "Progress is recorded at a meeting of the panel that raised the "
                "action, or of a panel overseeing it."
            }
        )
    if meeting.starts_at <= action.meeting.starts_at:
        raise ValidationError(
            {"meeting": "Progress is recorded at a meeting after the one that raised the action."}
        )
    if not progress.strip():
        raise ValidationError({"progress": "Say what progress was reported."})
    # Progress alone is explained by the meeting; a new status or due date needs its own reason.
    default = f"Progress reported at the meeting of {meeting.local_start:%-d %B %Y}."
    explained = reason.strip() or ("" if reason_required(action, changes) else default)
    change_action(
        action=action,
        by=by,
        reason=explained,
        on=on or meeting.local_start.date(),
        when=when,
        progress=progress.strip(),
        **changes,
    )
    review, _ = ActionReview.objects.update_or_create(
        action=action,
        meeting=meeting,
        defaults={"progress": progress.strip(), "recorded_by": by, "recorded_at": timezone.now()},
    )
    return review


CARRIED_FORWARD = "Carried forward to the next meeting."


@dataclass(frozen=True)
class Report:
    """What a meeting heard about one open action: progress, and any change it brings."""

    action: Action
    progress: str = ""
    carried_forward: bool = False
    reason: str = ""
    changes: dict = field(default_factory=dict)


class ReportsRefused(Exception):
    """Some reports were refused, so none was recorded; ``errors`` maps a report's position."""

    def __init__(self, errors: dict[int, ValidationError]):
        super().__init__(f"{len(errors)} report(s) refused")
        self.errors = errors


def record_matters_arising(
    *, meeting: MeetingPage, by, reports: list[Report], on: datetime.date | None = None
) -> list[ActionReview]:
    """Record every report made at ``meeting`` on earlier actions, all or none.

    Each report is checked in full, so a refusal names every problem at once.
    """
    errors: dict[int, ValidationError] = {}
    reviews = []
    with transaction.atomic():
        for index, report in enumerate(reports):
            try:
                with transaction.atomic():
                    reviews.append(_record_report(meeting=meeting, by=by, report=report, on=on))
            except ValidationError as error:
                errors[index] = error
        if errors:
            raise ReportsRefused(errors)
    return reviews


def _record_report(*, meeting: MeetingPage, by, report: Report, on) -> ActionReview:
    if report.carried_forward and report.changes.get("status") not in (None, *OPEN_STATUSES):
        raise ValidationError(
            {"carried_forward": "An action carried forward stays open: clear one of the two."}
        )
    progress = report.progress.strip() or (CARRIED_FORWARD if report.carried_forward else "")
    return record_progress(
        action=report.action,
        meeting=meeting,
        by=by,
        progress=progress,
        reason=report.reason,
        on=on,
        **report.changes,
    )


# Notices ----------------------------------------------------------------------------------


def is_ahead(meeting: MeetingPage, *, now: datetime.datetime | None = None) -> bool:
    """Whether ``meeting`` is still to be held: scheduled, and starting later than ``now``."""
    return meeting.status == MeetingStatus.SCHEDULED and meeting.starts_at > (now or timezone.now())


def panel_members(panel: PanelPage) -> QuerySet:
    """The people on ``panel`` as published: those its minutes and meetings concern."""
    if panel.members_group_id is None:
        return get_user_model().objects.none()
    return panel.members_group.user_set.all()


def _when(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y at %H:%M}"


def minutes_event(*, meeting: MeetingPage, panel: PanelPage) -> notices.Event:
    """The news that ``meeting``'s minutes are published, told once: never their confidential
    part, which is for the panel's own members and read on the page."""
    return notices.Event(
        kind="minutes",
        key=f"minutes:{meeting.pk}",
        about=meeting,
        subject=f"Minutes of {panel.title}: {meeting.title}",
        url=notices.absolute(meeting.url),
        context={
            "panel_title": panel.title,
            "meeting_title": meeting.title,
            "held_on": f"{meeting.local_start:%-d %B %Y}",
            "decisions": [str(decision) for decision in meeting.decisions.all()],
        },
    )


def meeting_event(*, meeting: MeetingPage, panel: PanelPage) -> notices.Event:
    """The news that ``meeting`` was added, or moved since it was last announced, with an
    invitation whose sequence grows with each move.

    Each start time is its own key, so publishing a meeting again at the same time
    tells nobody twice.
    """
    prefix = f"meeting:{meeting.pk}:"
    key = f"{prefix}{meeting.starts_at.isoformat()}"
    about_type = ContentType.objects.get_for_model(MeetingPage)
    earlier = list(
        Notice.objects.filter(about_type=about_type, about_id=meeting.pk, key__startswith=prefix)
        .exclude(key=key)
        .values("key")
        .annotate(latest=Max("created_at"))
        .order_by("-latest")
        .values_list("key", flat=True)
    )
    moved_from = (
        datetime.datetime.fromisoformat(earlier[0].removeprefix(prefix)) if earlier else None
    )
    url = notices.absolute(meeting.url)
    when = _when(meeting.starts_at)
    if moved_from is None:
        subject = f"New meeting of {panel.title}: {meeting.title}, {when}"
    else:
        subject = f"Meeting moved: {panel.title}: {meeting.title}, now {when}"
    return notices.Event(
        kind="meeting",
        key=key,
        about=meeting,
        subject=subject,
        url=url,
        context={
            "panel_title": panel.title,
            "meeting_title": meeting.title,
            "when": when,
            "ends": f"{timezone.localtime(meeting.ends_at):%H:%M}" if meeting.ends_at else "",
            "place": meeting.place,
            "moved_from": _when(moved_from) if moved_from else "",
        },
        calendar=calendars.invitation(meeting, panel=panel, url=url, sequence=len(earlier)),
    )


def _publish_event(*, meeting: MeetingPage, panel: PanelPage) -> notices.Event | None:
    """What publishing ``meeting`` as it is now announces, if anything."""
    if meeting.status == MeetingStatus.HELD:
        return minutes_event(meeting=meeting, panel=panel)
    if is_ahead(meeting):
        return meeting_event(meeting=meeting, panel=panel)
    return None


def announce_minutes(*, meeting: MeetingPage) -> list[Notice]:
    """Tell the panel's members and followers who may read them that the minutes are out."""
    if not (meeting.live and meeting.status == MeetingStatus.HELD):
        return []
    panel = panel_of(meeting)
    return notices.announce(
        minutes_event(meeting=meeting, panel=panel),
        people=panel_members(panel),
        subscribed_to=[panel],
    )


def announce_meeting(*, meeting: MeetingPage) -> list[Notice]:
    """Invite the panel's members and followers who may read it to a meeting added or moved."""
    if not (meeting.live and is_ahead(meeting)):
        return []
    panel = panel_of(meeting)
    return notices.announce(
        meeting_event(meeting=meeting, panel=panel),
        people=panel_members(panel),
        subscribed_to=[panel],
    )


def publish_recipients(*, page: Page) -> QuerySet | None:
    """Who publishing this meeting as it is now would tell; None for other pages.

    The members and followers of its panel who may read the meeting, less those
    told of it already (a correction to minutes, a meeting republished unmoved).
    """
    if type(page) is Page:
        page = page.specific
    if not isinstance(page, MeetingPage):
        return None
    people = get_user_model().objects
    if page.pk is None:
        return people.none()
    panel = panel_of(page)
    event = _publish_event(meeting=page, panel=panel)
    if event is None:
        return people.none()
    reached = notices.recipients(event, people=panel_members(panel), subscribed_to=[panel])
    return people.filter(pk__in=[reach.user.pk for reach in reached]).exclude(
        notices__key=event.key
    )
