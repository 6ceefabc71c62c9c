"""The policy library's searchable records: each live policy, and its past versions apart."""

from collections.abc import Iterable, Iterator

from hub.audiences import narrow, record_key, with_restriction_keys
from hub.search_types import SearchDocument, page_ids, page_owner
from policies.diff import body_lines
from policies.models import PolicyPage, PolicyVersion
from policies.selectors import policy_from_version

CURRENT_KIND = "Policy"
PAST_KIND = "Past policy version"


def search_records(owners: Iterable[str] | None = None) -> Iterator[SearchDocument]:
    """Records for the live policies among ``owners`` (every live policy when None)."""
    policies = PolicyPage.objects.live().select_related("audience_group")
    ids = page_ids(owners)
    if ids is not None:
        policies = policies.filter(pk__in=ids)
    versions = _versions_by_page(policies)
    pages = policies.order_by("pk").iterator(chunk_size=200)
    for page, admitted in with_restriction_keys(pages):
        audience = _audience(page, admitted)
        page_versions = versions.get(page.pk, [])
        yield current_record(page, page_versions[0] if page_versions else None, audience)
        for version in page_versions[1:]:
            yield past_record(page, version, audience)


def _versions_by_page(policies) -> dict[int, list[PolicyVersion]]:
    grouped: dict[int, list[PolicyVersion]] = {}
    versions = (
        PolicyVersion.objects.filter(page__in=policies.values("pk"))
        .select_related("revision")
        .order_by("page_id", "-number")
    )
    for version in versions:
        grouped.setdefault(version.page_id, []).append(version)
    return grouped


def current_record(
    page: PolicyPage, version: PolicyVersion | None, audience: frozenset[str]
) -> SearchDocument:
    """The version in force, at the policy's own address."""
    return SearchDocument(
        key=f"policy:{page.pk}",
        owner=page_owner(page.pk),
        kind=CURRENT_KIND,
        title=page.title,
        text=_text(page),
        url=page.get_url() or "",
        audience_keys=audience,
        date=version.effective_from if version else page.last_published_at.date(),
        facets={"policy_kind": page.get_kind_display(), "status": "In force"},
    )


def past_record(
    page: PolicyPage, version: PolicyVersion, audience: frozenset[str]
) -> SearchDocument:
    """A superseded version as it was published, found only when past versions are asked for."""
    as_published = policy_from_version(version)
    return SearchDocument(
        key=f"policy-version:{page.pk}:{version.number}",
        owner=page_owner(page.pk),
        kind=PAST_KIND,
        title=f"{version.title} (version {version.number})",
        text="\n".join([version.amendment_note, _text(as_published)]),
        url=f"{page.get_url() or ''}versions/{version.number}/",
        # A past version is read through the live policy, so the live audience governs it.
        audience_keys=audience,
        date=version.effective_from,
        facets={"policy_kind": as_published.get_kind_display(), "status": "Superseded"},
        current=False,
    )


def _text(page: PolicyPage) -> str:
    return "\n".join([page.summary, *body_lines(page)])


def _audience(page: PolicyPage, admitted: frozenset[str]) -> frozenset[str]:
    """The policy's audience, within what the restrictions on its page and above it admit."""
    return narrow({record_key(page.audience, page.audience_group_id)}, admitted)
