"""State changes in the improvement plan, each recorded in history with who and why."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from simple_history.utils import update_change_reason

from hub.changes import announce
from improvement.models import Milestone, RagOverride
from improvement.search_records import records_showing


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
    announce(records_showing([milestone]))
    return milestone
