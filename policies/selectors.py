"""Reads across the policy library, always narrowed to what the reader may see."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from hub import notices, roles
from hub.admin_access import pages_user_may
from hub.audiences import (
    Audience,
    audience_condition,
    groups_for,
    readers,
    record_key,
    viewer,
    visible_to,
)
from hub.models import Agency, MutedKind, Profile
from hub.params import choice, int_or_none
from policies.models import (
    Acknowledgement,
    PolicyIndexPage,
    PolicyKind,
    PolicyPage,
    PolicyVersion,
)

REVIEW_WINDOW_DAYS = 30
MAX_QUERY_LENGTH = 100
NO_AGENCY = "No agency recorded"
# Long text of the minutes that a list of decisions never shows, one part confidential.
MINUTES_NOT_LISTED = (
    "meeting__agenda",
    "meeting__confidential_minutes",
    "meeting__children_discussed",
)


def visible_policies(*, user) -> QuerySet:
    """Live policies ``user`` may read."""
    return visible_to(user, PolicyPage.objects.live())


def versions_of(page: PolicyPage) -> QuerySet:
    """Every version of ``page``, newest first, with who published it (none before it is saved)."""
    return (
        PolicyVersion.objects.filter(page_id=page.pk)
        .select_related("published_by")
        .order_by("-number")
    )


def current_version(page: PolicyPage) -> PolicyVersion | None:
    return versions_of(page).first()


def first_version(page: PolicyPage) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(page_id=page.pk).order_by("number").first()


def version_numbered(page: PolicyPage, number: int) -> PolicyVersion | None:
    return versions_of(page).filter(number=number).select_related("revision").first()


def version_in_force(page: PolicyPage, on: datetime.date) -> PolicyVersion | None:
    """The version that had taken effect by ``on``; None when the policy did not yet exist."""
    return (
        PolicyVersion.objects.filter(page_id=page.pk, effective_from__lte=on)
        .select_related("revision", "published_by")
        .order_by("-effective_from", "-number")
        .first()
    )


def replaced_since(page: PolicyPage, current: PolicyVersion, *, on: datetime.date) -> bool:
    """Whether the version in force on ``on`` has since been replaced by ``current``.

    No query when ``current`` was already in force then; False when nothing was.
    """
    if current.effective_from <= on:
        return False
    then = version_in_force(page, on)
    return then is not None and then.pk != current.pk


def successor_of(version: PolicyVersion) -> PolicyVersion | None:
    """The version that replaced ``version``, if any."""
    return (
        PolicyVersion.objects.filter(page=version.page_id, number__gt=version.number)
        .order_by("number")
        .first()
    )


def policy_from_version(version: PolicyVersion) -> PolicyPage:
    """The policy as ``version`` published it, at the live page's address."""
    return version.revision.as_object()


def past_review_date(page: PolicyPage, *, today: datetime.date | None = None):
    """The review date ``page`` has passed, or None while its review is not yet overdue."""
    due = page.next_review_date
    return due if due and due < (today or timezone.localdate()) else None


def approving_decisions(versions, *, user) -> dict[int, list]:
    """For each of ``versions`` (by id), the decisions that approved it that ``user`` may read.

    A decision is shown only with its minutes: live meetings ``user`` may see. One query
    however many versions and decisions (``visible_to`` may read which depths of the page
    tree carry view restrictions first); each decision's meeting comes with it.
    """
    version_ids = [version.pk for version in versions]
    if not version_ids:
        return {}
    # Decisions are reached through their relation: the policy library imports no panels.
    decisions = PolicyVersion.approving_decisions.rel.related_model.objects.filter(
        policy_versions__in=version_ids
    )
    meetings = visible_to(user, Page.objects.live().filter(pk__in=decisions.values("meeting_id")))
    approved: dict[int, list] = {pk: [] for pk in version_ids}
    for decision in (
        decisions.filter(meeting__in=meetings.values("pk"))
        .annotate(version_id=F("policy_versions"))
        .select_related("meeting")
        .defer(*MINUTES_NOT_LISTED)
        .order_by("meeting__starts_at", "sort_order", "pk")
    ):
        approved[decision.version_id].append(decision)
    return approved


def milestones_served(page: PolicyPage, *, user) -> QuerySet:
    """The improvement plan milestones ``page`` serves that ``user`` may see, with their plan.

    Only milestones of a live plan ``user`` may open, so each links to a page they can read.
    """
    # Milestones are reached through their relation: the policy library imports no plan.
    milestones = PolicyPage.milestones.field.related_model.objects.filter(policies=page.pk)
    plans = visible_to(user, Page.objects.live().filter(pk__in=milestones.values("plan_id")))
    return (
        visible_to(user, milestones.filter(plan__in=plans.values("pk")))
        .select_related("plan")
        .order_by("due_on", "title")
    )


def related_policies(page: PolicyPage, *, user) -> QuerySet:
    """The live policies ``page`` links to that ``user`` may read."""
    linked = PolicyPage.objects.live().filter(pk__in=page.related_policies.values("related"))
    return visible_to(user, linked).order_by("title")


