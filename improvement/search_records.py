"""The improvement plan's searchable records: its milestones."""

from collections.abc import Iterable, Iterator

from hub.audiences import record_key
from hub.search_types import SearchDocument, page_ids, page_owner
from improvement.models import Milestone


def search_records(owners: Iterable[str] | None = None) -> Iterator[SearchDocument]:
    """Records for the milestones of the plans among ``owners`` (all when None).

    A plan's milestones are its records, so a change to any milestone refreshes
    the plan's (a few hundred at most) and a moved plan takes its addresses along.
    """
    milestones = Milestone.objects.select_related("plan", "focus_area")
    plans = page_ids(owners)
    if plans is not None:
        milestones = milestones.filter(plan_id__in=plans)
    for milestone in milestones.iterator(chunk_size=200):
        if not milestone.plan.live:
            continue
        yield SearchDocument(
            key=f"milestone:{milestone.pk}",
            owner=page_owner(milestone.plan_id),
            kind="Milestone",
            title=milestone.title,
            text="\n".join([milestone.description, milestone.focus_area.title, milestone.period]),
            url=f"{milestone.plan.get_url() or ''}milestones/{milestone.pk}/",
            audience_keys=frozenset({record_key(milestone.audience, milestone.audience_group_id)}),
            date=milestone.due_on,
            status="Done" if milestone.done_on else "Open",
            milestones=(milestone.title,),
        )
