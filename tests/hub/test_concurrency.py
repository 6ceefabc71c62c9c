"""Records with history: a save from a form loaded before another's save is refused."""

import pytest
from django.test import Client
from django.urls import reverse

from panels.models import Action
from tests.admin_forms import form_values
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair_person():
    """A second person changing the same records."""
    return UserFactory(username="chair", first_name="Robin", last_name="Chair", is_superuser=True)


def editing(person, url) -> tuple[Client, dict]:
    """A client signed in as ``person`` with the form at ``url`` as it loaded for them."""
    client = Client()
    client.force_login(person)
    return client, form_values(client.get(url), "form#w-editor-form")


def test_an_action_saved_from_a_stale_form_keeps_the_others_progress(
    people, meeting, raise_one, chair_person
):
    action = raise_one(meeting)
    edit = reverse("wagtailsnippets_panels_action:edit", args=[action.pk])
    secretary, early = editing(people["secretary"], edit)
    chair, values = editing(chair_person, edit)
    assert chair.post(edit, {**values, "progress": "Duty team briefed."}).status_code == 302

    refused = secretary.post(edit, {**early, "description": "Brief the police too."})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Robin Chair saved this action at" in page
    assert "progress to “Duty team briefed.”" in page
    assert "Brief the police too." in page
    action.refresh_from_db()
    assert (action.progress, action.description) == ("Duty team briefed.", "Brief the duty team.")


def test_saving_the_refused_action_again_is_deliberate_and_lands(
    people, meeting, raise_one, chair_person
):
    action = raise_one(meeting)
    edit = reverse("wagtailsnippets_panels_action:edit", args=[action.pk])
    secretary, early = editing(people["secretary"], edit)
    chair, values = editing(chair_person, edit)
    chair.post(edit, {**values, "progress": "Duty team briefed."})
    refused = secretary.post(edit, {**early, "description": "Brief the police too."})

    again = secretary.post(edit, form_values(refused, "form#w-editor-form"))

    assert again.status_code == 302
    action.refresh_from_db()
    assert action.description == "Brief the police too."


def test_a_milestone_saved_from_a_stale_form_is_refused(people, make_milestone, chair_person):
    milestone = make_milestone()
    edit = reverse("wagtailsnippets_improvement_milestone:edit", args=[milestone.pk])
    first, early = editing(chair_person, edit)
    second, values = editing(UserFactory(username="root", is_superuser=True), edit)
    assert second.post(edit, {**values, "due_on": "2015-02-28"}).status_code == 302

    refused = first.post(edit, {**early, "title": "A new title"})

    assert refused.status_code == 200
    assert "saved this milestone at" in refused.content.decode()
    milestone.refresh_from_db()
    assert str(milestone.due_on) == "2015-02-28" and milestone.title != "A new title"


def test_one_person_saving_twice_in_turn_is_not_refused(people, meeting, raise_one):
    action = raise_one(meeting)
    edit = reverse("wagtailsnippets_panels_action:edit", args=[action.pk])
    secretary, values = editing(people["secretary"], edit)
    assert secretary.post(edit, {**values, "progress": "Started."}).status_code == 302
    _, reloaded = editing(people["secretary"], edit)

    assert secretary.post(edit, {**reloaded, "progress": "Nearly done."}).status_code == 302
    assert Action.objects.get(pk=action.pk).progress == "Nearly done."
