"""The audience rules, as a matrix of every role against every audience."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st
from wagtail.models import Page, PageViewRestriction

from hub.audiences import (
    Audience,
    may_see,
    narrow,
    record_key,
    restriction_keys,
    set_page_audience,
    viewer,
    visible_to,
)
from tests.cases import failures
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


def test_pages_each_role_sees_exactly_its_audiences(people, pages):
    def sees_exactly_its_audiences(role):
        user = people[role]
        visible = set(visible_to(user, Page.objects.filter(depth__gt=2)))
        for audience, (page, child) in pages.items():
            expected = role in EXPECTED[audience]
            assert (page in visible) is expected, f"{audience} page"
            assert (child in visible) is expected, f"{audience} child inherits"
            assert may_see(user, page) is expected
            assert may_see(user, child) is expected

    assert failures(ROLES, sees_exactly_its_audiences) == []


def test_records_each_role_sees_exactly_its_audiences(people, notes):
    def sees_exactly_its_audiences(role):
        user = people[role]
        visible = set(visible_to(user, Note.objects.all()))
        for audience, note in notes.items():
            expected = role in EXPECTED[audience]
            assert (note in visible) is expected, f"{audience} note"
            assert may_see(user, note) is expected

    assert failures(ROLES, sees_exactly_its_audiences) == []


def test_search_keys_agree_with_the_record_filter(people, notes):
    def agree(role):
        keys = viewer(people[role]).keys
        for audience, note in notes.items():
            assert (record_key(note.audience, note.audience_group_id) in keys) is (
                role in EXPECTED[audience]
            ), audience

    assert failures(ROLES, agree) == []


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


def test_filtering_pages_takes_two_queries_however_many_restrictions(
    people, pages, django_assert_num_queries
):
    staff = people["staff"]
    viewer(staff)  # the person's groups are read once per request

    with django_assert_num_queries(2):
        titles = [page.title for page in visible_to(staff, Page.objects.filter(depth__gt=2))]

    assert "Staff only page" in titles
    assert "Members of a panel page" not in titles


def query_plan(queryset) -> str:
    """The database's plan, preferring indexes wherever one can answer (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.mark.usefixtures("planner_as_on_a_new_site")
def test_restrictions_are_found_through_the_ancestors_paths_not_scanned_per_page(
    people, pages, meeting
):
    """Each page looks its ancestors up by path, then their restrictions by page."""

    def indexed(role):
        pages = visible_to(people[role], Page.objects.filter(depth__gt=2))
        plan = query_plan(pages)
        if connection.vendor == "postgresql":
            assert "Seq Scan" not in plan
            assert 'Index Cond: ((path)::text = "substring"((wagtailcore_page.path)::text' in plan
        else:
            lines = plan.splitlines()
            scans = [line for line in lines if " SCAN " in line]
            assert len(scans) == 1 and "SCAN wagtailcore_page" in scans[0], plan
            assert any("(path=?)" in line for line in lines), plan
        assert "wagtailcore_pageviewrestriction_page_id" in plan

    assert failures(["anonymous", "partner", "staff", "panel_member"], indexed) == []


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


# Search keys: a person sees a record when they hold any one of its keys -----------------------

ROLE_LEVELS = ([], ["partners"], ["partners", "staff"])


def holder_keys(groups, levels) -> frozenset[str]:
    """The keys ``viewer`` gives a signed-in person with these groups and levels."""
    return frozenset(
        {"public", "signed-in", *levels}
        | {f"group:{group}" for group in groups}
        | {f"group:{group}@{level}" for group in groups for level in levels}
    )


def test_viewer_keys_are_the_levels_groups_and_each_group_within_each_level(people):
    def levels_and_groups(role):
        who = viewer(people[role])
        if role == "anonymous":
            assert who.keys == {"public"}
            return
        levels = [level for level in ("partners", "staff") if level in who.keys]
        assert levels == (["partners", "staff"] if role in READS_STAFF_ONLY else ["partners"])
        assert who.keys == holder_keys(who.group_ids, levels)

    assert failures(ROLES, levels_and_groups) == []


