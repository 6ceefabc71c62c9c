"""Views behind the policy pages' routes: versions, comparisons, attachments, feeds."""

import datetime
import itertools
import re

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from hub import services as hub_services
from hub.audiences import Audience
from hub.exports import csv_response
from hub.kept_files import file_response
from hub.params import database_int
from policies import diff, selectors, services
from policies.forms import CompareDatesForm
from policies.models import PolicyKind, PolicyPage, PolicyVersion

COMPARE_SPEC = re.compile(r"^(\d+)\.\.\.(\d+)$")
POLICIES_PER_PAGE = 20
VERSIONS_PER_PAGE = 50


def policy_context(
    request, page: PolicyPage, version: PolicyVersion | None, *, current=None, shown=None
) -> dict:
    """What the policy template needs to show ``version`` of ``page`` (``shown`` is its content).

    ``current`` is the current version when the caller has already read it.
    """
    current = current or selectors.current_version(page)
    shown = shown or page
    selectors.load_people(shown)
    user = request.user
    asks_to_confirm = page.requires_acknowledgement and user.is_authenticated
    is_current = version is not None and current is not None and version.pk == current.pk
    return {
        "page": shown,
        "live_page": page,
        "version": version,
        "current_version": current,
        "is_current": is_current,
        "superseded_by": selectors.successor_of(version)
        if version and version != current
        else None,
        "related": selectors.related_policies(shown, user=user),
        "attachment_urls": _attachment_urls(shown, version),
        "acknowledged": asks_to_confirm
        and current is not None
        and current.acknowledgements.filter(user=user).exists(),
        "may_report": asks_to_confirm and selectors.report_scope(user, page) is not None,
        "approved_by": selectors.approving_decisions([version], user=user)[version.pk]
        if version
        else [],
        "milestones": selectors.milestones_served(page, user=user) if is_current else [],
        "review_was_due": selectors.past_review_date(page) if version else None,
        "last_year": _last_year(page, current) if is_current else None,
    }


def _a_year_before(day: datetime.date) -> datetime.date:
    return day - relativedelta(years=1)


def _last_year(page: PolicyPage, current: PolicyVersion) -> dict | None:
    """The dates to compare for "what changed in the last year", when something did."""
    today = timezone.localdate()
    year_ago = _a_year_before(today)
    if not selectors.replaced_since(page, current, on=year_ago):
        return None
    return {"date_a": year_ago, "date_b": today}


def _attachment_urls(page: PolicyPage, version: PolicyVersion | None) -> dict[int, str]:
    if version is None or not any(block.block_type == "document" for block in page.body):
        return {}
    base = page.url
    return {
        attachment.document_id: f"{base}versions/{version.number}/attachments/{attachment.pk}/"
        for attachment in version.attachments.all()
    }


def current(request, page: PolicyPage):
    """The policy in force today, or on the day asked for with ``?on=YYYY-MM-DD``."""
    if getattr(request, "is_preview", False):
        return TemplateResponse(
            request,
            "policies/policy_page.html",
            {**policy_context(request, page, None), "preview": True},
        )
    if "on" in request.GET:
        return in_force_on(request, page, request.GET["on"])
    version = selectors.current_version(page)
    return TemplateResponse(
        request,
        "policies/policy_page.html",
        policy_context(request, page, version, current=version),
    )


def in_force_on(request, page: PolicyPage, raw_date: str):
    """The version in force on the day asked; a form asking again for no date or a bad one."""
    typed = raw_date.strip()
    try:
        day = datetime.date.fromisoformat(typed)
    except ValueError:
        return TemplateResponse(
            request,
            "policies/no_version.html",
            {
                "page": page,
                "problem": "bad_date" if typed else "no_date",
                "date_error": True,
                "raw_date": typed[:40],
            },
            status=400,
        )
    version = selectors.version_in_force(page, day)
    if version is None:
        return TemplateResponse(
            request,
            "policies/no_version.html",
            {
                "page": page,
                "problem": "not_yet",
                "day": day,
                "first": page.versions.order_by("number").first(),
            },
            status=404,
        )
    return version_response(request, page, version, on=day)


def version_response(request, page: PolicyPage, version: PolicyVersion, on=None):
    shown = selectors.policy_from_version(version)
    context = policy_context(request, page, version, shown=shown)
    context["on"] = on
    return TemplateResponse(request, "policies/policy_page.html", context)


def version_detail(request, page: PolicyPage, number: int):
    version = selectors.version_numbered(page, number)
    if version is None:
        raise Http404("No such version")
    return version_response(request, page, version)


