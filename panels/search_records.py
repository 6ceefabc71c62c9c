"""The panels' searchable records: panels, minutes (public and confidential apart), decisions,
the text of the papers and actions, each carrying the audience keys of the people who may
read it."""

import operator
from collections.abc import Iterable, Iterator
from functools import reduce

from bs4 import BeautifulSoup
from django.db.models import F, Prefetch, Q
from django.urls import reverse

from hub import document_text
from hub.audiences import narrow, record_key, restriction_keys, with_restriction_keys
from hub.search_types import (
    ATTACHMENT_KIND,
    SearchDocument,
    milestone_names,
    page_ids,
    page_owner,
)
from panels import selectors
from panels.models import Action, Decision, MeetingPage, MeetingPaper, PanelPage

ACTION_PREFIX = "action:"
DECISION_PREFIX = "decision:"


def action_owner(action_id: int) -> str:
    """The owner name of an action's record, announced when the action changes."""
    return f"{ACTION_PREFIX}{action_id}"


def records_serving(milestones) -> list[str]:
    """The owners of the records of decisions and actions serving any of ``milestones``.

    Those records name the milestones in their milestone facet, so they change
    when a milestone's title or audience does.
    """
    meetings = Decision.objects.filter(milestones__in=milestones).values_list("meeting_id")
    actions = Action.objects.filter(milestones__in=milestones).values_list("pk")
    return sorted(
        {page_owner(meeting_id) for (meeting_id,) in meetings}
        | {action_owner(action_id) for (action_id,) in actions}
    )


def search_records(owners: Iterable[str] | None = None) -> Iterator[SearchDocument]:
    """Records for the panels, meetings and actions among ``owners`` (all when None)."""
    owners = None if owners is None else list(owners)
    ids = page_ids(owners)
    panels = {panel.path: panel for panel in PanelPage.objects.live()}
    asked = [panel for panel in panels.values() if ids is None or panel.pk in ids]
    admitted = restriction_keys(asked)
    for panel in asked:
        yield panel_record(panel, admitted[panel.pk])
    meetings = MeetingPage.objects.live()
    if ids is not None:
        meetings = meetings.filter(pk__in=ids)
    # The papers of the minutes in force, and the text of each, read once for them all.
    papers = MeetingPaper.objects.filter(
        meeting__in=meetings, revision_id=F("meeting__live_revision_id")
    )
    texts = document_text.texts_of(papers.values_list("file_hash", flat=True))
    meetings = meetings.prefetch_related(
        "decisions__milestones", Prefetch("kept_papers", queryset=papers, to_attr="papers_in_force")
    )
    for meeting, meeting_admits in with_restriction_keys(meetings.iterator(chunk_size=100)):
        panel = panels.get(meeting.path[: -MeetingPage.steplen])
        if panel is not None:
            yield from meeting_records(meeting, panel, meeting_admits, texts)
    yield from action_records(_action_ids(owners))


def _audience(panel: PanelPage) -> frozenset[str]:
    return frozenset({record_key(panel.minutes_audience, panel.members_group_id)})


def _panel_groups(panel: PanelPage) -> frozenset[str]:
    """The confidential part is for the panel's own members and secretaries."""
    groups = {panel.members_group_id, panel.secretaries_group_id} - {None}
    return frozenset(f"group:{group_id}" for group_id in groups)


def _text(html) -> str:
    return BeautifulSoup(str(html), "html.parser").get_text(" ", strip=True)


def panel_record(panel: PanelPage, admitted: frozenset[str]) -> SearchDocument:
    """The panel's purpose and terms; ``admitted`` are the keys of its page's restrictions."""
    return SearchDocument(
        key=f"panel:{panel.pk}",
        owner=page_owner(panel.pk),
        kind="Panel",
        title=panel.title,
        text="\n".join([panel.purpose, _text(panel.terms_of_reference)]),
        url=panel.get_url() or "",
        # Its page is open to whoever the restrictions above admit, but the panel is found
        # only by those who may also read its minutes.
        audience_keys=narrow(_audience(panel), admitted),
        date=panel.established_on,
        facets={"panel": panel.title, "status": "Ended" if panel.ended_on else "Meeting"},
    )


