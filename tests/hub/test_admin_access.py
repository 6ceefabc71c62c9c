"""The admin over the permission matrix: nobody reads in the admin what they may not read.

Each test visits admin addresses as every role and checks whether a word that
only one page or record carries appears in the answer, whatever its status.
Searches ask for part of the word, so an answer repeating the question does not
count. The expected readers are in ``tests.matrix``.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.log_actions import log
from wagtail.models import Collection

from hub.audiences import Audience
from improvement.models import Milestone, Risk
from panels.models import MeetingPage, MembershipRole
from tests import matrix
from tests.admin_forms import form_values, meeting_blocks
from tests.factories import UserFactory
from tests.panels.conftest import make_crp, make_meeting, make_panel

pytestmark = pytest.mark.django_db

WORDS = {
    "masp_meeting": "Quokka",
    "crp_meeting": "Narwhal",
    "masp_action": "Axolotl",
    "crp_action": "Pangolin",
    "staff_milestone": "Wombat",
    "crp_milestone": "Okapi",
    "crp_risk": "Gharial",
    "crp_document": "Tapir",
}
NOBODY: set[str] = set()


def secret(name: str) -> str:
    return f"{WORDS[name]}secret"


def minuted(panel, name, *, day):
    """A published meeting with ``name``'s word in its title, and a later draft."""
    meeting = make_meeting(
        panel,
        day=day,
        title=f"{WORDS[name]} meeting",
        confidential=f"<p>{secret(name)} first.</p>",
    )
    draft = MeetingPage.objects.get(pk=meeting.pk)
    draft.confidential_minutes = f"<p>{secret(name)} second.</p>"
    draft.save_revision()
    return MeetingPage.objects.get(pk=meeting.pk)


@pytest.fixture
def world(index, masp, library, people):
    """MASP with its meeting, and CRP, a members-only panel of the other panel's people."""
    crp = make_crp(
        index,
        members=[
            (people["other_secretary"], MembershipRole.SECRETARY),
            (people["other_member"], MembershipRole.MEMBER),
        ],
    )
    return {
        "masp": masp,
        "crp": crp,
        "masp_meeting": minuted(masp, "masp_meeting", day="2015-01-14"),
        "crp_meeting": minuted(crp, "crp_meeting", day="2015-01-28"),
    }


def readers(client, people, urls, word, *, post=None):
    """For each address, the roles whose answer contains ``word``."""
    found = {url: set() for url in urls}
    for role in matrix.ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        for url in urls:
            if post is not None:
                client.post(url, post)
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if word in body.decode(errors="replace"):
                found[url].add(role)
    return found


def assert_readers(found: dict, expected: set):
    wrong = {url: sorted(roles ^ expected) for url, roles in found.items() if roles != expected}
    assert not wrong, f"expected only {sorted(expected)}; roles differing, by address: {wrong}"


MEETINGS = [
    ("masp_meeting", matrix.OPENS_MASP_MINUTES, matrix.EDITS_MASP_MINUTES),
    ("crp_meeting", matrix.OPENS_CRP_MINUTES, matrix.EDITS_CRP_MINUTES),
]


@pytest.mark.parametrize(("name", "opens", "edits"), MEETINGS)
def test_minutes_and_their_drafts_open_only_to_the_panels_own_people(
    client, people, world, name, opens, edits
):
    meeting = world[name]
    pages = f"/admin/pages/{meeting.pk}"
    reading = [
        f"{pages}/revisions/{meeting.latest_revision_id}/view/",
        f"{pages}/view_draft/",
        f"{pages}/revisions/compare/earliest...latest/",
    ]

    assert_readers(readers(client, people, reading, secret(name)), opens)
    assert_readers(readers(client, people, [f"{pages}/edit/"], secret(name)), edits)


