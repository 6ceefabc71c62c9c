"""A milestone's status on any date, read from the histories of the milestone and its actions."""

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import timezone

from hub.audiences import Audience
from improvement import selectors, services
from improvement.progress import Rag
from panels import services as panel_services

MARCH_31 = datetime.date(2015, 3, 31)


def status_on(milestone, plan, on):
    return selectors.statuses_on([milestone], plan=plan, on=on)[milestone.pk]


def recorded_on(milestone, day: datetime.date):
    """Date the milestone's history as if it had been entered on ``day``."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    milestone.history.update(history_date=moment)
    return milestone


def test_an_override_set_after_the_date_is_ignored(plan, make_milestone, people):
    milestone = make_milestone(due_on=datetime.date(2015, 6, 30))
    services.override_status(
        milestone=milestone, status="red", reason="Staffing gap.", by=people["approver"]
    )

    assert status_on(milestone, plan, MARCH_31).status == Rag.GREEN
    assert status_on(milestone, plan, timezone.localdate()).status == Rag.RED


def test_an_override_set_before_the_date_counts(plan, make_milestone, people):
    milestone = recorded_on(make_milestone(due_on=datetime.date(2015, 6, 30)), plan.starts_on)
    services.override_status(
        milestone=milestone,
        status="amber",
        reason="Recruitment slipping.",
        by=people["approver"],
        on=datetime.date(2015, 3, 2),
    )

    progress = status_on(milestone, plan, MARCH_31)

    assert (progress.status, progress.reason, progress.overridden) == (
        Rag.AMBER,
        "Recruitment slipping.",
        True,
    )
    assert status_on(milestone, plan, datetime.date(2015, 3, 1)).status == Rag.GREEN


def test_an_override_removed_before_the_date_no_longer_counts(plan, make_milestone, people):
    milestone = recorded_on(make_milestone(due_on=datetime.date(2015, 6, 30)), plan.starts_on)
    for status, on in (("red", datetime.date(2015, 2, 1)), ("", datetime.date(2015, 3, 1))):
        services.override_status(
            milestone=milestone, status=status, reason="Reviewed.", by=people["approver"], on=on
        )

    assert status_on(milestone, plan, datetime.date(2015, 2, 15)).status == Rag.RED
    assert status_on(milestone, plan, MARCH_31).status == Rag.GREEN


def test_an_override_cannot_be_dated_before_the_last_change(plan, make_milestone, people):
    milestone = make_milestone()

    with pytest.raises(ValidationError, match="date this one on or after it"):
        services.override_status(
            milestone=milestone,
            status="red",
            reason="Backdated.",
            by=people["approver"],
            on=datetime.date(2015, 3, 2),
        )


def test_an_override_cannot_take_effect_in_the_future(plan, make_milestone, people):
    milestone = make_milestone()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError, match="future"):
        services.override_status(
            milestone=milestone, status="red", reason="Later.", by=people["approver"], on=tomorrow
        )

    milestone.refresh_from_db()
    assert milestone.status_override == ""


def test_done_on_time_is_complete_as_at_the_plans_end(plan, make_milestone):
    milestone = make_milestone(
        due_on=datetime.date(2014, 11, 30), done_on=datetime.date(2014, 11, 3)
    )

    assert status_on(milestone, plan, plan.ends_on).status == Rag.COMPLETE
    assert status_on(milestone, plan, datetime.date(2014, 11, 2)).status == Rag.GREEN


def test_an_action_done_after_the_date_was_open_and_overdue_on_it(
    plan, make_milestone, meeting, raise_one, people
):
    milestone = make_milestone(due_on=datetime.date(2015, 4, 30))
    action = raise_one(meeting, due="2015-03-11")
    panel_services.change_action(
        action=action, by=None, milestones=[milestone], on=datetime.date(2015, 1, 20)
    )
    panel_services.change_action(
        action=action,
        by=people["secretary"],
        reason="Done.",
        status="done",
        on=datetime.date(2015, 4, 2),
    )

    assert status_on(milestone, plan, MARCH_31).reason == "1 linked action overdue."
    assert status_on(milestone, plan, datetime.date(2015, 4, 3)).status == Rag.GREEN


def test_an_action_linked_after_the_date_does_not_count_on_it(
    plan, make_milestone, meeting, raise_one
):
    milestone = make_milestone(due_on=datetime.date(2015, 4, 30))
    action = raise_one(meeting, due="2015-02-01")
    panel_services.change_action(
        action=action, by=None, milestones=[milestone], on=datetime.date(2015, 4, 1)
    )

    assert status_on(milestone, plan, MARCH_31).status == Rag.GREEN
    assert status_on(milestone, plan, datetime.date(2015, 4, 1)).status == Rag.RED


@pytest.mark.parametrize("count", [2, 30])
def test_statuses_on_a_date_take_the_same_queries_however_many(
    plan, make_milestone, meeting, raise_one, django_assert_max_num_queries, count
):
    milestones = [make_milestone(title=f"Milestone {n}") for n in range(count)]
    for milestone in milestones:
        action = raise_one(meeting, due="2015-02-01")
        panel_services.change_action(action=action, by=None, milestones=[milestone])

    with django_assert_max_num_queries(4):
        statuses = selectors.statuses_on(milestones, plan=plan, on=MARCH_31)

    assert len(statuses) == count


def test_the_plan_is_shown_as_at_its_end_once_it_has_ended(client, people, plan, make_milestone):
    make_milestone(due_on=datetime.date(2014, 11, 30), done_on=datetime.date(2014, 11, 3))
    client.force_login(people["staff"])

    html = client.get(plan.url).content.decode()

    assert "Status as at 30 April 2015, when the plan ended" in html
    assert 'name="on" value="2015-04-30"' in html
    assert "No milestone is overdue." in html


def test_the_plan_is_shown_as_at_a_chosen_date(client, people, plan, make_milestone):
    make_milestone(due_on=datetime.date(2014, 11, 30), done_on=datetime.date(2014, 11, 3))
    client.force_login(people["staff"])

    html = client.get(plan.url, {"on": "2014-11-02"}).content.decode()

    assert "Status as at 2 November 2014" in html
    assert "Status as at 30 April 2015" not in html


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("31/03/2015", "is not a date. Enter a date like 2015-03-31."),
        ("2999-01-01", "choose today or an earlier date"),
    ],
)
@pytest.mark.parametrize("where", ["", "milestone"])
def test_a_bad_as_at_date_gets_a_clear_message(
    client, people, plan, make_milestone, on, message, where
):
    milestone = make_milestone()
    client.force_login(people["staff"])
    url = f"{plan.url}milestones/{milestone.pk}/" if where else plan.url

    response = client.get(url, {"on": on})

    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_milestone_page_shows_its_status_on_a_chosen_date(client, people, plan, make_milestone):
    milestone = make_milestone(
        due_on=datetime.date(2014, 11, 30), done_on=datetime.date(2014, 11, 3)
    )
    client.force_login(people["staff"])
    url = f"{plan.url}milestones/{milestone.pk}/"

    before = client.get(url, {"on": "2014-11-02"}).content.decode()
    default = client.get(url).content.decode()

    assert "Status as at 2 November 2014" in before and "On track." in before
    assert "when the plan ended" in default and "Marked done" in default


def test_the_evidence_pack_ignores_an_override_set_after_its_date(
    client, people, plan, make_milestone
):
    milestone = make_milestone(due_on=datetime.date(2015, 6, 30))
    services.override_status(
        milestone=milestone, status="red", reason="Set today.", by=people["approver"]
    )
    client.force_login(people["staff"])

    response = client.get(f"{plan.url}evidence/csv/", {"on": "2015-03-31"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    [row] = [row for row in rows if row["Kind"] == "Milestone"]
    assert row["Status"] == "Green"


def test_milestone_rows_of_the_evidence_export_keep_the_focus_area_in_its_column(
    client, people, plan, make_milestone
):
    make_milestone()
    client.force_login(people["staff"])

    response = client.get(f"{plan.url}evidence/csv/", {"on": "2015-03-31"})

    [row] = [
        row
        for row in csv.DictReader(io.StringIO(response.content.decode()))
        if row["Kind"] == "Milestone"
    ]
    assert row["Reference"] == ""
    assert row["Focus area"] == "Evidence of good management decision making"
    assert row["Date"] == "2015-01-31"


def test_the_evidence_pack_of_an_ended_plan_defaults_to_its_end(client, people, plan):
    client.force_login(people["staff"])

    html = client.get(f"{plan.url}evidence/").content.decode()

    assert 'value="2015-04-30"' in html


def test_an_override_reason_longer_than_a_line_is_kept_whole(plan, make_milestone, people):
    milestone = make_milestone()
    reason = "Recruitment slipped: " + "the second round of interviews was postponed. " * 6

    services.override_status(
        milestone=milestone, status="red", reason=reason, by=people["approver"]
    )

    assert milestone.history.latest().history_change_reason.endswith(reason.strip())


def test_a_milestones_history_keeps_entries_from_readers_it_was_kept_from_then(
    client, people, plan, make_milestone
):
    milestone = make_milestone()
    milestone.history.update(
        audience=Audience.STAFF, history_change_reason="Set up after the review of child Z."
    )
    client.force_login(people["partner"])

    html = client.get(f"{plan.url}milestones/{milestone.pk}/").content.decode()

    assert "open to a narrower audience than yours" in html
    assert "child Z" not in html


@pytest.mark.parametrize(
    ("where", "field"),
    [("", "as-at-date"), ("milestone", "as-at-date"), ("evidence", "evidence-date")],
)
@pytest.mark.parametrize("typed", ["31/03/2015", "2999-01-01"])
def test_a_bad_date_is_shown_again_as_typed_beside_its_error(
    client, people, plan, make_milestone, where, field, typed
):
    milestone = make_milestone()
    client.force_login(people["staff"])
    url = {
        "": plan.url,
        "milestone": f"{plan.url}milestones/{milestone.pk}/",
        "evidence": f"{plan.url}evidence/",
    }[where]

    page = BeautifulSoup(client.get(url, {"on": typed}).content, "html.parser")

    # A date input would drop what is not a date and show an empty box by the error.
    control = page.find("input", id=field)
    assert (control["type"], control["value"]) == ("text", typed)
    assert "govuk-input--error" in control["class"]
    error = page.find(id=control["aria-describedby"])
    assert "govuk-error-message" in error["class"]
    assert "govuk-form-group--error" in control.find_parent("div")["class"]
    assert page.find("div", class_="govuk-error-summary").find("a")["href"] == f"#{field}"


def test_a_good_date_is_a_govuk_date_input(client, people, plan):
    client.force_login(people["staff"])

    page = BeautifulSoup(client.get(plan.url, {"on": "2015-01-31"}).content, "html.parser")

    control = page.find("input", id="as-at-date")
    assert (control["type"], control["value"]) == ("date", "2015-01-31")
    assert control["class"] == ["govuk-input", "govuk-input--width-10"]
    label = page.find("label", attrs={"for": "as-at-date"})
    assert "govuk-label" in label["class"]
