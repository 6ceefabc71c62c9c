"""Agencies: kept by Administrators in the admin, and given to people on their account form."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse

from hub import services
from hub.models import Agency, Profile
from tests.admin_forms import form_values
from tests.cases import failures
from tests.matrix import ROLES

pytestmark = pytest.mark.django_db

AGENCY_LIST = reverse("wagtailsnippets_hub_agency:list")
AGENCY_ADD = reverse("wagtailsnippets_hub_agency:add")
PERSON_ADD = reverse("wagtailusers_users:add")


def edit_url(person):
    return reverse("wagtailusers_users:edit", args=[person.pk])


def test_an_agency_name_is_unique(db):
    Agency.objects.create(name="Police")

    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(name="Police")


def test_administrators_keep_the_list_of_agencies(client, people):
    client.force_login(people["administrator"])

    added = client.post(AGENCY_ADD, {"name": "Voluntary sector"})
    listed = client.get(AGENCY_LIST)

    assert added.status_code == 302
    assert Agency.objects.filter(name="Voluntary sector").exists()
    assert "Voluntary sector" in listed.content.decode()


def test_only_administrators_change_agencies(client, people):
    def may_add_only_as_administrator(role):
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        response = client.post(AGENCY_ADD, {"name": f"Agency of {role}"})
        made = Agency.objects.filter(name=f"Agency of {role}").exists()
        assert made is (role == "administrator"), response.status_code

    assert failures(ROLES, may_add_only_as_administrator) == []


def test_a_persons_agency_is_set_on_their_account(client, people):
    police = Agency.objects.create(name="Police")
    member = people["panel_member"]
    client.force_login(people["administrator"])

    form = form_values(client.get(edit_url(member)), "form[method=post]")
    assert form["agency"] == ""
    response = client.post(edit_url(member), {**form, "agency": police.pk})

    assert response.status_code == 302
    assert Profile.objects.get(user=member).agency == police
    again = form_values(client.get(edit_url(member)), "form[method=post]")
    assert again["agency"] == str(police.pk)


def test_a_persons_agency_can_be_cleared(client, people):
    services.set_agency(user=people["partner"], agency=Agency.objects.create(name="Health"))
    client.force_login(people["administrator"])

    form = form_values(client.get(edit_url(people["partner"])), "form[method=post]")
    client.post(edit_url(people["partner"]), {**form, "agency": ""})

    assert Profile.objects.get(user=people["partner"]).agency is None


def test_a_new_person_is_given_an_agency(client, people, role_groups):
    education = Agency.objects.create(name="Education")
    client.force_login(people["administrator"])

    client.post(
        PERSON_ADD,
        {
            "username": "teacher",
            "email": "teacher@hub.example",
            "first_name": "Tess",
            "last_name": "Teacher",
            "password1": "a-long-new-password-1",
            "password2": "a-long-new-password-1",
            "groups": [role_groups["Partner agencies"].pk],
            "agency": education.pk,
        },
    )

    teacher = get_user_model().objects.get(username="teacher")
    assert teacher.profile.agency == education


def test_an_agency_that_does_not_exist_is_refused(client, people):
    client.force_login(people["administrator"])
    form = form_values(client.get(edit_url(people["staff"])), "form[method=post]")

    response = client.post(edit_url(people["staff"]), {**form, "agency": "999999"})

    assert response.status_code == 200
    assert not Profile.objects.filter(user=people["staff"]).exclude(agency=None).exists()


def test_set_agency_is_safe_to_repeat(people):
    health = Agency.objects.create(name="Health")

    services.set_agency(user=people["partner"], agency=health)
    services.set_agency(user=people["partner"], agency=health)

    assert Profile.objects.filter(user=people["partner"]).count() == 1
