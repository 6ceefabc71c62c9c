"""Documents and images belong to collections, and each collection to an audience.

One collection per audience (Public, Partners and staff, Staff only) and one
per panel for its members (``ensure_group_collection``). A collection carries its
audience as a Wagtail collection view restriction, which serving a document
enforces, and as an ``AudienceCollection``, from which upload forms offer the most
restricted collection first. The roles' document permissions are granted on the
audience collections only: nobody but a superuser uploads to the root collection,
and ``ensure_audience_collections`` moves anything left there to Staff only.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission

from hub import roles
from hub.audiences import Audience, groups_for, restrict
from hub.models import AudienceCollection

AUDIENCE_COLLECTIONS = {
    Audience.PUBLIC: "Public",
    Audience.PARTNERS: "Partners and staff",
    Audience.STAFF: "Staff only",
}
# Most restricted first: the order upload forms prefer.
RESTRICTION_ORDER = (Audience.PANEL, Audience.STAFF, Audience.PARTNERS, Audience.PUBLIC)


def _collections_of(audience: str, group: Group | None = None):
    return Collection.objects.filter(audience__audience=audience, audience__audience_group=group)


def audience_collection(audience: str) -> Collection:
    """The collection of documents and images for ``audience`` (not a panel's)."""
    return _collections_of(audience).get()


def set_collection_audience(
    *, collection: Collection, audience: str, panel_group: Group | None = None
) -> None:
    """Make the documents and images of ``collection`` readable by ``audience`` only."""
    AudienceCollection.objects.update_or_create(
        collection=collection,
        defaults={"audience": audience, "audience_group": panel_group},
    )
    restrict(
        CollectionViewRestriction.objects.filter(collection=collection),
        CollectionViewRestriction(collection=collection),
        groups_for(audience, panel_group),
    )


def _child_of_root(name: str, existing: Collection | None) -> Collection:
    if existing is None:
        return Collection.get_first_root_node().add_child(instance=Collection(name=name))
    if existing.name != name:
        existing.name = name
        existing.save(update_fields=["name"])
    return existing


def _grant(group: Group, collections: list[Collection], permissions, *, only: bool) -> None:
    """Give ``group`` these permissions on ``collections``; with ``only``, take away the rest."""
    named = roles.permissions(permissions).values()
    wanted = {(collection.pk, permission.pk) for collection in collections for permission in named}
    roles.hold_grants(
        GroupCollectionPermission, group=group, on="collection", wanted=wanted, only=only
    )


@transaction.atomic
def ensure_audience_collections() -> dict[str, Collection]:
    """The audience collections, with exactly the roles' permissions on them; safe to run again."""
    collections = {}
    for audience, name in AUDIENCE_COLLECTIONS.items():
        collection = _child_of_root(name, _collections_of(audience).first())
        set_collection_audience(collection=collection, audience=audience)
        collections[audience] = collection
    for role in roles.ROLES:
        group, _ = Group.objects.get_or_create(name=role.name)
        _grant(group, list(collections.values()), role.collection_permissions, only=True)
    root = Collection.get_first_root_node()
    for model in (get_document_model(), get_image_model()):
        model.objects.filter(collection=root).update(collection=collections[Audience.STAFF])
    return collections


@transaction.atomic
def ensure_group_collection(*, name: str, members: Group, uploaders: Group) -> Collection:
    """The collection readable by ``members`` only, to which ``uploaders`` add documents."""
    collection = _child_of_root(name, _collections_of(Audience.PANEL, members).first())
    set_collection_audience(collection=collection, audience=Audience.PANEL, panel_group=members)
    _grant(uploaders, [collection], roles.DOCUMENT_PERMISSIONS, only=False)
    return collection


def admits(request, collection: Collection) -> bool:
    """Whether the view restrictions on ``collection`` and those above it admit this request."""
    return all(
        restriction.accept_request(request) for restriction in collection.get_view_restrictions()
    )


def most_restricted(collections) -> Collection | None:
    """Of ``collections``, the one whose audience admits fewest; unknown audiences last."""
    audiences = dict(
        AudienceCollection.objects.filter(collection__in=collections).values_list(
            "collection_id", "audience"
        )
    )

    def rank(collection: Collection) -> int:
        audience = audiences.get(collection.pk)
        return RESTRICTION_ORDER.index(audience) if audience else len(RESTRICTION_ORDER)

    return min(collections, key=rank, default=None)