@pytest.mark.parametrize(
    ("own", "admitted", "expected"),
    [
        ({"staff"}, {"public"}, {"staff"}),
        ({"public"}, {"staff"}, {"staff"}),
        ({"partners"}, {"staff"}, {"staff"}),
        ({"staff"}, {"partners"}, {"staff"}),
        ({"public"}, {"signed-in"}, {"signed-in"}),
        ({"partners"}, {"signed-in"}, {"partners"}),
        ({"group:7"}, {"signed-in"}, {"group:7"}),
        ({"group:7"}, {"partners"}, {"group:7@partners"}),
        ({"group:7@partners"}, {"staff"}, {"group:7@staff"}),
        ({"group:7"}, {"group:7"}, {"group:7"}),
        ({"group:7", "group:8"}, {"group:7"}, {"group:7"}),
        ({"group:7", "group:8"}, {"partners"}, {"group:7@partners", "group:8@partners"}),
        ({"public"}, {"group:7", "group:8"}, {"group:7", "group:8"}),
        # Members of two groups at once cannot be named by one key: nobody, never everybody.
        ({"group:7"}, {"group:8"}, set()),
        ({"staff"}, set(), set()),
        (set(), {"public"}, set()),
        # A key nobody is given admits nobody.
        ({"group:None", "panel"}, {"public"}, set()),
        # Keys another key already covers are left out.
        ({"partners", "staff", "group:7@staff"}, {"public"}, {"partners"}),
    ],
)
def test_narrowing_a_records_keys_by_a_pages_keys(own, admitted, expected):
    assert narrow(own, admitted) == expected


KEY = st.one_of(
    st.sampled_from(["public", "signed-in", "partners", "staff", "group:None", "panel"]),
    st.builds(
        "group:{}{}".format,
        st.integers(1, 3),
        st.sampled_from(["", "@partners", "@staff"]),
    ),
)


@given(
    own=st.frozensets(KEY, max_size=4),
    admitted=st.frozensets(KEY, max_size=4),
    groups=st.frozensets(st.integers(1, 3)),
    levels=st.sampled_from(ROLE_LEVELS),
    signed_in=st.booleans(),
)
def test_whoever_holds_a_narrowed_key_holds_a_key_of_each_side(
    own, admitted, groups, levels, signed_in
):
    holds = holder_keys(groups, levels) if signed_in else frozenset({"public"})

    if holds & narrow(own, admitted):
        assert holds & own
        assert holds & admitted


@given(own=st.frozensets(KEY, max_size=4), groups=st.frozensets(st.integers(1, 3)))
def test_a_page_without_restrictions_leaves_the_record_to_its_own_keys(own, groups):
    for levels in ROLE_LEVELS:
        holds = holder_keys(groups, levels)
        assert bool(holds & narrow(own, {"public"})) is bool(holds & own)


# Restriction keys: what the view restrictions on a page and its ancestors admit --------------


def restrict(page, option, groups):
    """Give ``page`` one of the restrictions the tests combine (see ``RESTRICTIONS``)."""
    if option in Audience.values:
        set_page_audience(
            page=page,
            audience=option,
            panel_group=groups["Panel: MASP"] if option == Audience.PANEL else None,
        )
    elif option == "login":
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    elif option == "password":
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    elif option is not None:
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([groups[name] for name in option])


# None leaves a page open; a tuple is a groups restriction naming those groups.
RESTRICTIONS = [
    None,
    *Audience.values,
    "login",
    "password",
    ("Staff", "Partner agencies"),
    ("Panel: MASP", "Staff"),
    ("Panel: Children Review",),
]


@pytest.fixture
def all_groups(people):
    Group.objects.get_or_create(name="Panel: Children Review")
    return {group.name: group for group in Group.objects.all()}


@pytest.fixture
def chains(home, all_groups):
    """A page for every restriction, and beneath each a page for every restriction again."""
    made = []
    for n, upper in enumerate(RESTRICTIONS):
        parent = home.add_child(instance=Page(title=f"Upper {upper}", slug=f"upper-{n}"))
        restrict(parent, upper, all_groups)
        made.append(((upper,), parent))
        for m, lower in enumerate(RESTRICTIONS):
            child = parent.add_child(instance=Page(title=f"Lower {lower}", slug=f"lower-{m}"))
            restrict(child, lower, all_groups)
            made.append(((upper, lower), child))
    return made