def load_people(page: PolicyPage) -> None:
    """Fetch the policy's owner and approver in one query rather than one each."""
    people = get_user_model().objects.in_bulk([page.policy_owner_id, page.approver_id])
    page.policy_owner = people[page.policy_owner_id]
    page.approver = people[page.approver_id]


@dataclass(frozen=True)
class PolicyFilters:
    """What a reader narrowed the policy list to."""

    kind: str = ""
    owner: int | None = None
    audience: str = ""
    review: str = ""
    query: str = ""

    @classmethod
    def from_query(cls, query) -> "PolicyFilters":
        return cls(
            kind=choice(query, "kind", PolicyKind.values),
            owner=int_or_none(query.get("owner")),
            audience=choice(query, "audience", Audience.values),
            review=choice(query, "review", ("due", "overdue")),
            query=query.get("q", "").strip()[:MAX_QUERY_LENGTH],
        )


def policy_list(*, user, filters: PolicyFilters) -> QuerySet:
    """The policy library for ``user`` as filtered, alphabetical."""
    policies = visible_policies(user=user).select_related("policy_owner")
    if filters.kind:
        policies = policies.filter(kind=filters.kind)
    if filters.owner:
        policies = policies.filter(policy_owner_id=filters.owner)
    if filters.audience:
        policies = policies.filter(audience=filters.audience)
    if filters.review == "overdue":
        policies = policies.overdue()
    elif filters.review == "due":
        policies = policies.due_for_review(within_days=REVIEW_WINDOW_DAYS).filter(
            next_review_date__gte=timezone.localdate()
        )
    if filters.query:
        policies = policies.filter(title__icontains=filters.query)
    return policies.order_by("title")


def policy_owners(*, user) -> QuerySet:
    """People who own a policy ``user`` may read, for the owner filter."""
    # One lookup per person in the owner index, however many policies each owns.
    owns_one = Exists(visible_policies(user=user).filter(policy_owner=OuterRef("pk")))
    return get_user_model().objects.filter(owns_one).order_by("first_name", "last_name")


def due_for_review(*, user, today: datetime.date | None = None) -> QuerySet:
    """Live policies ``user`` may edit that are overdue or due within the review window."""
    editable = pages_user_may(user, "change")
    return (
        PolicyPage.objects.live()
        .filter(pk__in=editable.values("pk"))
        .due_for_review(within_days=REVIEW_WINDOW_DAYS, today=today)
        .select_related("policy_owner")
        .order_by("next_review_date")
    )


def unread_by(*, user) -> QuerySet:
    """Policies ``user`` must confirm whose current version they have not confirmed."""
    latest = PolicyVersion.objects.filter(page=OuterRef("pk")).order_by("-number")
    read = Acknowledgement.objects.filter(
        user=user, version__page=OuterRef("pk"), version__number=OuterRef("current_number")
    )
    return (
        visible_policies(user=user)
        .filter(requires_acknowledgement=True)
        .annotate(current_number=latest.values("number")[:1])
        .exclude(current_number=None)
        .exclude(Exists(read))
        .order_by("title")
    )


def audience_members(page: PolicyPage) -> QuerySet:
    """The active people in ``page``'s audience (for the public: everyone with an account)."""
    people = get_user_model().objects.filter(is_active=True)
    if page.audience != Audience.PUBLIC:
        people = people.filter(groups__in=groups_for(page.audience, page.audience_group))
    return people.distinct().order_by("last_name", "first_name", "username")


def told_of_version(page: PolicyPage) -> tuple[QuerySet, list[Page]]:
    """Whom a new version of ``page`` concerns, and the pages whose followers hear of it.

    Its audience, when they must confirm they have read it; followers of the policy
    and of the library. ``hub.notices.announce`` narrows both to the policy's readers.
    """
    people = audience_members(page) if page.requires_acknowledgement else _nobody()
    return people, [page, page.get_parent()]


def would_hear_of_version(page: PolicyPage) -> QuerySet:
    """Who publishing ``page`` as it now stands would tell of the new version.

    ``told_of_version`` with ``hub.notices.recipients``'s rules: readers with an
    email address, followers of the policy or the library, and the audience who
    must confirm it unless they turned these emails off. ``page`` may be a draft:
    its own audience fields are read rather than the live view restriction, since
    publishing makes them the restriction before anyone is told.
    """
    library = page.get_parent() if page.pk else PolicyIndexPage.objects.first()
    admitted = _admitted_by_fields(page)
    allowed = readers(library).exclude(email="")
    if admitted is not None:
        allowed = allowed.filter(Q(is_superuser=True) | Q(pk__in=admitted.values("pk")))
    reached = Q(
        pk__in=notices.subscribers([library, page] if page.pk else [library]).values("user")
    )
    if page.requires_acknowledgement:
        muted = MutedKind.objects.filter(kind="policy-version").values("user")
        # The audience (``audience_members``), as the page's fields now say it.
        audience = get_user_model().objects.all() if admitted is None else admitted
        reached |= Q(pk__in=audience.filter(is_active=True).exclude(pk__in=muted).values("pk"))
    return allowed.filter(reached)


