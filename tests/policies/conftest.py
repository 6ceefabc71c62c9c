"""A policy library with policies published through Wagtail, as editors publish them."""

import datetime
import json

import pytest

from hub import roles
from hub.audiences import Audience
from policies.models import PolicyIndexPage, PolicyKind, PolicyPage
from tests.factories import UserFactory


def body(*paragraphs: str) -> str:
    return json.dumps(
        [
            {"type": "text", "value": f"<p>{text}</p>", "id": f"p{n}"}
            for n, text in enumerate(paragraphs)
        ]
    )


def publish(page: PolicyPage, *, by, note: str, effective: datetime.date | None = None, **fields):
    """Change ``page`` and publish it the way Wagtail does, returning the fresh page.

    Setting up, so ``by`` need not be someone the admin lets publish it; who may
    is tested through the admin.
    """
    for name, value in {"amendment_note": note, "effective_from": effective, **fields}.items():
        setattr(page, name, value)
    page.save_revision(user=by).publish(user=by, skip_permission_checks=True)
    return PolicyPage.objects.get(pk=page.pk)


@pytest.fixture
def library(home):
    library = home.add_child(instance=PolicyIndexPage(title="Policies", slug="policies"))
    roles.grant_section(page=library)
    library.save_revision().publish()
    return library


@pytest.fixture
def owner(role_groups):
    return UserFactory(
        username="owner", first_name="Olive", last_name="Owner", groups=["Policy editors"]
    )


@pytest.fixture
def approver_person(role_groups):
    return UserFactory(
        username="signer", first_name="Ann", last_name="Signer", groups=["Approvers"]
    )


@pytest.fixture
def make_policy(library, owner, approver_person):
    """Create a policy and publish its first version."""

    def make(
        title="Transfer Protocol",
        audience=Audience.STAFF,
        text="Cases transfer when the plan is agreed.",
        effective=datetime.date(2015, 1, 15),
        **fields,
    ) -> PolicyPage:
        page = library.add_child(
            instance=PolicyPage(
                title=title,
                kind=PolicyKind.PROTOCOL,
                summary=f"What {title} is for.",
                body=body(text),
                policy_owner=owner,
                approver=approver_person,
                audience=audience,
                **fields,
            )
        )
        return publish(page, by=approver_person, note="First version.", effective=effective)

    return make