@pytest.mark.parametrize(("name", "opens", "edits"), MEETINGS)
def test_titles_of_minutes_show_in_the_admin_only_to_the_panels_own_people(
    client, people, world, name, opens, edits
):
    meeting, word = world[name], WORDS[name]
    panel = meeting.get_parent()
    pages = f"/admin/pages/{meeting.pk}"
    opening = [
        f"{pages}/history/",
        f"{pages}/",
        f"/admin/pages/{panel.pk}/",
        f"/admin/pages/search/?q={word[:-1]}",
        f"/admin/choose-page/{panel.pk}/",
        f"/admin/choose-page/{meeting.pk}/",
        f"/admin/choose-page/search/?q={word[:-1]}",
        f"/admin/choose-page/chosen-multiple/?id={meeting.pk}",
        f"/admin/api/main/pages/?search={word}",
        f"/admin/api/main/pages/{meeting.pk}/",
        f"/admin/api/main/pages/?child_of={panel.pk}&for_explorer=1",
        "/admin/reports/site-history/",
        f"/admin/reports/site-history/?label={word[:-1]}",
        f"/admin/bulk/wagtailcore/page/unpublish/?id={meeting.pk}",
        f"/admin/bulk/wagtailcore/page/delete/?id=all&childOf={panel.pk}",
        # Ids written as the database reads them too.
        f"/admin/choose-page/chosen-multiple/?id=%20{meeting.pk}",
        f"/admin/bulk/wagtailcore/page/delete/?id=all&childOf=%2B{panel.pk}",
    ]
    editing = [f"{pages}/workflow_history/", f"{pages}/usage/"]

    assert_readers(readers(client, people, opening, word), opens)
    assert_readers(readers(client, people, editing, word), edits)


def test_choosing_every_page_at_once_shows_nothing_to_those_who_may_not_open_them_all(
    client, people, world
):
    meeting = world["masp_meeting"]
    urls = [
        "/admin/bulk/wagtailcore/page/delete/?id=all",
        f"/admin/bulk/wagtailcore/page/move/?id=all&id={meeting.pk}",
        f"/admin/bulk/wagtailcore/page/publish/?id=all&q={WORDS['masp_meeting'][:-1]}",
        f"/admin/choose-page/chosen-multiple/?id={meeting.pk}.0",
    ]

    assert_readers(readers(client, people, urls, WORDS["masp_meeting"]), NOBODY)


def test_moving_minutes_to_another_panel_is_not_even_shown(client, people, world):
    masp, crp = world["masp_meeting"], world["crp_meeting"]
    urls = [
        f"/admin/pages/{masp.pk}/move/{world['crp'].pk}/confirm/",
        f"/admin/pages/{crp.pk}/move/{world['masp'].pk}/confirm/",
    ]

    assert_readers(readers(client, people, urls[:1], WORDS["masp_meeting"]), NOBODY)
    assert_readers(readers(client, people, urls[1:], WORDS["crp_meeting"]), NOBODY)


def test_nobody_but_a_superuser_changes_who_may_read_a_page_outside_publishing(
    client, people, world
):
    urls = [f"/admin/pages/{world[name].pk}/privacy/" for name in ("masp_meeting", "crp_meeting")]
    for role in matrix.ADMIN_USERS:
        client.force_login(people[role])
        for url in urls:
            response = client.post(url, {"restriction_type": "none"})
            assert response.status_code in (302, 403, 404), (role, url)
    restriction = world["crp_meeting"].view_restrictions.get()
    assert list(restriction.groups.all()) == [world["crp"].members_group]

    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get(urls[1]).status_code == 200


def test_a_preview_of_unsaved_minutes_shows_only_to_who_may_edit_them(client, people, world):
    meeting = world["crp_meeting"]
    client.force_login(UserFactory(username="root", is_superuser=True))
    values = form_values(client.get(reverse("wagtailadmin_pages:edit", args=[meeting.pk])))
    # The agenda's blocks are drawn by the page's script, not by its HTML.
    values.update(meeting_blocks())
    # A part of the minutes every reader of the page is shown.
    unsaved = f"{secret('crp_meeting')} unsaved"
    values["declarations_of_interest"] = unsaved
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[meeting.pk])

    found = readers(client, people, [preview], unsaved, post=values)

    assert_readers(found, matrix.EDITS_CRP_MINUTES)


