"""Numbers of any size, and things that are not numbers, in any list's address: never a 500."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.params import LARGEST_NUMBER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOO_LARGE = "9" * 25

# Every list a reader or an admin user opens, with the numbers its address may carry.
PUBLIC_LISTS = {
    "/policies/": ["owner", "page"],
    "/actions/": ["panel", "owner", "page"],
    "/decisions/": ["year", "page"],
    "/search/": ["year", "page"],
    "/meetings/upcoming/": ["page"],
    "/improvement-plan/evidence/": ["focus_area"],
    "/improvement-plan/evidence/csv/": ["focus_area"],
    "/panels/masp/2015-01-14/": ["actions", "reviews"],
    "/policies/policy/versions/": ["page"],
}
ADMIN_LISTS = {
    "/admin/snippets/panels/action/": ["panel", "owner", "page"],
    "/admin/snippets/improvement/milestone/": ["page"],
    "/admin/snippets/improvement/risk/": ["page"],
    "/admin/pages/search/": ["page", "childOf"],
    "/admin/reports/site-history/": ["user", "page"],
    "/admin/reports/aging-pages/": ["page"],
    "/admin/users/": ["group", "page"],
    "/admin/documents/": ["collection_id", "page"],
    "/admin/images/": ["collection_id", "page"],
    "/admin/choose-page/": ["page"],
}
LISTS = [
    (path, name)
    for lists in (PUBLIC_LISTS, ADMIN_LISTS)
    for path, names in lists.items()
    for name in names
]

values = st.one_of(
    st.integers().map(str),
    st.integers(min_value=LARGEST_NUMBER - 2, max_value=10**40).map(str),
    st.integers(min_value=-(10**40), max_value=-LARGEST_NUMBER + 2).map(str),
    st.integers(min_value=4000, max_value=5000).map(lambda digits: "9" * digits),
    st.text(max_size=30),
)


@pytest.fixture
def content(plan, area, meeting, raise_one, make_policy, make_milestone):
    make_policy(title="Policy")
    make_milestone()
    raise_one(meeting)


@pytest.fixture
def readers(people, content):
    """A signed-in partner for the public lists, a plain secretary and a superuser for both."""
    superuser = UserFactory(username="root", is_superuser=True)
    return {
        person.username: client_for(person)
        for person in (people["partner"], people["secretary"], superuser)
    }


def client_for(person) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(person)
    return client


@pytest.mark.parametrize(
    "address",
    [
        f"/policies/?owner={TOO_LARGE}",
        f"/actions/?panel={TOO_LARGE}",
        f"/actions/?owner={TOO_LARGE}",
        f"/admin/snippets/panels/action/?panel={TOO_LARGE}",
    ],
)
def test_a_number_too_large_for_any_record_is_explained(readers, address):
    response = readers["root"].get(address)

    assert response.status_code == 400
    assert "too large to belong to anything here" in response.content.decode()


def test_comparing_a_version_with_thousands_of_digits_finds_nothing(readers):
    response = readers["root"].get(f"/policies/policy/versions/compare/1...{'9' * 5000}/")

    assert response.status_code == 404


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    target=st.sampled_from(LISTS),
    value=values,
    who=st.sampled_from(["partner", "secretary", "root"]),
)
def test_no_number_in_a_lists_address_makes_it_fail(readers, target, value, who):
    path, name = target

    response = readers[who].get(path, {name: value})

    assert response.status_code < 500, (path, name, value[:50], who)


def test_every_list_tried_opens_when_its_numbers_are_fine(readers):
    answers = {
        (path, name): readers["root"].get(path, {name: "1"}).status_code for path, name in LISTS
    }

    assert answers == dict.fromkeys(LISTS, 200)
