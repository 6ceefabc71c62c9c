"""The site's panel pages over the role matrix: who sees what, and nothing leaks."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar
from simple_history.utils import bulk_create_with_history

from hub import services as hub_services
from hub.audiences import Audience
from panels import services
from panels.models import Action, ActionReview, ActionStatus, Decision, MeetingAttendee, MeetingPage
from tests import matrix, nu_checker
from tests.cases import failures
from tests.improvement import conftest as improvement_fixtures
from tests.panels.conftest import make_meeting, publish

pytestmark = pytest.mark.django_db

# Decisions and actions serve the improvement plan's milestones.
plan = improvement_fixtures.plan
area = improvement_fixtures.area
make_milestone = improvement_fixtures.make_milestone

SIGNED_IN = ("partner", "staff", "panel_member", "secretary", "editor", "approver", "administrator")
MASP_MEMBERS = {"panel_member", "secretary", "approver"}
CALENDAR = "/meetings/calendar.ics"


def as_(client, people, role):
    client.logout()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def add_decision(meeting, *, title):
    panel = meeting.get_parent().specific
    decision = Decision(title=title, decision=f"{title}.", decision_maker="Chair")
    services.assign_decision_references(
        panel=panel, meeting=meeting, starts_at=meeting.starts_at, decisions=[decision]
    )
    meeting.decisions.add(decision)
    return publish(meeting)


def test_meeting_minutes_follow_the_panel_and_the_confidential_part_only_its_members(
    client, people, meeting
):
    for role in ("anonymous", *SIGNED_IN):
        response = as_(client, people, role).get(meeting.url)
        if role == "anonymous":
            assert response.status_code == 302, role
            continue
        html = response.content.decode()
        assert response.status_code == 200, role
        assert "Discussed." in html, role
        assert ("Case X discussed." in html) is (role in MASP_MEMBERS), role
        assert ("Confidential minutes" in html) is (role in MASP_MEMBERS), role


def test_print_layout_keeps_the_same_rules(client, people, meeting, raise_one):
    raise_one(meeting)
    for role in ("anonymous", "partner", "panel_member"):
        response = as_(client, people, role).get(meeting.url + "print/")
        if role == "anonymous":
            assert response.status_code == 302
            continue
        html = response.content.decode()
        assert "MASP/2015/01/A1" in html
        assert "Attendance" in html and "Decisions" in html
        assert ("Case X discussed." in html) is (role == "panel_member"), role


def test_a_members_only_meeting_is_refused_to_everyone_else_without_naming_it(
    client, people, crp_meeting
):
    for role in ("anonymous", *SIGNED_IN):
        response = as_(client, people, role).get(crp_meeting.url)
        assert response.status_code in (302, 403), role
        assert "Children Review Panel" not in response.content.decode(), role


def test_action_log_is_for_signed_in_readers_and_shows_only_their_audience(
    client, people, meeting, crp_meeting, raise_one
):
    raise_one(meeting, description="Visible to partners.")
    raise_one(crp_meeting, description="Members only.")

    assert as_(client, people, "anonymous").get("/actions/").status_code == 302
    for role in SIGNED_IN:
        html = as_(client, people, role).get("/actions/").content.decode()
        assert "Visible to partners." in html, role
        assert "Members only." not in html, role
        assert "CRP/2015/01/A1" not in html, role


def test_action_log_filters_and_empty_state(client, people, meeting, raise_one):
    raise_one(meeting, description="Owned by staff.")
    raise_one(meeting, description="Owned by the approver.", owner=people["approver"])
    client = as_(client, people, "staff")

    html = client.get("/actions/", {"owner": people["approver"].pk}).content.decode()
    assert "Owned by the approver." in html and "Owned by staff." not in html
    html = client.get("/actions/", {"status": "done"}).content.decode()
    assert "No actions match." in html
    html = client.get("/actions/", {"overdue": "1"}).content.decode()
    assert "Owned by staff." in html and "(overdue)" in html


def test_an_actions_page_shows_its_history_as_a_timeline(client, people, meeting, raise_one):
    action = raise_one(meeting)
    services.change_action(
        action=action,
        by=people["approver"],
        reason="Vacancies in the duty team.",
        due_on=datetime.date(2015, 4, 8),
    )

    html = as_(client, people, "partner").get(f"/actions/{action.pk}/").content.decode()

    assert "Raised at the meeting of 14 January 2015." in html
    assert "Vacancies in the duty team." in html
    assert (
        'Due date: <del><span class="govuk-visually-hidden">was </span>11 March 2015</del>' in html
    )
    assert '<ins><span class="govuk-visually-hidden">now </span>8 April 2015</ins>' in html
    assert "changed by" in html and people["approver"].get_full_name() in html


def test_an_action_outside_the_readers_audience_is_not_found(
    client, people, crp_meeting, raise_one
):
    action = raise_one(crp_meeting, description="Members only.")
    for role in SIGNED_IN:
        response = as_(client, people, role).get(f"/actions/{action.pk}/")
        assert response.status_code == 404, role
        assert "Members only." not in response.content.decode()


def test_calendars_parse_as_icalendar_and_hold_only_visible_meetings(
    client, people, meeting, crp_meeting, masp
):
    def summaries(url, role):
        response = as_(client, people, role).get(url)
        assert response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        return [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]

    assert summaries(f"{CALENDAR}?since=2015-01-01", "anonymous") == []
    assert summaries(f"{CALENDAR}?since=2015-01-01", "partner") == [f"MASP panel: {meeting.title}"]
    assert summaries(f"{CALENDAR}?panel=MASP&since=2015-01-01", "staff") == [
        f"MASP panel: {meeting.title}"
    ]
    for role in ("anonymous", *SIGNED_IN):
        body = as_(client, people, role).get(f"{CALENDAR}?since=2015-01-01").content.decode()
        assert "Children Review Panel" not in body, role


def test_a_calendar_event_carries_start_end_uid_and_address(client, people, meeting):
    body = as_(client, people, "partner").get(CALENDAR, {"since": "2015-01-01"}).content
    (event,) = Calendar.from_ical(body).walk("VEVENT")

    assert event.decoded("DTSTART") == meeting.starts_at
    assert event.decoded("DTEND") == meeting.starts_at + datetime.timedelta(hours=2)
    assert str(event["UID"]) == f"meeting-{meeting.pk}@testserver"
    assert str(event["URL"]).endswith(meeting.url)


def test_upcoming_meetings_list_future_meetings_the_reader_may_see(client, people, masp):
    make_meeting(masp, day="2015-01-14", title="Past meeting")
    soon = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    make_meeting(masp, day=soon, title="Next meeting")

    anonymous = as_(client, people, "anonymous").get("/meetings/upcoming/").content.decode()
    assert "No meetings you can see are scheduled." in anonymous
    html = as_(client, people, "partner").get("/meetings/upcoming/").content.decode()
    assert "Next meeting" in html and "Past meeting" not in html


def test_panel_page_shows_terms_members_and_meetings(client, people, masp, meeting):
    html = as_(client, people, "anonymous").get(masp.url).content.decode()

    assert "Current terms approved on" in html
    assert "Helen" in html or people["approver"].get_full_name() in html
    assert "There are no meetings of this panel that you can see." in html
    html = as_(client, people, "partner").get(masp.url).content.decode()
    assert meeting.title in html


def test_a_panel_page_lists_one_year_of_meetings_with_every_year_to_choose(
    client, people, masp, meeting
):
    make_meeting(masp, day="2014-11-12", title="The November 2014 meeting")
    make_meeting(masp, day="2014-12-10", title="The December 2014 meeting")
    partner = as_(client, people, "partner")

    latest = partner.get(masp.url).content.decode()
    earlier = partner.get(masp.url, {"year": "2014"}).content.decode()
    none_held = partner.get(masp.url, {"year": "1999"}).content.decode()
    not_a_year = partner.get(masp.url, {"year": "last"}).content.decode()

    assert "Meetings in 2015" in latest and meeting.title in latest
    assert "The November 2014 meeting" not in latest
    assert (
        '<a class="govuk-link" href="?year=2014#meetings">2014</a> <span class="hub-facet-count">'
        '(2<span class="govuk-visually-hidden"> meetings</span>)</span>'
    ) in latest
    assert "Meetings in 2014" in earlier and meeting.title not in earlier
    assert earlier.index("The December 2014 meeting") < earlier.index("The November 2014 meeting")
    assert "no meetings of this panel in 1999 that you can see" in none_held
    assert "Meetings in 2015" in not_a_year


def test_a_panel_page_counts_only_the_meetings_its_reader_may_see(client, people, masp, meeting):
    html = as_(client, people, "anonymous").get(masp.url, {"year": "2015"}).content.decode()

    assert "Meetings by year" not in html and meeting.title not in html
    assert "There are no meetings of this panel that you can see." in html


def test_a_panel_page_takes_the_same_queries_however_many_years_of_meetings(
    client, people, masp, meeting
):
    partner = as_(client, people, "partner")
    one_year = queries_for(partner, masp.url)
    for year in range(2000, 2014):
        make_meeting(masp, day=f"{year}-03-11")

    assert queries_for(partner, masp.url) == one_year
    assert (
        partner.get(masp.url).content.decode().count('<li><a class="govuk-link" href="?year=') == 15
    )


def test_a_calendar_holds_the_last_year_and_everything_ahead(client, people, masp):
    today = datetime.date.today()
    for days, title in ((-400, "Long ago"), (-300, "Recently"), (30, "Next month")):
        make_meeting(masp, day=(today + datetime.timedelta(days=days)).isoformat(), title=title)
    partner = as_(client, people, "partner")

    def titles(query):
        calendar = Calendar.from_ical(partner.get(CALENDAR, query).content)
        return [
            str(event["SUMMARY"]).removeprefix("MASP panel: ") for event in calendar.walk("VEVENT")
        ]

    assert titles({}) == ["Recently", "Next month"]
    assert titles({"panel": "MASP"}) == ["Recently", "Next month"]
    since = (today - datetime.timedelta(days=500)).isoformat()
    assert titles({"since": since}) == ["Long ago", "Recently", "Next month"]


def test_a_calendar_refuses_a_since_that_is_not_a_date(client, people, masp):
    response = as_(client, people, "partner").get(CALENDAR, {"since": "last year"})

    assert response.status_code == 400
    assert "“last year” is not a date" in response.content.decode()


def test_home_page_lists_my_open_actions_and_overdue_actions_on_my_panels(
    client, people, meeting, raise_one
):
    raise_one(meeting, description="Mine to do.", owner=people["panel_member"])
    raise_one(meeting, description="Someone else's.", owner=people["staff"])

    html = as_(client, people, "panel_member").get("/").content.decode()
    assert "My open actions" in html and "Overdue actions on my panels" in html
    assert html.count("Mine to do.") == 2
    assert "Someone else&#x27;s." in html or "Someone else's." in html
    partner = as_(client, people, "partner").get("/").content.decode()
    assert "Mine to do." not in partner


def many_actions(meeting, owner, count: int) -> None:
    panel = meeting.get_parent().specific
    bulk_create_with_history(
        [
            Action(
                reference=f"BULK/{n}",
                description=f"Bulk action {n}",
                owner=owner,
                owner_agency="Police",
                raised_on=datetime.date(2015, 1, 14),
                due_on=datetime.date(2015, 3, 1),
                panel=panel,
                meeting=meeting,
                audience=panel.minutes_audience,
            )
            for n in range(count)
        ],
        Action,
        default_change_reason="Loaded for the query count test.",
    )


def queries_for(client, url) -> int:
    client.get(url)  # warm caches (site root paths, settings) first
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["meeting", "/actions/", "print"])
def test_queries_do_not_grow_with_the_number_of_actions(
    client, people, meeting, later_meeting, url, django_assert_num_queries
):
    url = {"meeting": meeting.url, "print": meeting.url + "print/"}.get(url, url)
    add_decision(meeting, title="A decision")
    many_actions(meeting, people["staff"], 2)
    services.carry_forward_open_actions(meeting=later_meeting)
    client = as_(client, people, "panel_member")
    few = queries_for(client, url)

    many_actions_more = 498
    Action.objects.filter(reference__startswith="BULK/").delete()
    many_actions(meeting, people["staff"], many_actions_more + 2)
    services.carry_forward_open_actions(meeting=later_meeting)
    client.get(url)
    with django_assert_num_queries(few):
        client.get(url)


def test_a_panels_calendar_holds_none_of_its_meetings_the_reader_may_not_see(
    client, people, crp_meeting
):
    response = as_(client, people, "partner").get(CALENDAR, {"panel": "CRP", "since": "2015-01-01"})

    assert Calendar.from_ical(response.content).walk("VEVENT") == []
    assert "Children Review Panel" not in response.content.decode()
    missing = as_(client, people, "partner").get("/meetings/calendar.ics", {"panel": "NONE"})
    assert missing.status_code == 404


def test_a_private_calendar_address_lists_what_its_owner_may_see(
    client, people, meeting, crp_meeting
):
    staff_key = hub_services.subscription_key(user=people["staff"])

    response = client.get(
        reverse("panels:private_calendar", args=[staff_key]), {"since": "2015-01-01"}
    )

    summaries = [
        str(event["SUMMARY"]) for event in Calendar.from_ical(response.content).walk("VEVENT")
    ]
    assert any(meeting.title in summary for summary in summaries)
    assert not any(crp_meeting.title in summary for summary in summaries)
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_calendar_key_is_not_found(client, db):
    assert client.get(reverse("panels:private_calendar", args=["nope"])).status_code == 404


def test_minutes_name_the_meeting_that_approved_them_only_to_who_may_read_it(
    client, people, meeting, crp_meeting
):
    MeetingPage.objects.filter(pk=crp_meeting.pk).update(approves_minutes_of=meeting)
    client.force_login(people["staff"])

    html = client.get(meeting.url).content.decode()

    assert "approved as a true record" not in html
    assert crp_meeting.url not in html


# What decisions and actions link to --------------------------------------------------------

# Everyone signed in reads MASP's minutes; some of them read staff-only records too.
READERS = sorted(matrix.SIGNED_IN)
STAFF_READERS = matrix.READS_STAFF_ONLY


@pytest.fixture
def linked(masp, meeting, make_policy, make_milestone, raise_one):
    """A decision approving a partners' and a staff policy, and a withdrawn one; milestones
    for partners and for staff, which the decision and an action both serve."""
    threshold = make_policy(title="Threshold Document", audience=Audience.PARTNERS)
    transfer = make_policy(title="Transfer Protocol", audience=Audience.STAFF)
    withdrawn = make_policy(title="Withdrawn Procedure", audience=Audience.PUBLIC)
    withdrawn.unpublish()
    pathway = make_milestone(title="Referral pathway agreed", audience=Audience.PARTNERS)
    rota = make_milestone(title="Staff rota milestone", audience=Audience.STAFF)
    decision = Decision(title="Adopt the protocols", decision="Adopted.", decision_maker="Chair")
    decision.policy_versions = [
        page.versions.get(number=1) for page in (threshold, transfer, withdrawn)
    ]
    decision.milestones = [pathway, rota]
    services.assign_decision_references(
        panel=masp, meeting=meeting, starts_at=meeting.starts_at, decisions=[decision]
    )
    meeting.decisions.add(decision)
    meeting = publish(meeting)
    action = raise_one(meeting, milestones=[pathway, rota])
    return {
        "meeting": meeting,
        "decision": meeting.decisions.get(),
        "action": action,
        "threshold": threshold,
        "transfer": transfer,
        "pathway": pathway,
        "rota": rota,
    }


def test_a_decision_names_the_versions_it_approved_and_milestones_it_serves_to_who_may_read_them(
    client, people, linked, plan
):
    threshold, transfer = linked["threshold"], linked["transfer"]
    pathway, rota = linked["pathway"], linked["rota"]

    def names_only_what_they_may_read(role):
        html = as_(client, people, role).get(linked["meeting"].url).content.decode()
        assert f'<tr class="govuk-table__row" id="decision-{linked["decision"].pk}">' in html
        assert (
            f'Approved: <a href="{threshold.url}versions/1/">Threshold Document, version 1</a>'
        ) in html
        staff_link = (
            f'Approved: <a href="{transfer.url}versions/1/">Transfer Protocol, version 1</a>'
        )
        assert (staff_link in html) is (role in STAFF_READERS)
        assert ("Transfer Protocol" in html) is (role in STAFF_READERS)
        assert "Withdrawn Procedure" not in html
        assert (
            f'Serves: <a href="{plan.url}milestones/{pathway.pk}/">Referral pathway agreed</a>'
        ) in html
        assert ("Staff rota milestone" in html) is (role in STAFF_READERS)
        assert f"milestones/{rota.pk}/" in html or role not in STAFF_READERS

    assert failures(READERS, names_only_what_they_may_read) == []


def test_an_action_names_the_milestones_it_serves_to_who_may_read_them(
    client, people, linked, plan
):
    action, pathway = linked["action"], linked["pathway"]

    def names_only_what_they_may_read(role):
        html = as_(client, people, role).get(f"/actions/{action.pk}/").content.decode()
        assert f'<a href="{plan.url}milestones/{pathway.pk}/">Referral pathway agreed</a>' in html
        # The history names milestones too; on the page as a link only where they may read it.
        link = f'href="{plan.url}milestones/{linked["rota"].pk}/"'
        assert (link in html) is (role in STAFF_READERS)

    assert failures(READERS, names_only_what_they_may_read) == []


def many_links(decision_or_action, *, versions, milestones) -> None:
    """Link ``decision_or_action`` to more of these, straight into the link tables."""
    model = type(decision_or_action)
    for name, targets in (("policy_versions", versions), ("milestones", milestones)):
        if not targets or not hasattr(model, name):
            continue
        field = model._meta.get_field(name)
        through = field.remote_field.through
        through.objects.bulk_create(
            through(
                **{
                    field.m2m_field_name(): decision_or_action,
                    field.m2m_reverse_field_name(): target,
                }
            )
            for target in targets
        )


def more_versions(page, count: int) -> list:
    first = page.versions.get(number=1)
    PolicyVersion = type(first)
    return PolicyVersion.objects.bulk_create(
        PolicyVersion(
            page=page,
            number=number,
            revision=first.revision,
            title=page.title,
            amendment_note="Bulk.",
            effective_from=first.effective_from,
            review_due=first.review_due,
        )
        for number in range(2, count + 2)
    )


def more_milestones(plan, area, owner, count: int) -> list:
    Milestone = Decision.milestones.field.related_model
    return Milestone.objects.bulk_create(
        Milestone(
            plan=plan,
            focus_area=area,
            title=f"Bulk milestone {n}",
            owner=owner,
            due_on=datetime.date(2015, 3, 1),
            audience=Audience.PARTNERS,
        )
        for n in range(count)
    )


def test_the_meeting_and_action_pages_take_the_same_queries_for_2_and_200_links(
    client, people, linked, plan, area
):
    client = as_(client, people, "staff")
    urls = [linked["meeting"].url, f"/actions/{linked['action'].pk}/"]
    few = [queries_for(client, url) for url in urls]

    versions = more_versions(linked["threshold"], 198)
    milestones = more_milestones(plan, area, people["approver"], 198)
    many_links(linked["decision"], versions=versions, milestones=milestones)
    many_links(linked["action"], versions=[], milestones=milestones)

    html = client.get(urls[0]).content.decode()
    assert html.count("Approved: <a") == 200
    assert html.count("Serves: <a") == 200
    assert [queries_for(client, url) for url in urls] == few


def test_an_action_once_kept_to_its_panel_hides_what_it_said_then(
    client, people, meeting, crp, raise_one
):
    action = raise_one(meeting, description="Brief the duty team.", due="2015-03-11")
    # Raised while only the members-only panel could read it, since opened to partners.
    action.history.filter(history_type="+").update(
        audience=Audience.PANEL, audience_group=crp.members_group
    )
    services.change_action(
        action=action,
        by=people["secretary"],
        reason="The team met later.",
        due_on=datetime.date(2015, 4, 30),
    )
    client.force_login(people["partner"])

    html = client.get(reverse("panels:action_detail", args=[action.pk])).content.decode()

    assert "open to a narrower audience than yours" in html
    assert "11 March 2015" not in html
    assert "not shown" in html and "30 April 2015" in html


# A valid date string, or global date and time string (HTML): at most three decimals.
MACHINE_TIME = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d{1,3})?)?([+-]\d\d:\d\d|Z))?")


def test_times_on_meeting_and_action_pages_are_valid_html_date_and_time_strings(
    client, people, meeting, raise_one
):
    action = raise_one(meeting, description="Brief the duty team.", due="2015-03-11")
    services.change_action(
        action=action, by=people["secretary"], reason="Later.", due_on=datetime.date(2015, 4, 30)
    )
    client.force_login(people["staff"])
    pages = [
        reverse("panels:action_detail", args=[action.pk]),
        meeting.url,
        meeting.get_parent().url,
        reverse("panels:upcoming_meetings"),
    ]
    stamps = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        stamps += re.findall(r'<time datetime="([^"]+)"', response.content.decode())
    assert len([stamp for stamp in stamps if "T" in stamp]) >= 3  # history, meeting, panel
    assert [stamp for stamp in stamps if not MACHINE_TIME.fullmatch(stamp)] == []


# GOV.UK Frontend markup -------------------------------------------------------------------


def soup_of(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def unlabelled_tables(page: BeautifulSoup) -> list[str]:
    """Each table not inside its own scrolling region labelled by an element of the page,
    or whose caption repeats a heading of the page."""
    headings = {heading.get_text(" ", strip=True) for heading in page.select("h1, h2, h3")}
    wrong = []
    for table in page.find_all("table"):
        region = table.parent
        label = page.find(id=region.get("aria-labelledby") or None)
        caption = table.caption.get_text(" ", strip=True) if table.caption else ""
        if not (
            "hub-table-container" in region.get("class", [])
            and region.get("role") == "region"
            and region.get("tabindex") == "0"
            and label is not None
            and label.name in ("h2", "caption")
        ):
            wrong.append(f"{caption or table.th.get_text(strip=True)}: not in a labelled region")
        if caption and caption in headings:
            wrong.append(f"{caption}: the caption repeats a heading")
    return wrong


@pytest.fixture
def full_meeting(people, meeting, later_meeting, raise_one):
    """A meeting with attendance, a decision and an action; a later one that reviews it."""
    meeting.attendees.add(MeetingAttendee(name="Ada Chair", agency="Police"))
    meeting = add_decision(meeting, title="A decision")
    raise_one(meeting)
    for review in services.carry_forward_open_actions(meeting=later_meeting):
        ActionReview.objects.filter(pk=review.pk).update(progress="The team was briefed.")
    return meeting, later_meeting


def test_meeting_tables_are_labelled_by_their_headings_and_no_caption_repeats_them(
    client, people, full_meeting
):
    meeting, later = full_meeting
    client = as_(client, people, "panel_member")

    for url in (meeting.url, later.url, meeting.url + "print/", later.url + "print/"):
        page = soup_of(client, url)
        assert page.find("caption") is None, url
        assert unlabelled_tables(page) == [], url
    labels = [
        region["aria-labelledby"] for region in soup_of(client, meeting.url).select("[role=region]")
    ]
    assert labels == ["attendance", "decisions", "actions-raised"]
    reviewed = soup_of(client, later.url).select_one("[aria-labelledby=matters-arising]")
    assert reviewed.get_text(" ", strip=True).count("MASP/2015/01/A1") == 1


def test_every_table_of_the_panels_pages_is_in_a_labelled_scrolling_region(
    client, people, masp, full_meeting
):
    client = as_(client, people, "partner")
    urls = ["/actions/", "/meetings/upcoming/", masp.url, f"{masp.url}terms/"]
    make_meeting(masp, day=(datetime.date.today() + datetime.timedelta(days=7)).isoformat())

    found = {url: unlabelled_tables(soup_of(client, url)) for url in urls}

    assert found == {url: [] for url in urls}
    assert all(soup_of(client, url).find("table") for url in urls)


def test_an_actions_status_is_a_govuk_tag_in_its_colour(client, people, meeting, raise_one):
    overdue = raise_one(meeting, description="Overdue.", due="2015-03-11")
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    statuses = {
        ActionStatus.OPEN: raise_one(meeting, description="Open.", due=future),
        ActionStatus.IN_PROGRESS: raise_one(meeting, description="Under way.", due=future),
        ActionStatus.DONE: raise_one(meeting, description="Done.", due=future),
        ActionStatus.CANCELLED: raise_one(meeting, description="Dropped.", due=future),
    }
    for status, action in statuses.items():
        Action.objects.filter(pk=action.pk).update(status=status)
    client = as_(client, people, "staff")

    log = client.get("/actions/").content.decode()
    detail = client.get(f"/actions/{overdue.pk}/").content.decode()

    overdue_tag = '<strong class="govuk-tag govuk-tag--red">Open (overdue)</strong>'
    assert overdue_tag in log and overdue_tag in detail
    assert '<strong class="govuk-tag">Open</strong>' in log
    assert '<strong class="govuk-tag">In progress</strong>' in log
    assert '<strong class="govuk-tag govuk-tag--green">Done</strong>' in log
    assert '<strong class="govuk-tag govuk-tag--grey">Cancelled</strong>' in log


def test_a_meetings_details_are_a_govuk_summary_list(client, people, meeting):
    client = as_(client, people, "partner")

    for url in (meeting.url, meeting.url + "print/"):
        page = soup_of(client, url)
        assert page.select(".details-list") == [], url
        details = page.select_one("main dl.govuk-summary-list")
        rows = details.select(":scope > .govuk-summary-list__row")
        keys = [row.select_one("dt.govuk-summary-list__key").get_text(strip=True) for row in rows]
        assert keys == ["Panel", "Date", "Status"], url
        assert all(row.select_one("dd.govuk-summary-list__value") for row in rows), url


def breadcrumbs_and_current_section(client, url):
    page = soup_of(client, url)
    trail = [item.get_text(strip=True) for item in page.select(".govuk-breadcrumbs__list-item")]
    current = {
        link.get_text(strip=True): link.get("aria-current")
        for link in page.select(".govuk-service-navigation__link[aria-current]")
    }
    return trail, current


def test_the_action_log_an_action_and_upcoming_meetings_sit_in_the_panels_section(
    client, people, index, meeting, raise_one
):
    index.show_in_menus = True
    index.save_revision().publish()
    action = raise_one(meeting)
    client = as_(client, people, "staff")

    log = breadcrumbs_and_current_section(client, "/actions/")
    detail = breadcrumbs_and_current_section(client, f"/actions/{action.pk}/")
    upcoming = breadcrumbs_and_current_section(client, "/meetings/upcoming/")

    assert log == (["Home", "Panels", "Action log"], {"Panels": "true"})
    assert detail == (
        ["Home", "Panels", "Actions", f"Action {action.reference}"],
        {"Panels": "true"},
    )
    assert upcoming == (["Home", "Panels", "Upcoming meetings"], {"Panels": "true"})
    page = soup_of(client, f"/actions/{action.pk}/")
    links = {a.get_text(strip=True): a["href"] for a in page.select(".govuk-breadcrumbs__link")}
    assert links == {"Home": "/", "Panels": index.url, "Actions": reverse("panels:action_log")}
    assert page.select_one('.govuk-breadcrumbs [aria-current="page"]').get_text(strip=True) == (
        f"Action {action.reference}"
    )


def test_the_action_logs_filters_are_govuk_controls_in_one_row(client, people, meeting, raise_one):
    raise_one(meeting)
    page = soup_of(as_(client, people, "staff"), "/actions/?overdue=1")

    filters = page.select_one("form.hub-filters[method=get]")
    row = filters.select_one(".hub-options")
    for name in ("panel", "owner", "status"):
        control = row.select_one(f".govuk-form-group > select.govuk-select[name={name}]")
        assert control is not None, name
        assert filters.select_one(f"label.govuk-label[for={control['id']}]") is not None, name
    overdue = row.select_one(
        ".govuk-form-group .govuk-checkboxes__item > input.govuk-checkboxes__input[name=overdue]"
    )
    assert overdue.has_attr("checked")
    assert row.select_one(f"label.govuk-checkboxes__label[for={overdue['id']}]") is not None
    assert filters.select_one("button.govuk-button[type=submit]").get_text() == "Apply filters"


def test_the_action_log_pages_through_with_its_filters_kept(client, people, meeting):
    many_actions(meeting, people["staff"], 51)
    client = as_(client, people, "staff")

    page = soup_of(client, f"/actions/?owner={people['staff'].pk}")

    pages = page.select_one('nav.govuk-pagination[aria-label="Pages of actions"]')
    assert pages.select_one("a[rel=next]")["href"] == f"?owner={people['staff'].pk}&page=2"
    assert "Page 1 of 2 (51 in all)" in pages.get_text()


def test_the_panels_pages_are_valid_html(client, people, masp, full_meeting):
    if nu_checker.java() is None:
        pytest.skip("the Nu HTML Checker needs Java")
    meeting, later = full_meeting
    action = Action.objects.first()
    client = as_(client, people, "panel_member")
    urls = [
        "/actions/",
        f"/actions/{action.pk}/",
        "/meetings/upcoming/",
        meeting.url,
        later.url,
        meeting.url + "print/",
        meeting.get_parent().get_parent().url,
        masp.url,
        f"{masp.url}terms/",
        f"{masp.url}terms/1/",
    ]

    pages = {url: client.get(url) for url in urls}

    assert {url: response.status_code for url, response in pages.items()} == dict.fromkeys(
        urls, 200
    )
    html = {url: response.content.decode() for url, response in pages.items()}
    assert nu_checker.errors(html) == {}
