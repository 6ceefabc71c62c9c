"""The page form: a save from a stale or torn form is refused, and nothing is lost."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from panels.models import MeetingPage
from tests.admin_forms import form_values, meeting_blocks
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair_person():
    """A second editor of the same minutes."""
    return UserFactory(username="chair", first_name="Robin", last_name="Chair", is_superuser=True)


def editing(person, page) -> tuple[Client, str, dict]:
    """A client signed in as ``person`` with the page's edit form as it loaded for them."""
    client = Client()
    client.force_login(person)
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    values = form_values(client.get(edit))
    agenda = [("item", {"title": "Cases", "presenter": "", "minutes": rich_text("Discussed.")})]
    values.update(meeting_blocks(agenda))
    return client, edit, values


def draft(page) -> MeetingPage:
    return MeetingPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def test_a_save_from_a_form_loaded_before_anothers_save_is_refused(people, meeting, chair_person):
    secretary, edit, early = editing(people["secretary"], meeting)
    chair, _, values = editing(chair_person, meeting)
    chair.post(edit, {**values, "place": "Room 4, County Hall"})

    refused = secretary.post(edit, {**early, "place": "Online"})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Robin Chair saved this page at" in page
    assert "they changed place" in page
    assert "revisions/compare/" in page
    assert 'value="Online"' in page
    assert draft(meeting).place == "Room 4, County Hall"


def test_saving_again_after_the_refusal_replaces_the_other_version_on_purpose(
    people, meeting, chair_person
):
    secretary, edit, early = editing(people["secretary"], meeting)
    chair, _, values = editing(chair_person, meeting)
    chair.post(edit, {**values, "place": "Room 4, County Hall"})
    refused = secretary.post(edit, {**early, "place": "Online"})

    again = {**early, **form_values(refused), "place": "Online"}
    again.update(meeting_blocks())
    saved = secretary.post(edit, again)

    assert saved.status_code == 302
    assert draft(meeting).place == "Online"


def test_two_saves_in_turn_by_the_same_person_both_land(people, meeting):
    secretary, edit, values = editing(people["secretary"], meeting)
    assert secretary.post(edit, {**values, "place": "Room 1"}).status_code == 302
    _, _, reloaded = editing(people["secretary"], meeting)

    saved = secretary.post(edit, {**reloaded, "place": "Room 2"})

    assert saved.status_code == 302
    assert draft(meeting).place == "Room 2"


def test_a_save_racing_the_editors_own_autosave_lands(people, meeting):
    """The editor's autosave made a revision the form had not yet heard of: it is theirs."""
    secretary, edit, values = editing(people["secretary"], meeting)
    draft(meeting).save_revision(user=people["secretary"])

    saved = secretary.post(edit, {**values, "place": "Room 3"})

    assert saved.status_code == 302
    assert draft(meeting).place == "Room 3"


def test_a_body_that_arrives_without_its_count_is_refused_and_kept(people, meeting):
    secretary, edit, values = editing(people["secretary"], meeting)
    del values["agenda-count"]

    refused = secretary.post(edit, {**values, "place": "Online"})

    assert refused.status_code == 200
    assert "did not arrive in full" in refused.content.decode()
    assert draft(meeting).place != "Online"
    assert len(draft(meeting).agenda) == 1


def test_a_body_with_an_unreadable_count_is_refused_and_kept(people, meeting):
    secretary, edit, values = editing(people["secretary"], meeting)

    refused = secretary.post(edit, {**values, "agenda-count": "many"})

    assert refused.status_code == 200
    assert "did not arrive in full" in refused.content.decode()
    assert len(draft(meeting).agenda) == 1


def test_a_loaded_revision_that_is_not_a_number_does_not_break_the_save(people, meeting):
    secretary, edit, values = editing(people["secretary"], meeting)

    answer = secretary.post(edit, {**values, "loaded_revision_id": "²", "place": "Room 9"})

    assert answer.status_code in (200, 302)


def test_an_expiry_date_is_refused_for_pages_are_withdrawn_with_a_reason(people, meeting):
    secretary, edit, values = editing(people["secretary"], meeting)

    refused = secretary.post(edit, {**values, "expire_at": "2099-01-01 10:00"})

    assert refused.status_code == 200
    assert "taken down by withdrawing them" in refused.content.decode()
    assert draft(meeting).expire_at is None
