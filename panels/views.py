"""Thin views: the action log, an action's history, upcoming meetings, calendars, and the
routes of a panel's page for its terms of reference's history."""

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control

from hub import diff
from hub import services as hub_services
from hub.kept_files import file_response
from hub.params import database_int, date_or_none
from panels import calendars, selectors
from panels.models import ActionStatus, MeetingPage, PanelPage

COMPARE_SPEC = re.compile(r"^(\d{1,9})\.\.\.(\d{1,9})$")
BAD_REQUEST = 400


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def action_log(request):
    filters = selectors.ActionFilters.from_query(request.GET)
    actions = selectors.action_log(user=request.user, filters=filters)
    return render(
        request,
        "panels/action_log.html",
        {
            "actions": selectors.paginate(
                actions, number=request.GET.get("page"), per_page=selectors.ACTIONS_PER_PAGE
            ),
            "filters": filters,
            "panels": selectors.panels_for(user=request.user),
            "owners": selectors.action_owners(user=request.user),
            "statuses": ActionStatus.choices,
            "query": _query_without_page(request),
            "section": selectors.section(user=request.user),
        },
    )


@login_required
def action_detail(request, pk: int):
    action = selectors.visible_actions(user=request.user).filter(pk=pk).first()
    if action is None:
        raise Http404("No such action.")
    return render(
        request,
        "panels/action_detail.html",
        {
            "action": action,
            "milestones": selectors.action_milestones(action, user=request.user, request=request),
            "timeline": selectors.action_history(action=action, user=request.user),
            "reviews": action.reviews.select_related("meeting").order_by("meeting__starts_at"),
            "section": selectors.section(user=request.user),
        },
    )


def upcoming_meetings(request):
    meetings = selectors.paginate(
        selectors.upcoming_meetings(user=request.user),
        number=request.GET.get("page"),
        per_page=selectors.MEETINGS_PER_PAGE,
    )
    return render(
        request,
        "panels/upcoming_meetings.html",
        {
            "meetings": selectors.with_panels(meetings, meeting_of=lambda m: m),
            "calendar_key": hub_services.subscription_key(user=request.user)
            if request.user.is_authenticated
            else None,
            "section": selectors.section(user=request.user),
        },
    )


def _calendar_response(request, *, name: str, meetings) -> HttpResponse:
    meetings = list(meetings.order_by("starts_at"))
    body = calendars.meetings_calendar(
        name=name,
        meetings=meetings,
        panels=selectors.panel_paths(meetings),
        request=request,
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def meetings_calendar(request):
    """All meetings the signed-in reader may see, or one panel's with ``?panel=CODE``."""
    return _calendar_for(request, user=request.user)


def private_calendar(request, key: str):
    """The same calendar for the person whose private key is in the address.

    Calendar apps cannot sign in, so the key stands in for the person; it can be
    changed at any time, and no shared cache may keep a copy.
    """
    user = hub_services.subscriber(key=key)
    if user is None:
        raise Http404("This calendar address is not valid any more.")
    response = _calendar_for(request, user=user)
    patch_cache_control(response, private=True, no_cache=True, no_store=True)
    return response


def _calendar_for(request, *, user) -> HttpResponse:
    code = request.GET.get("panel")
    since = date_or_none(request.GET, "since")
    if not code:
        meetings = selectors.calendar_meetings(user=user, since=since)
        return _calendar_response(request, name="Panel meetings", meetings=meetings)
    panel = selectors.panels_for(user=user).filter(short_code=code).first()
    if panel is None:
        raise Http404("No such panel.")
    meetings = selectors.calendar_meetings(user=user, panel=panel, since=since)
    return _calendar_response(request, name=f"{panel.title} meetings", meetings=meetings)


# A panel's terms of reference, version by version


def terms_history(request, panel: PanelPage):
    """Every approved version of the terms of reference, newest first, with a compare form."""
    versions = selectors.terms_history(panel)
    return TemplateResponse(
        request,
        "panels/terms_history.html",
        {"page": panel, "versions": versions[::-1], "current": versions[-1] if versions else None},
    )


def _numbered(versions: list, number: int):
    if not 1 <= number <= len(versions):
        raise Http404("No such version of the terms of reference.")
    return versions[number - 1]


def terms_version(request, panel: PanelPage, number: int):
    """One version as it was approved, saying which replaced it."""
    versions = selectors.terms_history(panel)
    version = _numbered(versions, number)
    return TemplateResponse(
        request,
        "panels/terms_version.html",
        {
            "page": panel,
            "version": version,
            "earlier": versions[number - 2] if number > 1 else None,
            "replaced_by": versions[number] if number < len(versions) else None,
        },
    )


def _compare_address(panel: PanelPage, first: int, second: int) -> str:
    return f"{panel.url}terms/compare/{first}...{second}/"


def _cannot_compare(request, panel: PanelPage, *, number: int | None = None):
    return TemplateResponse(
        request,
        "panels/terms_compare_problem.html",
        {"page": panel, "number": number},
        status=BAD_REQUEST,
    )


def terms_compare(request, panel: PanelPage, spec: str):
    """What changed between two versions: ``A...B``, the earlier first (turned round if not)."""
    match = COMPARE_SPEC.match(spec)
    if not match:
        raise Http404("Compare addresses look like terms/compare/1...2/")
    first, second = int(match.group(1)), int(match.group(2))
    if first == second:
        return _cannot_compare(request, panel, number=first)
    if first > second:
        return HttpResponseRedirect(_compare_address(panel, second, first))
    versions = selectors.terms_history(panel)
    old, new = _numbered(versions, first), _numbered(versions, second)
    lines = diff.diff_lines(diff.rich_text_lines(old.terms), diff.rich_text_lines(new.terms))
    return TemplateResponse(
        request,
        "panels/terms_compare.html",
        {
            "page": panel,
            "old": old,
            "new": new,
            "lines": lines,
            "changes": diff.changes_in(lines),
            "between": versions[first : second - 1],
        },
    )


def terms_compare_choice(request, panel: PanelPage):
    """The compare form on the history: turns two choices into a compare address."""
    try:
        first, second = sorted((database_int(request.GET["from"]), database_int(request.GET["to"])))
    except (KeyError, ValueError):
        return _cannot_compare(request, panel)
    if first == second:
        return _cannot_compare(request, panel, number=first)
    return HttpResponseRedirect(_compare_address(panel, first, second))


def paper(request, meeting: MeetingPage, paper_id: int):
    """A paper exactly as the minutes in force published it."""
    found = selectors.papers_of(meeting).filter(pk=paper_id).first()
    if found is None:
        raise Http404("No such paper")
    return file_response(found)