def meeting_records(
    meeting: MeetingPage, panel: PanelPage, admitted: frozenset[str], texts: dict
) -> Iterator[SearchDocument]:
    """The minutes, the confidential part on its own, each decision, and each paper's text
    (``texts``, by the paper's hash).

    All are read on the meeting's page, so each stays within what ``admitted``
    (the keys of the restrictions on the meeting's page and above it) allows.
    """
    minutes_audience = narrow(_audience(panel), admitted)
    url = meeting.get_url() or ""
    day = meeting.local_start.date()
    meeting_facets = {"panel": panel.title, "status": meeting.get_status_display()}
    minutes = [
        f"{item.value['title']}. {_text(item.value['minutes'] or '')}" for item in meeting.agenda
    ]
    yield SearchDocument(
        key=f"minutes:{meeting.pk}",
        owner=page_owner(meeting.pk),
        kind="Minutes",
        title=meeting.title,
        text="\n".join([*minutes, meeting.declarations_of_interest]),
        url=url,
        audience_keys=minutes_audience,
        date=day,
        facets=meeting_facets,
    )
    if meeting.confidential_minutes:
        yield SearchDocument(
            key=f"confidential:{meeting.pk}",
            owner=page_owner(meeting.pk),
            kind="Confidential minutes",
            title=f"{meeting.title} (confidential part)",
            text=_text(meeting.confidential_minutes),
            url=url,
            audience_keys=narrow(_panel_groups(panel), admitted),
            date=day,
            facets=meeting_facets,
        )
    for decision in meeting.decisions.all():
        yield SearchDocument(
            key=decision_key(meeting.pk, decision),
            owner=page_owner(meeting.pk),
            kind="Decision",
            title=f"{decision.reference} {decision.title}".strip(),
            # Who made it comes last, on a line of its own: the decision register reads it
            # from there for its "Decided by" column.
            text="\n".join([decision.decision, decision.reasons, decision.decision_maker]),
            url=f"{url}#decisions",
            audience_keys=minutes_audience,
            date=day,
            facets={
                "panel": panel.title,
                "status": decision.get_outcome_display(),
                "milestone": milestone_names(minutes_audience, decision.milestones.all()),
            },
        )
    for paper in meeting.papers_in_force:
        text = document_text.searchable(texts.get(paper.file_hash))
        if text:
            yield SearchDocument(
                key=f"paper:{paper.pk}",
                owner=page_owner(meeting.pk),
                kind=ATTACHMENT_KIND,
                title=f"{paper.title} of {meeting.title}",
                text=text,
                url=f"{url}papers/{paper.pk}/",
                audience_keys=minutes_audience,
                date=day,
                facets=meeting_facets,
            )


def decision_key(meeting_id: int, decision: Decision) -> str:
    """The key of a decision's record: its meeting and its reference (or id, without one)."""
    return f"{DECISION_PREFIX}{meeting_id}:{decision.reference or decision.pk}"


def approved_versions(keys: Iterable[str], *, user, request=None) -> dict[str, list[dict]]:
    """For the decision records among ``keys``, the policy versions each decision approved
    that ``user`` may read, as ``{"text", "url"}``, by record key.

    The decision register calls this for a page of results: one query for them all
    (and one for who may read what), whatever the records carry, so a policy's
    title reaches only those who may read the policy as it stands today.
    """
    wanted = [condition for key in keys if (condition := _decision_condition(key)) is not None]
    if not wanted:
        return {}
    decisions = Decision.objects.filter(reduce(operator.or_, wanted))
    found: dict[str, list[dict]] = {}
    for decision, link in selectors.approved_versions(decisions, user=user, request=request):
        found.setdefault(decision_key(decision.meeting_id, decision), []).append(
            {"text": link.text, "url": link.url}
        )
    return found


def _decision_condition(key: str) -> Q | None:
    """The decision a record key names, as a filter; None for keys of other records."""
    meeting_id, _, named = key.removeprefix(DECISION_PREFIX).partition(":")
    if not key.startswith(DECISION_PREFIX) or not meeting_id.isdigit() or not named:
        return None
    condition = Q(meeting_id=int(meeting_id), reference=named)
    if named.isdigit():
        condition |= Q(meeting_id=int(meeting_id), reference="", pk=int(named))
    return condition


def _action_ids(owners) -> list[int] | None:
    if owners is None:
        return None
    return [int(o[len(ACTION_PREFIX) :]) for o in owners if o.startswith(ACTION_PREFIX)]


def action_records(ids: list[int] | None) -> Iterator[SearchDocument]:
    actions = Action.objects.select_related("panel").prefetch_related("milestones")
    if ids is not None:
        if not ids:
            return
        actions = actions.filter(pk__in=ids)
    for action in actions.iterator(chunk_size=200):
        audience = frozenset({record_key(action.audience, action.audience_group_id)})
        yield SearchDocument(
            key=f"action:{action.pk}",
            owner=action_owner(action.pk),
            kind="Action",
            title=f"{action.reference}: {action.description[:120]}",
            text="\n".join(
                [
                    action.description,
                    action.progress,
                    action.owner_agency,
                    action.owner_name,
                ]
            ),
            url=reverse("panels:action_detail", args=[action.pk]),
            audience_keys=audience,
            date=action.due_on,
            facets={
                "panel": action.panel.title,
                # The stored status: overdue is derived from the due date, which is indexed.
                "status": action.get_status_display(),
                "milestone": milestone_names(audience, action.milestones.all()),
            },
        )