def _nobody() -> QuerySet:
    return get_user_model().objects.none()


def _admitted_by_fields(page: PolicyPage) -> QuerySet | None:
    """The people ``page``'s audience fields admit; None for the public (everyone)."""
    if page.audience == Audience.PUBLIC:
        return None
    if page.audience == Audience.PANEL and page.audience_group_id is None:
        return _nobody()
    groups = groups_for(page.audience, page.audience_group)
    return get_user_model().objects.filter(groups__in=groups)


@dataclass(frozen=True)
class ReportScope:
    """What of a policy's acknowledgement report someone may see: all of it, or one agency."""

    agency: Agency | None = None

    @property
    def whole(self) -> bool:
        return self.agency is None


def report_scope(user, page: PolicyPage) -> ReportScope | None:
    """Who may see who has read ``page``; None for someone who may not.

    The policy's owner and approver, its editors and superusers see the whole report;
    a member of a partner agency in the policy's audience sees their own agency's part.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if (
        user.is_superuser
        or user.pk in (page.policy_owner_id, page.approver_id)
        or page.permissions_for_user(user).can_edit()
    ):
        return ReportScope()
    if record_key(page.audience, page.audience_group_id) not in viewer(user).keys:
        return None
    profile = (
        Profile.objects.filter(user=user, user__groups__name=roles.PARTNERS)
        .exclude(agency=None)
        .select_related("agency")
        .first()
    )
    return ReportScope(agency=profile.agency) if profile else None


@dataclass(frozen=True)
class Confirmations:
    """Who among some readers has and has not confirmed reading a version."""

    read: list
    unread: list

    @property
    def total(self) -> int:
        return len(self.read) + len(self.unread)

    @property
    def confirmed(self) -> int:
        return len(self.read)

    @property
    def percent(self) -> int:
        # Rounded down, so that 100% means everyone.
        return 100 * self.confirmed // self.total if self.total else 0


@dataclass(frozen=True)
class AgencyReport(Confirmations):
    """Who in one agency (or none recorded) has and has not confirmed reading a version."""

    name: str


@dataclass(frozen=True)
class AcknowledgementReport(Confirmations):
    """Who in the audience has and has not confirmed reading a version, agency by agency."""

    version: PolicyVersion
    agencies: list[AgencyReport]
    scope: ReportScope = ReportScope()


def acknowledgement_report(
    version: PolicyVersion, *, scope: ReportScope = ReportScope()
) -> AcknowledgementReport:
    """Who has read ``version``, grouped by agency (named agencies by name, then none recorded).

    Two queries however many people: the audience with their agencies, and the confirmations.
    """
    confirmations = {
        ack.user_id: ack.acknowledged_at
        for ack in Acknowledgement.objects.filter(version=version).only(
            "user_id", "acknowledged_at"
        )
    }
    people = audience_members(version.page).select_related("profile__agency")
    if scope.agency is not None:
        people = people.filter(profile__agency=scope.agency)
    read, unread = [], []
    by_agency: dict[str, tuple[list, list]] = {}
    for person in people:
        profile = getattr(person, "profile", None)
        agency = profile.agency.name if profile and profile.agency else NO_AGENCY
        row = (person, confirmations.get(person.pk))
        (read if row[1] else unread).append(row)
        group = by_agency.setdefault(agency, ([], []))
        (group[0] if row[1] else group[1]).append(row)
    names = sorted(by_agency, key=lambda name: (name == NO_AGENCY, name.casefold()))
    return AcknowledgementReport(
        version=version,
        read=read,
        unread=unread,
        agencies=[AgencyReport(*by_agency[name], name=name) for name in names],
        scope=scope,
    )


def feed_versions(*, user, limit: int = 50) -> QuerySet:
    """Newly published versions of the policies ``user`` may read, newest first."""
    return (
        PolicyVersion.objects.filter(page__in=visible_policies(user=user).values("pk"))
        .select_related("page", "published_by")
        .order_by("-published_at")[:limit]
    )


def policies_open_to(user, queryset: QuerySet) -> QuerySet:
    """``queryset`` without the policies whose own audience leaves ``user`` out.

    A published policy's audience is also its view restriction; a policy never
    published carries it only in its fields, and its draft stays with that audience.
    """
    hidden = PolicyPage.objects.exclude(audience_condition(user))
    return queryset.exclude(pk__in=hidden.values("pk"))


def may_download(*, user, document) -> bool:
    """False when ``document`` belongs to published policies ``user`` may not read."""
    policies = PolicyPage.objects.filter(versions__attachments__document=document).distinct()
    return not policies.exists() or visible_to(user, policies).exists()


def versions_in_force(policies: QuerySet, *, on: datetime.date) -> list[PolicyVersion]:
    """For each of ``policies``, the version in force on ``on``; none if not yet in force."""
    candidates = (
        PolicyVersion.objects.filter(page__in=policies, effective_from__lte=on)
        .select_related("page")
        .prefetch_related("page__milestones")
        .order_by("page__title", "-effective_from", "-number")
    )
    latest = {}
    for version in candidates:
        latest.setdefault(version.page_id, version)
    return list(latest.values())
