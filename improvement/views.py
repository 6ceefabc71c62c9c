"""Views behind the improvement plan's routes: the plan, milestones, risks, evidence packs."""

import datetime
from dataclasses import dataclass
from itertools import chain

from django.contrib import messages
from django.core.exceptions import ValidationError
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


@dataclass(frozen=True)
class AsAt:
    """The day a view of the plan stands on, and whether it is the default for the plan."""

    on: datetime.date
    default: bool
    plan_ended: bool
    problem: str = ""


def as_at(request, page: ImprovementPlanPage) -> AsAt:
    """The ``on`` date asked for, or the default: today, or the plan's end once it has ended."""
    today = timezone.localdate()
    ended = page.ends_on < today
    default = min(today, page.ends_on)
    raw_date = request.GET.get("on", "").strip()
    if not raw_date:
        return AsAt(default, default=True, plan_ended=ended)
    try:
        on = datetime.date.fromisoformat(raw_date)
    except ValueError:
        problem = f"“{raw_date[:40]}” is not a date. Enter a date like 2015-03-31."
        return AsAt(default, default=True, plan_ended=ended, problem=problem)
    if on > today:
        problem = "The plan shows what was recorded; choose today or an earlier date."
        return AsAt(default, default=True, plan_ended=ended, problem=problem)
    return AsAt(on, default=on == default, plan_ended=ended)


def _refused(request, template: str, context: dict) -> TemplateResponse:
    return TemplateResponse(request, template, context, status=400)


def plan(request, page: ImprovementPlanPage):
    when = as_at(request, page)
    if when.problem:
        return _refused(request, "improvement/plan_page.html", {"page": page, "as_at": when})
    rows = selectors.milestone_rows(
        selectors.visible_milestones(plan=page, user=request.user), plan=page, on=when.on
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
                title=f"Milestones due each month, by status on {when.on:%-d %B %Y}",
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
            "inspections": selectors.inspections(plan=page),
            "as_at": when,
        },
    )


def _milestone_or_404(page: ImprovementPlanPage, milestone_id: int, user):
    milestone = selectors.visible_milestones(plan=page, user=user).filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404("No such milestone")
    return milestone


def milestone(request, page: ImprovementPlanPage, milestone_id: int):
    found = _milestone_or_404(page, milestone_id, request.user)
    when = as_at(request, page)
    if when.problem:
        context = {"page": page, "milestone": found, "as_at": when}
        return _refused(request, "improvement/milestone.html", context)
    [row] = selectors.milestone_rows([found], plan=page, on=when.on)
    return TemplateResponse(
        request,
        "improvement/milestone.html",
        {
            "page": page,
            "row": row,
            "as_at": when,
            "today": timezone.localdate(),
            "milestone": found,
            **selectors.milestone_evidence(found, user=request.user),
            "history": selectors.milestone_history(found, user=request.user),
            "may_manage": services.may_manage(request.user),
            "override_choices": RagOverride.choices,
        },
    )


@require_POST
def override(request, page: ImprovementPlanPage, milestone_id: int):
    found = _milestone_or_404(page, milestone_id, request.user)
    address = f"{page.url}milestones/{found.pk}/"
    try:
        on = _effective_date(request.POST.get("on", "")) or timezone.localdate()
        services.override_status(
            milestone=found,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
            by=request.user,
            on=on,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return HttpResponseRedirect(address)
    messages.success(
        request, f"The status has been updated and the reason recorded, from {on:%-d %B %Y}."
    )
    # Shown as at the day it took effect, which an ended plan's default date comes before.
    return HttpResponseRedirect(f"{address}?on={on:%Y-%m-%d}")


def risks(request, page: ImprovementPlanPage):
    return TemplateResponse(
        request,
        "improvement/risks.html",
        {"page": page, "risks": selectors.visible_risks(plan=page, user=request.user)},
    )


def risk(request, page: ImprovementPlanPage, risk_id: int):
    """One risk: its rating, owner and mitigation, and every change to it."""
    found = selectors.visible_risk(plan=page, user=request.user, risk_id=risk_id)
    if found is None:
        raise Http404("No such risk")
    return TemplateResponse(
        request,
        "improvement/risk.html",
        {
            "page": page,
            "risk": found,
            "owner": selectors.person_name(found.owner),
            "timeline": selectors.risk_history(risk=found, user=request.user),
        },
    )


def inspection(request, page: ImprovementPlanPage, inspection_id: int):
    """One inspection the plan answers: when, what was found, and each judgement."""
    found = selectors.inspections(plan=page).filter(pk=inspection_id).first()
    if found is None:
        raise Http404("No such inspection")
    return TemplateResponse(
        request, "improvement/inspection.html", {"page": page, "inspection": found}
    )


def evidence(request, page: ImprovementPlanPage, export: bool = False):
    """The evidence pack for a date and focus area: printable, or as CSV."""
    when = as_at(request, page)
    focus_area = page.focus_areas.filter(pk=int_or_none(request.GET.get("focus_area"))).first()
    if when.problem:
        context = {
            "page": page,
            "as_at": when,
            "on": when.on,
            "focus_areas": page.focus_areas.all(),
        }
        return _refused(request, "improvement/evidence.html", context)
    on = when.on
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
            "as_at": when,
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
            "",
            row.milestone.focus_area.title,
            row.progress.status.label,
            row.due_on.isoformat(),
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
            item.focus_areas,
            item.status,
            item.date.isoformat() if item.date else "",
            item.milestone,
            item.url,
        ]
        for item in evidence_rows
    )
    return csv_response(
        f"evidence-pack-{on:%Y-%m-%d}.csv",
        ["Kind", "Title", "Reference", "Focus area", "Status", "Date", "Milestone", "Address"],
        chain(milestones, evidence),
    )


def _effective_date(value: str) -> datetime.date | None:
    """The day an override took effect, as typed; None when left empty."""
    try:
        return datetime.date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        raise ValidationError(
            {"on": f"“{value[:40]}” is not a date. Enter a date like 2015-03-31."}
        ) from None
