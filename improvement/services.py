"""State changes in the improvement plan, each recorded in history with who and why."""

import datetime
from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import update_change_reason
from wagtail.log_actions import log

from hub.audiences import may_see
from hub.changes import announce
from hub.moments import moment_of
from hub.notices import announce_later
from hub.search_types import page_owner
from improvement import selectors, tasks
from improvement.models import ImprovementPlanPage, Milestone, RagOverride, Risk
from improvement.progress import Rag
from improvement.search_records import records_showing


def may_manage(user) -> bool:
    return user.is_authenticated and user.has_perm("improvement.change_milestone")


@transaction.atomic
def override_status(
    *, milestone: Milestone, status: str, reason: str, by, on: datetime.date | None = None
) -> Milestone:
    """Set (or, with ``status=""``, remove) a manager's status override; a reason is required.

    ``on`` is the day it took effect (today unless given): "as at" views count it from then.

    An override that turns the milestone red (as the plan shows it today; one already
    red is not turning) is told to the plan's managers once committed, from a task: a
    failing mail server or task never undoes or stops the override.
    """
    if not may_manage(by):
        raise PermissionDenied("Only managers of the improvement plan may override a status.")
    reason = reason.strip()
    on = on or timezone.localdate()
    last = _last_recorded(milestone)
    errors = {}
    if status and status not in RagOverride.values:
        errors["status"] = "Choose complete, red, amber or green."
    if not reason:
        errors["reason"] = "Say why the status is being overridden."
    if on > timezone.localdate():
        errors["on"] = "An override cannot take effect in the future: choose today or earlier."
    elif last is not None and on < timezone.localtime(last).date():
        errors["on"] = (
            f"The last change to this milestone was recorded on "
            f"{timezone.localtime(last):%-d %B %Y}; date this one on or after it."
        )
    if errors:
        raise ValidationError(errors)
    turns_red = status == Rag.RED and not _red_today(milestone)
    milestone.status_override = status
    milestone.override_reason = reason if status else ""
    milestone._history_user = by
    milestone._history_date = moment_of(on, after=last)
    milestone.save(update_fields=["status_override", "override_reason"])
    update_change_reason(
        milestone, f"Status override {'set to ' + status if status else 'removed'}: {reason}"
    )
    announce(records_showing([milestone]))
    if turns_red:
        _announce_red(milestone)
    return milestone


def _red_today(milestone: Milestone) -> bool:
    """Whether the plan shows ``milestone`` red today, as recorded so far."""
    today = timezone.localdate()
    statuses = selectors.statuses_on([milestone], plan=milestone.plan, on=today)
    return statuses[milestone.pk].status == Rag.RED


def _announce_red(milestone: Milestone) -> None:
    """Tell the plan's managers, once committed, of the override just recorded."""
    history_id = (
        milestone.history.order_by("-history_date", "-history_id")
        .values_list("history_id", flat=True)
        .first()
    )
    announce_later(tasks.announce_red_override, milestone.pk, history_id)


def _last_recorded(milestone: Milestone) -> datetime.datetime | None:
    return (
        milestone.history.values_list("history_date", flat=True).order_by("-history_date").first()
    )


# Risks --------------------------------------------------------------------------------------

RISK_CHANGED = "improvement.risk_changed"
CHANGEABLE_RISK_FIELDS = frozenset(selectors.RISK_HISTORY_FIELDS)
RATING_FIELDS = ("impact", "likelihood")


def may_change_risk(user, risk: Risk) -> bool:
    """Managers of the plan change the risks they may see."""
    return (
        user.is_authenticated and user.has_perm("improvement.change_risk") and may_see(user, risk)
    )


@transaction.atomic
def record_risk(
    *, plan: ImprovementPlanPage, by, on: datetime.date | None = None, **fields
) -> Risk:
    """Add a risk to the plan's register, as recorded on ``on`` (today unless given)."""
    risk = Risk(plan=plan, **fields)
    if not (by.is_authenticated and by.has_perm("improvement.add_risk") and may_see(by, risk)):
        raise PermissionDenied(
            "Only managers of the improvement plan may add a risk, and only one they may see."
        )
    on = on or timezone.localdate()
    errors: dict = {}
    if on > timezone.localdate():
        errors["on"] = [f"{on:%-d %B %Y} is in the future."]
    try:
        risk.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    risk._history_user = by
    risk._history_date = moment_of(on)
    risk.save()
    _announce_risk(risk)
    return risk


