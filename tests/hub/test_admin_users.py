"""People in the admin: only superusers make or change superusers; panel groups follow panels."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADD = reverse("wagtailusers_users:add")


def edit_url(person):
    return reverse("wagtailusers_users:edit", args=[person.pk])


def person_form(person, **changes):
    return {
        "username": person.username,
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "is_active": "on",
        "password1": "",
        "password2": "",
        "groups": list(person.groups.values_list("pk", flat=True)),
        **changes,
    }


@pytest.fixture
def root(db):
    return UserFactory(username="root", email="root@hub.example", is_superuser=True)


def test_an_administrator_cannot_make_anyone_a_superuser(client, people, role_groups):
    client.force_login(people["administrator"])
    staff = people["staff"]

    form = client.get(edit_url(staff)).content.decode()
    client.post(edit_url(staff), person_form(staff, is_superuser="on"))
    client.post(
        ADD,
        {
            **person_form(staff, username="newcomer", email="new@hub.example", is_superuser="on"),
            "password1": "a-long-new-password-1",
            "password2": "a-long-new-password-1",
        },
    )

    assert 'name="is_superuser"' not in form
    staff.refresh_from_db()
    assert not staff.is_superuser
    newcomer = get_user_model().objects.get(username="newcomer")
    assert not newcomer.is_superuser and newcomer.groups.get().name == "Staff"


def test_an_administrator_cannot_open_or_change_a_superusers_account(client, people, root):
    client.force_login(people["administrator"])

    opened = client.get(edit_url(root))
    changed = client.post(
        edit_url(root),
        person_form(
            root,
            email="taken@attacker.example",
            password1="a-long-new-password-1",
            password2="a-long-new-password-1",
        ),
    )

    assert opened.status_code in (302, 403) and changed.status_code in (302, 403)
    assert "root@hub.example" not in opened.content.decode()
    root.refresh_from_db()
    assert root.email == "root@hub.example" and root.check_password(PASSWORD)


def test_a_superuser_still_makes_superusers(client, people, root):
    client.force_login(root)
    staff = people["staff"]

    client.post(edit_url(staff), person_form(staff, is_superuser="on"))

    staff.refresh_from_db()
    assert staff.is_superuser


def test_nobody_puts_people_in_a_panels_groups_by_hand_and_editing_keeps_them(
    client, people, masp, root
):
    member = people["panel_member"]
    masp_group = masp.members_group
    for editor in (people["administrator"], root):
        client.force_login(editor)
        form = client.get(edit_url(people["staff"])).content.decode()
        assert f'value="{masp_group.pk}"' not in form, editor

        client.post(
            edit_url(people["staff"]),
            person_form(
                people["staff"], groups=[Group.objects.get(name="Staff").pk, masp_group.pk]
            ),
        )
        client.post(
            edit_url(member),
            person_form(member, groups=[Group.objects.get(name="Panel members").pk]),
        )

        assert not masp_group.user_set.filter(pk=people["staff"].pk).exists(), editor
        assert masp_group.user_set.filter(pk=member.pk).exists(), editor


def test_assigning_a_role_in_bulk_offers_no_panel_group_and_spares_superusers(
    client, people, masp, root
):
    client.force_login(people["administrator"])
    assign = reverse(
        "wagtail_bulk_action", args=["auth", get_user_model()._meta.model_name, "assign_role"]
    )
    staff = Group.objects.get(name="Staff")

    form = client.get(assign, {"id": [people["partner"].pk, root.pk]}).content.decode()
    client.post(
        f"{assign}?id={people['partner'].pk}&id={root.pk}",
        {"role": masp.members_group.pk},
    )
    client.post(f"{assign}?id={people['partner'].pk}&id={root.pk}", {"role": staff.pk})

    assert masp.members_group.name not in form
    assert not masp.members_group.user_set.filter(pk=people["partner"].pk).exists()
    assert staff.user_set.filter(pk=people["partner"].pk).exists()
    assert not staff.user_set.filter(pk=root.pk).exists()