@pytest.fixture
def actions(world, raise_one):
    return {
        name: raise_one(world[f"{panel}_meeting"], description=f"{WORDS[name]} to do.")
        for name, panel in (("masp_action", "masp"), ("crp_action", "crp"))
    }


def snippet_urls(model_path: str, pk: int) -> dict[str, list[str]]:
    snippets = f"/admin/snippets/{model_path}"
    chooser = f"/admin/snippets/choose/{model_path}"
    return {
        "choose": [
            f"{chooser}/",
            f"{chooser}/chosen/{pk}/",
            f"{chooser}/chosen-multiple/?id={pk}",
        ],
        "list": [
            f"{snippets}/",
            f"{snippets}/history/{pk}/",
            f"{snippets}/usage/{pk}/",
        ],
        "change": [f"{snippets}/edit/{pk}/"],
        "delete": [
            f"{snippets}/delete/{pk}/",
            f"/admin/bulk/{model_path}/delete/?id={pk}",
            f"/admin/bulk/{model_path}/delete/?id=%20{pk}",
        ],
    }


@pytest.mark.parametrize(
    ("name", "choose", "list_", "change"),
    [
        (
            "masp_action",
            matrix.CHOOSES_MASP_ACTION,
            matrix.LISTS_MASP_ACTION,
            matrix.CHANGES_MASP_ACTION,
        ),
        (
            "crp_action",
            matrix.CHOOSES_CRP_ACTION,
            matrix.LISTS_CRP_ACTION,
            matrix.CHANGES_CRP_ACTION,
        ),
    ],
)
def test_actions_open_in_the_admin_only_to_their_audience(
    client, people, actions, name, choose, list_, change
):
    urls, word = snippet_urls("panels/action", actions[name].pk), WORDS[name]

    assert_readers(readers(client, people, urls["choose"], word), choose)
    assert_readers(readers(client, people, urls["list"], word), list_)
    assert_readers(readers(client, people, urls["change"], word), change)
    assert_readers(readers(client, people, urls["delete"][:1], word), NOBODY)
    assert_readers(readers(client, people, urls["delete"][1:], word), choose)


@pytest.fixture
def plan_records(plan, area, world, people):
    def make(name, **audience):
        return Milestone.objects.create(
            plan=plan,
            focus_area=area,
            title=f"{WORDS[name]} milestone",
            owner=people["approver"],
            due_on=datetime.date(2015, 1, 31),
            **audience,
        )

    return {
        "staff_milestone": make("staff_milestone", audience=Audience.STAFF),
        "crp_milestone": make(
            "crp_milestone", audience=Audience.PANEL, audience_group=world["crp"].members_group
        ),
        "crp_risk": Risk.objects.create(
            plan=plan,
            title=f"{WORDS['crp_risk']} risk",
            description="Care plans drift.",
            impact=3,
            likelihood=3,
            owner=people["approver"],
            mitigation="Review dates set.",
            review_on=datetime.date(2015, 3, 31),
            audience=Audience.PANEL,
            audience_group=world["crp"].members_group,
        ),
    }


def test_plan_records_open_in_the_admin_only_to_their_audience(client, people, plan_records):
    staff = snippet_urls("improvement/milestone", plan_records["staff_milestone"].pk)
    crp = snippet_urls("improvement/milestone", plan_records["crp_milestone"].pk)
    managing = [*staff["list"], *staff["change"]]

    assert_readers(
        readers(client, people, managing, WORDS["staff_milestone"]),
        matrix.MANAGES_STAFF_MILESTONE,
    )
    assert_readers(
        readers(client, people, [*crp["list"], *crp["change"]], WORDS["crp_milestone"]),
        matrix.MANAGES_CRP_MILESTONE,
    )
    assert_readers(
        readers(client, people, [*crp["choose"], *crp["delete"][1:]], WORDS["crp_milestone"]),
        matrix.CHOOSES_CRP_MILESTONE,
    )
    risk = snippet_urls("improvement/risk", plan_records["crp_risk"].pk)
    assert_readers(
        readers(client, people, [*risk["list"], *risk["change"]], WORDS["crp_risk"]),
        matrix.MANAGES_CRP_MILESTONE,
    )


