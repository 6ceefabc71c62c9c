"""State changes in the improvement plan, each recorded in history with who and why."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from simple_history.utils import update_change_reason

from hub.search_types import page_owner
from hub.signals import records_changed
from improvement.models import FocusArea, Milestone, RagOverride
from panels import selectors as panel_selectors


def may_manage(user) -> bool:
    return user.is_authenticated and user.has_perm("improvement.change_milestone")


@transaction.atomic
def override_status(*, milestone: Milestone, status: str, reason: str, by) -> Milestone:
    """Set (or, with ``status=""``, remove) a manager's status override; a reason is required."""
    if not may_manage(by):
        raise PermissionDenied("Only managers of the improvement plan may override a status.")
    reason = reason.strip()
    if status and status not in RagOverride.values:
        raise ValidationError({"status": "Choose complete, red, amber or green."})
    if not reason:
        raise ValidationError({"reason": "Say why the status is being overridden."})
    milestone.status_override = status
    milestone.override_reason = reason if status else ""
    milestone._history_user = by
    milestone.save(update_fields=["status_override", "override_reason"])
    update_change_reason(
        milestone, f"Status override {'set to ' + status if status else 'removed'}: {reason}"
    )
    announce(owners=records_showing([milestone]))
    return milestone


def records_showing(items) -> list[str]:
    """The owners of the search records that show these milestones and focus areas.

    A plan's records are its milestones, whose text names their focus area; the
    records of the decisions and actions serving a milestone name it in their
    milestone facet. Other items show in no record.
    """
    milestones = [item for item in items if isinstance(item, Milestone)]
    plans = {page_owner(item.plan_id) for item in items if isinstance(item, Milestone | FocusArea)}
    return sorted(plans | set(panel_selectors.record_owners_serving(milestones)))


def announce(*, owners: list[str]) -> None:
    """Tell whoever keeps copies of these records (search) that they changed."""
    if owners:
        records_changed.send(sender=Milestone, owners=owners)
