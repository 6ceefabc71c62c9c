"""Thin views: the action log, an action's history, upcoming meetings and calendars."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from hub import services as hub_services
from hub.params import date_or_none
from panels import calendars, selectors
from panels.models import ActionStatus


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
            "timeline": selectors.action_history(action=action, user=request.user),
            "reviews": action.reviews.select_related("meeting").order_by("meeting__starts_at"),
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