def reason_needed(risk: Risk, changes: dict) -> str:
    """What a reason must explain about ``changes`` to ``risk``, or "" when none is needed.

    A new impact or likelihood, and closing or reopening the risk, each need one.
    """
    rated = [
        str(Risk._meta.get_field(name).verbose_name)
        for name in RATING_FIELDS
        if name in changes and changes[name] != getattr(risk, name)
    ]
    state = ""
    if "closed" in changes and bool(changes["closed"]) != risk.closed:
        state = "the risk is being closed" if changes["closed"] else "the risk is being reopened"
    if rated and state:
        return f"Say why the {' and '.join(rated)} changed and {state}."
    if rated:
        return f"Say why the {' and '.join(rated)} changed."
    if state:
        return f"Say why {state}."
    return ""


def check_risk_change_date(*, on: datetime.date, last: dict | None) -> None:
    """Refuse a change dated in the future, or before the entry ``last`` in the risk's history."""
    if on > timezone.localdate():
        raise ValidationError({"on": f"{on:%-d %B %Y} is in the future."})
    if last is None:
        return
    then = timezone.localtime(last["history_date"]).date()
    if on >= then:
        return
    if last["history_type"] == "+":
        message = f"This risk was recorded on {then:%-d %B %Y}; date the change on or after it."
    else:
        message = (
            f"The last change to this risk took effect on {then:%-d %B %Y}; "
            "date this one on or after it."
        )
    raise ValidationError({"on": message})


def apply_risk_changes(
    *, risk: Risk, reason: str, changes: dict, on: datetime.date, last: dict | None = None
) -> Risk:
    """Apply ``changes``, taking effect on ``on``, to ``risk`` in memory; nothing is saved.

    Every problem is refused at once, each under the field it belongs to.
    """
    errors: dict = {}
    needed = reason_needed(risk, changes)
    if needed and not reason.strip():
        errors["reason"] = [needed]
    try:
        check_risk_change_date(on=on, last=last)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    for name, value in changes.items():
        setattr(risk, name, value)
    try:
        risk.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return risk


@transaction.atomic
def change_risk(
    *, risk: Risk, by, reason: str = "", on: datetime.date | None = None, **changes
) -> Risk:
    """Change a risk; a new impact or likelihood, closing or reopening must say why.

    The change takes effect on ``on`` (today unless given), which dates it in the
    risk's history; the entry also keeps when it was written, who made it and the
    reason. The admin's log says what changed, in words. Saving no change writes
    nothing. Returns the risk as saved.
    """
    unknown = set(changes) - CHANGEABLE_RISK_FIELDS
    if unknown:
        raise TypeError(f"Risks cannot be changed this way: {', '.join(sorted(unknown))}")
    current = Risk.objects.select_for_update().get(pk=risk.pk)
    if not may_change_risk(by, current):
        raise PermissionDenied(
            "Only managers of the improvement plan may change a risk, and only one they may see."
        )
    changes = {name: value for name, value in changes.items() if _differs(current, name, value)}
    if not changes:
        return current
    before = selectors.risk_values(current)
    last = _last_entry(current)
    on = on or timezone.localdate()
    apply_risk_changes(risk=current, reason=reason, changes=changes, on=on, last=last)
    current._history_user = by
    current._change_reason = reason.strip() or None
    current._history_date = moment_of(on, after=last["history_date"] if last else None)
    current.save()
    _log_risk_change(current, by=by, before=before, reason=reason.strip(), on=on)
    _announce_risk(current)
    return current


def _differs(risk: Risk, name: str, value) -> bool:
    model_field = Risk._meta.get_field(name)
    if model_field.is_relation:
        return getattr(risk, model_field.attname) != getattr(value, "pk", value)
    return getattr(risk, name) != value


def _last_entry(risk: Risk) -> dict | None:
    return (
        risk.history.order_by("-history_date", "-history_id")
        .values("history_date", "history_type")
        .first()
    )


def _log_risk_change(risk: Risk, *, by, before: dict, reason: str, on: datetime.date) -> None:
    after = selectors.risk_values(risk)
    changes = selectors.risk_changes(before, after, names=selectors.risk_names([before, after]))
    log(
        instance=risk,
        action=RISK_CHANGED,
        user=by,
        data={
            "changes": [asdict(change) for change in changes],
            "reason": reason,
            "on": on.isoformat(),
        },
        content_changed=True,
    )


def _announce_risk(risk: Risk) -> None:
    # The plan's pages show its risks: pages kept for anonymous readers go stale.
    announce([page_owner(risk.plan_id)])
