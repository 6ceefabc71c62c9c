"""Background work of the improvement plan: telling its managers of a milestone set to red."""

from django_tasks import task

from improvement import reminders


@task()
def announce_red_override(milestone_id: int, history_id: int) -> int:
    """Tell the plan's managers that an override set this milestone to red; how many hear."""
    return len(reminders.announce_override(milestone_id=milestone_id, history_id=history_id))