def version_list(request, page: PolicyPage):
    """Every version, newest first, a page of them at a time, with the compare forms."""
    today = timezone.localdate()
    # What changed in the last year, unless the reader chooses other dates.
    form = CompareDatesForm(
        initial={"date_a": _a_year_before(today).isoformat(), "date_b": today.isoformat()}
    )
    return _versions_response(request, page, form)


def _versions_response(request, page: PolicyPage, date_form, *, same_version=None, status=200):
    numbers = list(page.versions.order_by("-number").values_list("number", "effective_from"))
    superseded_on = {older[0]: newer[1] for newer, older in itertools.pairwise(numbers)}
    versions = Paginator(selectors.versions_of(page), VERSIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = list(versions)
    decisions = selectors.approving_decisions(shown, user=request.user)
    return TemplateResponse(
        request,
        "policies/version_list.html",
        {
            "page": page,
            "rows": [
                (version, superseded_on.get(version.number), decisions[version.pk])
                for version in shown
            ],
            "versions": versions,
            "numbers": [number for number, _ in numbers],
            "date_form": date_form,
            "same_version": same_version,
        },
        status=status,
    )


def compare_dates(request, page: PolicyPage):
    """The versions in force on two dates, compared; problems are shown on the versions page."""
    form = CompareDatesForm(request.GET)
    form.is_valid()
    found = {name: selectors.version_in_force(page, day) for name, day in form.dates().items()}
    if None in found.values():
        first = selectors.first_version(page)
        if first is None:
            raise Http404("This policy has not been published")
        for name, version in found.items():
            if version is None:
                form.too_early(name, first)
    if form.errors:
        return _versions_response(request, page, form, status=400)
    old, new = sorted(found.values(), key=lambda version: version.number)
    if old.pk == new.pk:
        return _versions_response(request, page, form, same_version=old)
    return HttpResponseRedirect(f"{page.url}versions/compare/{old.number}...{new.number}/")


def compare(request, page: PolicyPage, spec: str):
    """Compare two versions: ``A...B`` with A earlier than B."""
    match = COMPARE_SPEC.match(spec)
    if not match:
        raise Http404("Compare addresses look like versions/compare/1...2/")
    try:
        first, second = database_int(match.group(1)), database_int(match.group(2))
    except ValueError as error:
        raise Http404("No such version") from error
    if first >= second:
        return TemplateResponse(
            request,
            "policies/compare_problem.html",
            {"page": page, "first": first, "second": second},
            status=400,
        )
    old, new = selectors.version_numbered(page, first), selectors.version_numbered(page, second)
    if old is None or new is None:
        raise Http404("No such version")
    old_page, new_page = selectors.policy_from_version(old), selectors.policy_from_version(new)
    lines = diff.diff_lines(diff.body_lines(old_page), diff.body_lines(new_page))
    return TemplateResponse(
        request,
        "policies/compare.html",
        {
            "page": page,
            "old": old,
            "new": new,
            "fields": diff.changed_fields(old_page, new_page),
            "lines": lines,
            "changes": sum(1 for line in lines if line.change != "equal"),
            "intermediate": page.versions.filter(number__gt=first, number__lt=second).order_by(
                "number"
            ),
        },
    )


def compare_choice(request, page: PolicyPage):
    """The compare form on the versions list: turns two choices into a compare address."""
    try:
        first, second = sorted((database_int(request.GET["from"]), database_int(request.GET["to"])))
    except (KeyError, ValueError):
        messages.error(request, "Choose two versions to compare.")
        return HttpResponseRedirect(f"{page.url}versions/")
    if first == second:
        messages.error(request, "Choose two different versions to compare.")
        return HttpResponseRedirect(f"{page.url}versions/")
    return HttpResponseRedirect(f"{page.url}versions/compare/{first}...{second}/")


def attachment(request, page: PolicyPage, number: int, attachment_id: int):
    """A document exactly as version ``number`` published it."""
    version = selectors.version_numbered(page, number)
    found = version and version.attachments.filter(pk=attachment_id).first()
    if not found:
        raise Http404("No such attachment")
    return file_response(found)


@require_POST
def acknowledge(request, page: PolicyPage):
    version = selectors.current_version(page)
    if version is None or not request.user.is_authenticated:
        raise Http404("Nothing to confirm")
    try:
        services.acknowledge(user=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Thank you. You have confirmed you have read version {version.number}."
        )
    return HttpResponseRedirect(page.url)


def acknowledgements(request, page: PolicyPage, export: bool = False):
    """Who in the audience has and has not confirmed the current version, agency by agency.

    The policy's owners see everyone; a partner agency's member their own agency.
    """
    scope = selectors.report_scope(request.user, page)
    if scope is None:
        raise PermissionDenied
    version = selectors.current_version(page)
    if version is None:
        raise Http404("This policy has not been published")
    report = selectors.acknowledgement_report(version, scope=scope)
    if export and request.GET.get("summary"):
        return _acknowledgement_summary_csv(page, report)
    if export:
        return _acknowledgements_csv(page, report)
    return TemplateResponse(
        request, "policies/acknowledgements.html", {"page": page, "report": report}
    )


def _acknowledgements_csv(page: PolicyPage, report) -> HttpResponse:
    """A row per person; sign-ins and email addresses only for the policy's own owners."""
    contact = report.scope.whole
    return csv_response(
        f"{page.slug}-v{report.version.number}-acknowledgements.csv",
        [
            "Name",
            *(["Username", "Email"] if contact else []),
            "Agency",
            "Version",
            "Confirmed",
            "Confirmed at",
        ],
        (
            [
                person.get_full_name(),
                *([person.get_username(), person.email] if contact else []),
                "" if agency.name == selectors.NO_AGENCY else agency.name,
                report.version.number,
                "yes" if when else "no",
                when.isoformat() if when else "",
            ]
            for agency in report.agencies
            for person, when in agency.read + agency.unread
        ),
    )


def _acknowledgement_summary_csv(page: PolicyPage, report) -> HttpResponse:
    """One row per agency (and one for them all, in the whole report): counts, not names."""
    rows = [(agency.name, agency) for agency in report.agencies]
    if report.scope.whole:
        rows.insert(0, ("All agencies", report))
    return csv_response(
        f"{page.slug}-v{report.version.number}-acknowledgements-summary.csv",
        [
            "Agency",
            "Version",
            "In the audience",
            "Confirmed",
            "Not yet confirmed",
            "Confirmed (%)",
        ],
        (
            [
                name,
                report.version.number,
                counts.total,
                counts.confirmed,
                counts.total - counts.confirmed,
                counts.percent,
            ]
            for name, counts in rows
        ),
    )


# The policy library


def policy_index(request, library):
    filters = selectors.PolicyFilters.from_query(request.GET)
    policies = selectors.policy_list(user=request.user, filters=filters)
    paginator = Paginator(policies, POLICIES_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "policies/policy_index_page.html",
        {
            "page": library,
            "filters": filters,
            "policies": page_obj,
            "paginator": paginator,
            "query_string": query.urlencode(),
            "kinds": PolicyKind.choices,
            "audiences": Audience.choices[:3],
            "owners": selectors.policy_owners(user=request.user),
            "feed_key": hub_services.subscription_key(user=request.user)
            if request.user.is_authenticated
            else None,
        },
    )


class PolicyVersionFeed(Feed):
    """Atom feed of newly published policy versions that one reader may see."""

    feed_type = Atom1Feed
    description_template = None

    def __init__(self, *, library, user):
        super().__init__()
        self.library = library
        self.user = user

    def title(self):
        return "New policy versions – Safeguarding Hub"

    def link(self):
        return self.library.url

    def subtitle(self):
        return "Each new version of a policy, with what changed."

    def items(self):
        return selectors.feed_versions(user=self.user)

    def item_title(self, item):
        return f"{item.title}: version {item.number}"

    def item_description(self, item):
        return f"Takes effect {item.effective_from:%-d %B %Y}. {item.amendment_note}"

    def item_link(self, item):
        return f"{item.page.url}versions/{item.number}/"

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.published_by.get_full_name() if item.published_by else None


def public_feed(request, library):
    return PolicyVersionFeed(library=library, user=AnonymousUser())(request)


def private_feed(request, library, key: str):
    user = hub_services.subscriber(key=key)
    if user is None:
        raise Http404("This feed address is not valid any more")
    response = PolicyVersionFeed(library=library, user=user)(request)
    # The address is the credential: no shared cache may keep a copy.
    patch_cache_control(response, private=True, no_cache=True, no_store=True)
    return response


@require_POST
def reset_feed(request, library):
    if not request.user.is_authenticated:
        raise PermissionDenied
    hub_services.reset_subscription_key(user=request.user)
    messages.success(request, "Your private feed address has changed. The old one no longer works.")
    return HttpResponseRedirect(library.url)