@pytest.fixture
def crp_document(world, people):
    return get_document_model().objects.create(
        title=f"{WORDS['crp_document']} strategy notes",
        file=ContentFile(
            f"{secret('crp_document')} in a file.".encode(), name="case-e-strategy-notes.txt"
        ),
        collection=Collection.objects.get(name="Panel: CRP"),
        uploaded_by_user=people["other_secretary"],
    )


def test_a_panels_documents_are_listed_and_served_only_to_its_members(client, people, crp_document):
    admin = [
        "/admin/documents/",
        f"/admin/documents/edit/{crp_document.pk}/",
        f"/admin/documents/usage/{crp_document.pk}/",
        "/admin/documents/chooser/",
        f"/admin/documents/chooser/chosen/{crp_document.pk}/",
    ]

    assert_readers(
        readers(client, people, admin, WORDS["crp_document"]), matrix.MANAGES_CRP_DOCUMENT
    )
    assert_readers(
        readers(client, people, [crp_document.url], secret("crp_document")),
        matrix.READS_CRP_DOCUMENT,
    )


def test_signed_out_readers_of_a_restricted_document_are_asked_to_sign_in_others_refused(
    client, people, crp_document
):
    assert client.get(crp_document.url).status_code == 302
    client.force_login(people["secretary"])
    assert client.get(crp_document.url).status_code == 403


def test_no_address_serves_an_uploaded_document_raw(client, people, crp_document):
    raw = f"/media/{crp_document.file.name}"
    for role in matrix.ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        assert client.get(raw).status_code == 404, role
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get(raw).status_code == 404


def test_site_history_names_records_only_to_their_audience(client, people, actions, plan_records):
    # As the admin records an edit of each.
    for record in (actions["crp_action"], plan_records["crp_milestone"]):
        log(instance=record, action="wagtail.edit", user=people["other_secretary"])
    history = ["/admin/reports/site-history/"]

    assert_readers(readers(client, people, history, WORDS["crp_action"]), matrix.LISTS_CRP_ACTION)
    assert_readers(readers(client, people, history, WORDS["crp_milestone"]), NOBODY)


def test_the_page_types_report_names_the_last_edited_minutes_only_to_their_people(
    client, people, world
):
    # The members-only panel's minutes were edited last.
    report = ["/admin/reports/page-types-usage/"]

    assert_readers(readers(client, people, report, WORDS["crp_meeting"]), matrix.OPENS_CRP_MINUTES)


def test_administrators_manage_the_panels_they_sit_on(client, people, index):
    panel = make_panel(
        index,
        code="KDP",
        audience=Audience.STAFF,
        established="2015-01-07",
        members=[(people["administrator"], MembershipRole.MEMBER)],
    )
    meeting = make_meeting(panel, day="2015-01-28", confidential="<p>Quagga case.</p>")
    client.force_login(people["administrator"])

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[meeting.pk]))

    assert edit.status_code == 200 and "Quagga case." in edit.content.decode()
    assert meeting.permissions_for_user(people["administrator"]).can_publish()
    assert not meeting.permissions_for_user(people["approver"]).can_publish()


def test_redirects_to_minutes_are_listed_only_to_who_may_open_the_minutes(
    client, people, world, index
):
    # Wagtail makes these itself whenever a page moves or changes its address.
    to_minutes = Redirect.objects.create(
        old_path="/old-minutes", redirect_page=world["crp_meeting"]
    )
    to_the_index = Redirect.objects.create(old_path="/old-index", redirect_page=index)
    minutes_urls = [
        "/admin/redirects/",
        "/admin/redirects/?export=csv",
        f"/admin/redirects/{to_minutes.pk}/",
        f"/admin/redirects/{to_minutes.pk}/delete/",
    ]

    assert_readers(readers(client, people, minutes_urls, WORDS["crp_meeting"]), NOBODY)
    shown = readers(client, people, [f"/admin/redirects/{to_the_index.pk}/"], "/old-index")
    assert_readers(shown, {"administrator"})
