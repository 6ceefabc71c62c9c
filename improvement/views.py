"""Views behind the improvement plan's routes: the plan, milestones, risks, evidence packs."""

import datetime
from itertools import chain

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hub.exports import csv_response
from hub.params import int_or_none
from improvement import charts, selectors, services
from improvement.models import ImprovementPlanPage, RagOverride
from improvement.progress import Rag

STATUS_SERIES = [
    charts.Series(Rag.RED, "Red", "#d4351c", "hatch"),
    charts.Series(Rag.AMBER, "Amber", "#f47738", "dots"),
    charts.Series(Rag.GREEN, "Green", "#00703c"),
    charts.Series(Rag.COMPLETE, "Complete", "#1d70b8"),
]

ACTIVITY_SERIES = [
    charts.Series("opened", "Opened", "#f47738", "dots"),
    charts.Series("closed", "Closed", "#00703c"),
]


def plan(request, page: ImprovementPlanPage):
    rows = selectors.milestone_rows(
        selectors.visible_milestones(plan=page, user=request.user), plan=page
    )
    months = selectors.timeline(page, rows)
    activity = selectors.action_activity(page, user=request.user)
    values = {
        f"{month:%b %y}": {
            status: sum(1 for row in due if row.progress.status == status) for status in Rag
        }
        for month, due in months
    }
    return TemplateResponse(
        request,
        "improvement/plan_page.html",
        {
            "page": page,
            "rows": selectors.overdue_first(rows),
            "overdue": [row for row in rows if row.is_overdue],
            "focus_areas": selectors.focus_area_progress(page, rows),
            "timeline": months,
            "chart": charts.stacked_bars(
                chart_id="milestones-by-month",
                title="Milestones due each month, by current status",
                labels=list(values),
                series=STATUS_SERIES,
                values=values,
            ),
            "chart_rows": values,
            "series": STATUS_SERIES,
            "activity_chart": charts.grouped_bars(
                chart_id="actions-by-month",
                title="Actions opened and closed each month",
                labels=list(activity),
                series=ACTIVITY_SERIES,
                values=activity,
            ),
            "activity": activity,
            "activity_series": ACTIVITY_SERIES,
            "today": timezone.localdate(),
        },
    )


def _milestone_or_404(page: ImprovementPlanPage, milestone_id: int, user):
    milestone = selectors.visible_milestones(plan=page, user=user).filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404("No such milestone")
    return milestone


def milestone(request, page: ImprovementPlanPage, milestone_id: int):
    found = _milestone_or_404(page, milestone_id, request.user)
    [row] = selectors.milestone_rows([found], plan=page)
    return TemplateResponse(
        request,
        "improvement/milestone.html",
        {
            "page": page,
            "row": row,
            "milestone": found,
            **selectors.milestone_evidence(found, user=request.user),
            "history": found.history.select_related("history_user").order_by("-history_date")[:50],
            "may_manage": services.may_manage(request.user),
            "override_choices": RagOverride.choices,
        },
    )


@require_POST
def override(request, page: ImprovementPlanPage, milestone_id: int):
    found = _milestone_or_404(page, milestone_id, request.user)
    try:
        services.override_status(
            milestone=found,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
            by=request.user,
        )
    except PermissionDenied:
        raise
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The status has been updated and the reason recorded.")
    return HttpResponseRedirect(f"{page.url}milestones/{found.pk}/")


def risks(request, page: ImprovementPlanPage):
    return TemplateResponse(
        request,
        "improvement/risks.html",
        {"page": page, "risks": selectors.visible_risks(plan=page, user=request.user)},
    )


def evidence(request, page: ImprovementPlanPage, export: bool = False):
    """The evidence pack for a date and focus area: printable, or as CSV."""
    today = timezone.localdate()
    raw_date = request.GET.get("on", "").strip()
    problem = ""
    try:
        on = datetime.date.fromisoformat(raw_date) if raw_date else today
    except ValueError:
        on, problem = today, f"“{raw_date[:40]}” is not a date. Enter a date like 2015-03-31."
    if not problem and on > today:
        problem = "The evidence pack shows what was in place; choose today or an earlier date."
    focus_area = page.focus_areas.filter(pk=int_or_none(request.GET.get("focus_area"))).first()
    if problem:
        context = {
            "page": page,
            "problem": problem,
            "on": today,
            "focus_areas": page.focus_areas.all(),
        }
        return TemplateResponse(request, "improvement/evidence.html", context, status=400)
    rows, evidence_rows = selectors.evidence_pack(
        plan=page, user=request.user, on=on, focus_area=focus_area
    )
    if export:
        return _evidence_csv(rows, evidence_rows, on)
    return TemplateResponse(
        request,
        "improvement/evidence.html",
        {
            "page": page,
            "on": on,
            "focus_area": focus_area,
            "focus_areas": page.focus_areas.all(),
            "rows": rows,
            "evidence": evidence_rows,
            "query_string": request.GET.urlencode(),
        },
    )


def _evidence_csv(rows, evidence_rows, on: datetime.date) -> HttpResponse:
    milestones = (
        [
            "Milestone",
            row.milestone.title,
            row.milestone.focus_area.title,
            row.progress.status.label,
            row.milestone.due_on.isoformat(),
            "",
            "",
        ]
        for row in rows
    )
    evidence = (
        [
            item.kind,
            item.title,
            item.reference,
            item.status,
            item.date.isoformat() if item.date else "",
            item.milestone,
            item.url,
        ]
        for item in evidence_rows
    )
    return csv_response(
        f"evidence-pack-{on:%Y-%m-%d}.csv",
        ["Kind", "Title", "Reference", "Status", "Date", "Milestone", "Address"],
        chain(milestones, evidence),
    )