def record_keys_by_audience(all_groups):
    masp = all_groups["Panel: MASP"].pk
    return {
        **{audience: {record_key(audience)} for audience in Audience.values if audience != "panel"},
        "panel": {record_key(Audience.PANEL, masp)},
        "two panels": {f"group:{masp}", f"group:{all_groups['Panel: Children Review'].pk}"},
    }


def test_restriction_keys_never_admit_anyone_the_page_refuses(people, chains, all_groups):
    """Every role, every chain of two restrictions, every record audience: no leak, ever.

    In this matrix the keys are also exact: whoever may open the page holds one.
    """
    admitted = restriction_keys(page for _, page in chains)
    own_keys = record_keys_by_audience(all_groups)

    for role in ROLES:
        user = people[role]
        holds = viewer(user).keys
        for chain, page in chains:
            assert bool(holds & admitted[page.pk]) is may_see(user, page), f"{role} / {chain}"
            for audience, own in own_keys.items():
                if holds & narrow(own, admitted[page.pk]):
                    assert may_see(user, page), f"{role} / {chain} / {audience}"
                    assert holds & own, f"{role} / {chain} / {audience}"


def test_a_page_with_no_restriction_admits_the_public(home):
    page = home.add_child(instance=Page(title="Open", slug="open"))

    assert restriction_keys([page]) == {page.pk: {"public"}}


@pytest.mark.parametrize(
    ("upper", "lower", "expected"),
    [
        (Audience.STAFF, None, {"staff"}),
        (Audience.PARTNERS, None, {"partners"}),
        (Audience.PARTNERS, Audience.STAFF, {"staff"}),
        (Audience.STAFF, Audience.PARTNERS, {"staff"}),
        (Audience.PANEL, None, {"group:{masp}"}),
        (Audience.PANEL, Audience.STAFF, {"group:{masp}@staff"}),
        ("login", None, {"signed-in"}),
        ("login", Audience.PARTNERS, {"partners"}),
        ("password", None, set()),
        ("password", "login", set()),
        (("Staff", "Partner agencies"), None, {"group:{staff}", "group:{partners}"}),
        (
            ("Staff", "Partner agencies"),
            Audience.STAFF,
            {"group:{staff}@staff", "group:{partners}@staff"},
        ),
        (("Panel: MASP",), ("Panel: Children Review",), set()),
    ],
)
def test_restrictions_on_the_way_down_all_apply(home, all_groups, upper, lower, expected):
    parent = home.add_child(instance=Page(title="Upper", slug="upper"))
    restrict(parent, upper, all_groups)
    child = parent.add_child(instance=Page(title="Lower", slug="lower"))
    restrict(child, lower, all_groups)
    ids = {
        "masp": all_groups["Panel: MASP"].pk,
        "staff": all_groups["Staff"].pk,
        "partners": all_groups["Partner agencies"].pk,
    }

    assert restriction_keys([child])[child.pk] == {key.format(**ids) for key in expected}


def test_a_level_stands_for_its_groups_only_while_all_of_them_exist(home, all_groups):
    Group.objects.filter(name="Approvers").delete()
    page = home.add_child(instance=Page(title="Staff", slug="staff"))
    set_page_audience(page=page, audience=Audience.STAFF)
    Group.objects.create(name="Approvers")

    keys = restriction_keys([page])[page.pk]

    assert "staff" not in keys
    assert keys == {f"group:{group.pk}" for group in PageViewRestriction.objects.get().groups.all()}
    approver = UserFactory(username="new-approver", groups=["Approvers"])
    assert not keys & viewer(approver).keys
    assert not may_see(approver, page)


def test_restriction_keys_for_a_batch_take_two_queries(home, all_groups, django_assert_num_queries):
    pages = []
    for n, option in enumerate(RESTRICTIONS * 3):
        page = home.add_child(instance=Page(title=f"Page {n}", slug=f"page-{n}"))
        restrict(page, option, all_groups)
        pages.append(page.add_child(instance=Page(title=f"Child {n}", slug="child")))

    with django_assert_num_queries(2):
        admitted = restriction_keys(pages)

    assert len(admitted) == len(pages)
    with django_assert_num_queries(0):
        assert restriction_keys([]) == {}
