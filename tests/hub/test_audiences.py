"""The audience rules, as a matrix of every role against every audience."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from wagtail.models import Page, PageViewRestriction

from hub.audiences import Audience, may_see, record_key, set_page_audience, viewer, visible_to
from tests.factories import NoteFactory, UserFactory
from tests.matrix import EVERYONE, READS_STAFF_ONLY, ROLES, SIGNED_IN
from tests.testapp.models import Note

MASP_MEMBERS = {"panel_member"}

EXPECTED = {
    Audience.PUBLIC: EVERYONE,
    Audience.PARTNERS: SIGNED_IN,
    Audience.STAFF: READS_STAFF_ONLY,
    Audience.PANEL: MASP_MEMBERS,
}


@pytest.fixture
def pages(home, panel_group):
    """One page per audience under the home page, each with a child that inherits it."""
    made = {}
    for audience in Audience:
        page = home.add_child(instance=Page(title=f"{audience.label} page", slug=audience.value))
        set_page_audience(
            page=page,
            audience=audience,
            panel_group=panel_group if audience == Audience.PANEL else None,
        )
        child = page.add_child(instance=Page(title=f"{audience.label} child", slug="child"))
        made[audience] = (page, child)
    return made


@pytest.fixture
def notes(panel_group):
    return {
        audience: NoteFactory(
            audience=audience, audience_group=panel_group if audience == Audience.PANEL else None
        )
        for audience in Audience
    }


@pytest.mark.parametrize("role", ROLES)
def test_pages_each_role_sees_exactly_its_audiences(role, people, pages):
    user = people[role]
    visible = set(visible_to(user, Page.objects.filter(depth__gt=2)))

    for audience, (page, child) in pages.items():
        expected = role in EXPECTED[audience]
        assert (page in visible) is expected, f"{role} / {audience} page"
        assert (child in visible) is expected, f"{role} / {audience} child inherits"
        assert may_see(user, page) is expected
        assert may_see(user, child) is expected


@pytest.mark.parametrize("role", ROLES)
def test_records_each_role_sees_exactly_its_audiences(role, people, notes):
    user = people[role]
    visible = set(visible_to(user, Note.objects.all()))

    for audience, note in notes.items():
        expected = role in EXPECTED[audience]
        assert (note in visible) is expected, f"{role} / {audience} note"
        assert may_see(user, note) is expected


@pytest.mark.parametrize("role", ROLES)
def test_search_keys_agree_with_the_record_filter(role, people, notes):
    keys = viewer(people[role]).keys
    for audience, note in notes.items():
        assert (record_key(note.audience, note.audience_group_id) in keys) is (
            role in EXPECTED[audience]
        )


def test_a_member_of_another_panel_does_not_see_this_panels_material(role_groups, pages, notes):
    other = UserFactory(username="other", groups=["Panel members", "Panel: Children Review"])
    panel_page, panel_child = pages[Audience.PANEL]

    assert not may_see(other, panel_page)
    assert not may_see(other, panel_child)
    assert not may_see(other, notes[Audience.PANEL])


def test_superusers_see_everything_as_in_wagtail(role_groups, pages, notes):
    superuser = UserFactory(username="root", is_superuser=True)

    assert all(may_see(superuser, page) for pair in pages.values() for page in pair)
    assert all(may_see(superuser, note) for note in notes.values())


def test_inactive_accounts_count_as_anonymous(role_groups, pages):
    former = UserFactory(username="left", groups=["Staff"], is_active=False)

    assert not may_see(former, pages[Audience.STAFF][0])
    assert viewer(former).keys == {"public"}


def test_filtering_pages_is_one_query_however_many_restrictions(
    people, pages, django_assert_num_queries
):
    staff = people["staff"]
    viewer(staff)  # the person's groups are read once per request

    with django_assert_num_queries(1):
        titles = [page.title for page in visible_to(staff, Page.objects.filter(depth__gt=2))]

    assert "Staff only page" in titles
    assert "Members of a panel page" not in titles


def test_filtering_records_is_one_query(people, notes, django_assert_num_queries):
    member = people["panel_member"]
    viewer(member)

    with django_assert_num_queries(1):
        audiences = {note.audience for note in visible_to(member, Note.objects.all())}

    assert audiences == {Audience.PUBLIC, Audience.PARTNERS, Audience.PANEL}


def test_changing_a_page_audience_replaces_its_restriction(home, role_groups, panel_group):
    page = home.add_child(instance=Page(title="Moving", slug="moving"))

    set_page_audience(page=page, audience=Audience.STAFF)
    set_page_audience(page=page, audience=Audience.PANEL, panel_group=panel_group)

    restriction = PageViewRestriction.objects.get(page=page)
    assert list(restriction.groups.all()) == [panel_group]

    set_page_audience(page=page, audience=Audience.PUBLIC)
    assert not PageViewRestriction.objects.filter(page=page).exists()
    assert may_see(AnonymousUser(), page)


def test_a_panel_audience_without_a_group_is_refused(home):
    page = home.add_child(instance=Page(title="Orphan", slug="orphan"))

    with pytest.raises(ValueError, match="panel's group"):
        set_page_audience(page=page, audience=Audience.PANEL)
    assert not PageViewRestriction.objects.filter(page=page).exists()


def test_a_record_audience_is_validated(panel_group):
    with pytest.raises(ValidationError, match="Choose the panel"):
        NoteFactory.build(audience=Audience.PANEL).full_clean()
    with pytest.raises(ValidationError, match="Only a 'Members of a panel'"):
        NoteFactory.build(audience=Audience.STAFF, audience_group=panel_group).full_clean()
