"""The policy library's searchable records: each live policy, its past versions apart, and the
text of each version's attached files, under the policy's audience."""

from collections.abc import Iterable, Iterator

from hub import document_text
from hub.audiences import narrow, record_key, with_restriction_keys
from hub.search_types import ATTACHMENT_KIND, SearchDocument, page_ids, page_owner
from policies.diff import body_lines
from policies.models import PolicyPage, PolicyVersion, VersionAttachment
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
    texts = document_text.texts_of(
        attachment.file_hash
        for page_versions in versions.values()
        for version in page_versions
        for attachment in version.attachments.all()
    )
    pages = policies.order_by("pk").iterator(chunk_size=200)
    for page, admitted in with_restriction_keys(pages):
        audience = _audience(page, admitted)
        page_versions = versions.get(page.pk, [])
        yield current_record(page, page_versions[0] if page_versions else None, audience)
        for version in page_versions[1:]:
            yield past_record(page, version, audience)
        for number, version in enumerate(page_versions):
            for attachment in version.attachments.all():
                text = document_text.searchable(texts.get(attachment.file_hash))
                if text:
                    yield attachment_record(
                        page, version, attachment, text, audience, current=number == 0
                    )


def _versions_by_page(policies) -> dict[int, list[PolicyVersion]]:
    grouped: dict[int, list[PolicyVersion]] = {}
    versions = (
        PolicyVersion.objects.filter(page__in=policies.values("pk"))
        .select_related("revision")
        .prefetch_related("attachments")
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


def attachment_record(
    page: PolicyPage,
    version: PolicyVersion,
    attachment: VersionAttachment,
    text: str,
    audience: frozenset[str],
    *,
    current: bool,
) -> SearchDocument:
    """A file attached to a version, found by its own text as that version published it."""
    base = page.get_url() or ""
    return SearchDocument(
        key=f"policy-attachment:{attachment.pk}",
        owner=page_owner(page.pk),
        kind=ATTACHMENT_KIND,
        title=f"{attachment.title} of {version.title}, version {version.number}",
        text=text,
        url=f"{base}versions/{version.number}/attachments/{attachment.pk}/",
        audience_keys=audience,
        date=version.effective_from,
        facets={
            "policy_kind": page.get_kind_display(),
            "status": "In force" if current else "Superseded",
        },
        current=current,
    )


def _text(page: PolicyPage) -> str:
    return "\n".join([page.summary, *body_lines(page)])


def _audience(page: PolicyPage, admitted: frozenset[str]) -> frozenset[str]:
    """The policy's audience, within what the restrictions on its page and above it admit."""
    return narrow({record_key(page.audience, page.audience_group_id)}, admitted)
