"""The improvement plan's searchable records: its milestones and the inspections it answers."""

from collections.abc import Iterable, Iterator

from hub.audiences import Audience, narrow, record_key, restriction_keys
from hub.search_types import SearchDocument, page_ids, page_owner
from improvement.models import FocusArea, ImprovementPlanPage, Inspection, Milestone
from panels.search_records import records_serving


def records_showing(items) -> list[str]:
    """The owners of the search records that show these milestones and focus areas.

    A plan's records are its milestones, whose text names their focus area, and its
    inspections; the
    records of the decisions and actions serving a milestone name it in their
    milestone facet. Other items show in no record.
    """
    milestones = [item for item in items if isinstance(item, Milestone)]
    plans = {
        page_owner(item.plan_id)
        for item in items
        if isinstance(item, Milestone | FocusArea | Inspection)
    }
    return sorted(plans | set(records_serving(milestones)))


def search_records(owners: Iterable[str] | None = None) -> Iterator[SearchDocument]:
    """Records for the milestones and inspections of the plans among ``owners`` (all when None).

    A plan's milestones and inspections are its records, so a change to any milestone refreshes
    the plan's (a few hundred at most) and a moved plan takes its addresses along.
    """
    plans = ImprovementPlanPage.objects.live()
    ids = page_ids(owners)
    if ids is not None:
        plans = plans.filter(pk__in=ids)
    plans = list(plans)
    if not plans:
        return
    # Milestones are read on their plan's pages, so the plan's view restrictions bound them.
    admitted = restriction_keys(plans)
    urls = {plan.pk: plan.get_url() or "" for plan in plans}
    milestones = Milestone.objects.filter(plan__in=plans).select_related("focus_area")
    for milestone in milestones.iterator(chunk_size=200):
        yield SearchDocument(
            key=f"milestone:{milestone.pk}",
            owner=page_owner(milestone.plan_id),
            kind="Milestone",
            title=milestone.title,
            text="\n".join([milestone.description, milestone.focus_area.title, milestone.period]),
            url=f"{urls[milestone.plan_id]}milestones/{milestone.pk}/",
            audience_keys=narrow(
                {record_key(milestone.audience, milestone.audience_group_id)},
                admitted[milestone.plan_id],
            ),
            date=milestone.due_on,
            facets={
                "status": "Done" if milestone.done_on else "Open",
                "milestone": (milestone.title,),
            },
        )
    yield from inspection_records(plans, admitted, urls)


def inspection_records(plans, admitted, urls) -> Iterator[SearchDocument]:
    """A published inspection report is public: anyone who may read the plan finds it."""
    public = {record_key(Audience.PUBLIC, None)}
    inspections = (
        Inspection.objects.filter(plan__in=plans)
        .exclude(published_on=None)
        .prefetch_related("judgements")
    )
    for inspection in inspections:
        judgements = [str(judgement) for judgement in inspection.judgements.all()]
        yield SearchDocument(
            key=f"inspection:{inspection.pk}",
            owner=page_owner(inspection.plan_id),
            kind="Inspection",
            title=inspection.title,
            text="\n".join([inspection.inspectorate, inspection.summary, *judgements]),
            url=f"{urls[inspection.plan_id]}inspections/{inspection.pk}/",
            audience_keys=narrow(public, admitted[inspection.plan_id]),
            date=inspection.published_on or inspection.ended_on,
        )
