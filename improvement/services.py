"""State changes in the improvement plan, each recorded in history with who and why."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from simple_history.utils import update_change_reason

from hub.search_types import page_owner
from hub.signals import records_changed
from improvement.models import Milestone, RagOverride
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


def records_showing(milestones) -> list[str]:
    """The owners of the search records that show ``milestones``.

    Their plans' records are the milestones themselves; the records of the
    decisions and actions serving them name them in their milestone facet.
    """
    plans = {page_owner(milestone.plan_id) for milestone in milestones}
    return sorted(plans | set(panel_selectors.record_owners_serving(milestones)))


def announce(*, owners: list[str]) -> None:
    """Tell whoever keeps copies of these records (search) that they changed."""
    if owners:
        records_changed.send(sender=Milestone, owners=owners)
