"""View restrictions bound search: those on a page's ancestors, and changes made in Wagtail's
privacy dialog, which publishes nothing."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from hub import roles
from hub.audiences import Audience, set_page_audience
from policies.models import PolicyVersion
from search.models import SearchRecord
from tests.cases import failures
from tests.factories import UserFactory
from tests.matrix import READS_STAFF_ONLY, ROLES, SIGNED_IN
from tests.panels.conftest import make_meeting
from tests.search.conftest import ONLY_FOR, run

# The policies someone outside the panel finds while the library is open.
OPEN_AUDIENCES = [Audience.PUBLIC, Audience.PARTNERS, Audience.STAFF]


def search_page(client, user, word):
    """The results page as ``user`` sees it for ``word``, past versions included."""
    client.logout()
    if user.is_authenticated:
        client.force_login(user)
    response = client.get("/search/", {"q": word, "include_past": "on"})
    assert response.status_code == 200
    return response.content.decode().lower()


def link(policy) -> str:
    return f'href="{policy.url}"'


def assert_finds_nothing(client, user, policy, word):
    assert run(user, word, include_past=True).total == 0
    html = search_page(client, user, word)
    assert "0 results for" in html
    assert link(policy) not in html
    assert policy.title.lower() not in html


def set_privacy(client, page, **data):
    """Change a page's privacy the way Wagtail's privacy dialog does (only superusers may)."""
    client.force_login(UserFactory(username="root", is_superuser=True))
    response = client.post(reverse("wagtailadmin_pages:set_privacy", args=[page.pk]), data)
    assert response.status_code == 200
    assert '"step": "set_privacy_done"' in response.content.decode()


def staff_group_ids():
    return [group.pk for group in Group.objects.filter(name__in=roles.STAFF_ROLE_NAMES)]


def test_a_library_restricted_to_staff_hides_every_policy_beneath_it_from_others(
    corpus, library, people, client
):
    set_page_audience(page=library, audience=Audience.STAFF)

    def hidden_unless_staff(role):
        user = people[role]
        for audience in OPEN_AUDIENCES:
            policy, word = corpus[audience], ONLY_FOR[audience]
            if role in READS_STAFF_ONLY:
                assert run(user, word, include_past=True).total >= 1
                assert link(policy) in search_page(client, user, word)
            else:
                assert_finds_nothing(client, user, policy, word)

    assert failures(ROLES, hidden_unless_staff) == []


def test_past_versions_follow_the_library_restriction_too(corpus, library, people):
    set_page_audience(page=library, audience=Audience.STAFF)

    # Only the public policy's first version says "ocelot".
    assert run(people["partner"], "ocelot", include_past=True).total == 0
    [hit] = run(people["staff"], "ocelot", include_past=True).hits
    assert hit.kind == "Past policy version"


@pytest.fixture
def minutes(engine, masp, index):
    return make_meeting(
        masp, day="2015-01-14", confidential="<p>Pangolin placement discussed in private.</p>"
    )


def test_a_panel_index_restricted_to_staff_hides_its_panels_meetings_from_others(
    minutes, index, people, client
):
    set_page_audience(page=index, audience=Audience.STAFF)

    def finds(case):
        role, finds_minutes, finds_confidential = case
        user = people[role]
        assert (run(user, "discussed").total >= 1) is finds_minutes
        assert (run(user, "pangolin").total == 1) is finds_confidential
        html = search_page(client, user, "pangolin")
        assert ("(confidential part)" in html) is finds_confidential

    cases = [
        ("anonymous", False, False),
        ("partner", False, False),
        ("panel_member", False, False),
        ("staff", True, False),
        ("secretary", True, True),
    ]
    assert failures(cases, finds) == []


def test_the_privacy_dialog_restricting_the_library_hides_it_without_republishing(
    corpus, library, people, client
):
    set_privacy(client, library, restriction_type="groups", groups=staff_group_ids())

    word = ONLY_FOR[Audience.PARTNERS]
    assert_finds_nothing(client, people["partner"], corpus[Audience.PARTNERS], word)
    public, public_word = corpus[Audience.PUBLIC], ONLY_FOR[Audience.PUBLIC]
    assert_finds_nothing(client, people["anonymous"], public, public_word)
    assert run(people["staff"], word).total == 1

    set_privacy(client, library, restriction_type="none")

    assert not PageViewRestriction.objects.filter(page=library).exists()
    assert run(people["partner"], word).total == 1
    assert link(corpus[Audience.PARTNERS]) in search_page(client, people["partner"], word)
    assert run(people["anonymous"], public_word).total == 1


def test_the_privacy_dialog_changing_the_groups_of_a_restriction_is_followed(
    corpus, library, people, client
):
    partners = Group.objects.get(name=roles.PARTNERS)
    set_privacy(
        client,
        library,
        restriction_type="groups",
        groups=[*staff_group_ids(), partners.pk],
    )
    word = ONLY_FOR[Audience.PARTNERS]
    assert run(people["partner"], word).total == 1

    set_privacy(client, library, restriction_type="groups", groups=staff_group_ids())

    assert_finds_nothing(client, people["partner"], corpus[Audience.PARTNERS], word)
    assert run(people["staff"], word).total == 1


def test_a_login_only_library_is_found_by_every_signed_in_reader_and_nobody_else(
    corpus, library, people, client
):
    set_privacy(client, library, restriction_type="login")

    word = ONLY_FOR[Audience.PUBLIC]
    assert_finds_nothing(client, people["anonymous"], corpus[Audience.PUBLIC], word)
    for role in SIGNED_IN:
        assert run(people[role], word).total == 1, role


def test_a_restriction_losing_a_group_from_the_groups_side_is_followed(corpus, library, people):
    partners = Group.objects.get(name=roles.PARTNERS)
    restriction = PageViewRestriction.objects.create(
        page=library, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([partners, *Group.objects.filter(name=roles.STAFF)])
    word = ONLY_FOR[Audience.PARTNERS]
    assert run(people["partner"], word).total == 1

    partners.pageviewrestriction_set.remove(restriction)
    assert run(people["partner"], word).total == 0

    partners.pageviewrestriction_set.add(restriction)
    assert run(people["partner"], word).total == 1

    partners.pageviewrestriction_set.clear()
    assert run(people["partner"], word).total == 0
    assert run(people["staff"], word).total == 1


def test_deleting_a_restricted_library_removes_its_records(corpus, library, people):
    set_page_audience(page=library, audience=Audience.STAFF)
    PolicyVersion.objects.all().delete()

    library.delete()

    assert not PageViewRestriction.objects.exists()
    assert run(people["staff"], "neglect").total == 0
    assert not SearchRecord.objects.exists()
