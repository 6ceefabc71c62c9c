"""Services: panels' groups and audiences, decision references, and actions with history."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from wagtail.models import (
    GroupPagePermission,
    PageSubscription,
    PageViewRestriction,
    Revision,
    WorkflowPage,
)

from hub.audiences import Audience
from panels import services
from panels.models import (
    Action,
    ActionReview,
    ActionStatus,
    Decision,
    DecisionOutcome,
    PanelPage,
)
from tests.factories import UserFactory
from tests.panels.conftest import at, make_meeting

pytestmark = pytest.mark.django_db


def history_rows(action):
    return list(
        action.history.order_by("history_date", "history_id").values_list(
            "status", "due_on", "history_change_reason", "history_user__username"
        )
    )


# Panels -----------------------------------------------------------------------------------


def test_a_panel_keeps_its_members_group_in_step_with_linked_memberships(masp, people):
    assert masp.members_group.name == "Panel: MASP"
    assert set(masp.members_group.user_set.values_list("username", flat=True)) == {
        "approver",
        "secretary",
        "panel_member",
    }
    assert list(masp.secretaries_group.user_set.values_list("username", flat=True)) == ["secretary"]

    masp.memberships.filter(user=people["panel_member"]).update(to_date=datetime.date(2014, 12, 31))
    services.sync_panel_groups(panel=masp)

    assert not masp.members_group.user_set.filter(username="panel_member").exists()


def test_a_panels_secretaries_may_add_and_change_pages_of_that_panel_only(masp, crp, people):
    grants = GroupPagePermission.objects.filter(group=masp.secretaries_group)
    assert {(g.page_id, g.permission.codename) for g in grants} == {
        (masp.pk, "add_page"),
        (masp.pk, "change_page"),
    }
    secretary = people["secretary"]
    assert masp.permissions_for_user(secretary).can_edit()
    assert masp.permissions_for_user(secretary).can_add_subpage()
    assert not crp.permissions_for_user(secretary).can_edit()
    assert not masp.permissions_for_user(secretary).can_publish()


def test_meetings_take_their_panels_minutes_audience(meeting, crp_meeting, crp):
    assert (
        not PageViewRestriction.objects.filter(page=meeting)
        .values("groups__name")
        .filter(groups__name=crp.members_group.name)
    )
    restriction = PageViewRestriction.objects.get(page=crp_meeting)
    assert list(restriction.groups.all()) == [crp.members_group]


def test_changing_a_panels_audience_moves_its_actions_and_says_why(masp, meeting, raise_one):
    action = raise_one(meeting)
    assert action.audience == Audience.PARTNERS

    masp.minutes_audience = Audience.PANEL
    masp.save()
    services.apply_panel_audience(panel=masp)

    action.refresh_from_db()
    assert (action.audience, action.audience_group) == (Audience.PANEL, masp.members_group)
    latest = action.history.latest("history_date")
    assert latest.history_change_reason == "The panel's minutes audience changed."
    restriction = PageViewRestriction.objects.get(page=meeting)
    assert list(restriction.groups.all()) == [masp.members_group]


def test_the_minutes_approval_workflow_is_on_the_panel_index_once(index):
    services.ensure_minutes_workflow(index=index)
    services.ensure_minutes_workflow(index=index)

    workflow = WorkflowPage.objects.get(page=index).workflow
    assert workflow.name == "Minutes approval"
    tasks = [task.specific for task in workflow.tasks.all()]
    assert len(tasks) == 1
    assert list(tasks[0].groups.values_list("name", flat=True)) == ["Approvers"]


# Meetings and decisions -------------------------------------------------------------------


def test_a_meeting_outside_the_panels_life_is_refused_with_the_dates(crp):
    with pytest.raises(ValidationError) as refused:
        services.check_meeting_date(panel=crp, starts_at=at("2014-12-01"))

    assert refused.value.messages == [
        "CRP panel did not meet on 1 December 2014: it was established on 21 January 2015."
    ]
    services.check_meeting_date(panel=crp, starts_at=at("2015-01-21"))


def test_an_ended_panel_refuses_meetings_after_its_end(masp):
    masp.ended_on = datetime.date(2015, 3, 31)

    with pytest.raises(ValidationError, match="ended on 31 March 2015"):
        services.check_meeting_date(panel=masp, starts_at=at("2015-04-08"))


def test_decisions_are_numbered_by_panel_year_and_month(masp, meeting):
    decisions = [Decision(title="One"), Decision(title="Two", reference="")]

    services.assign_decision_references(
        panel=masp, meeting=meeting, starts_at=meeting.starts_at, decisions=decisions
    )

    assert [d.reference for d in decisions] == ["MASP/2015/01/D1", "MASP/2015/01/D2"]


def test_numbering_continues_after_decisions_of_another_meeting_that_month(masp, meeting):
    meeting.decisions.add(Decision(title="A", decision="x", decision_maker="Chair"))
    services.assign_decision_references(
        panel=masp, meeting=meeting, starts_at=meeting.starts_at, decisions=meeting.decisions.all()
    )
    meeting.save()
    extra = make_meeting(masp, day="2015-01-28")
    new = [Decision(title="B")]

    services.assign_decision_references(
        panel=masp, meeting=extra, starts_at=extra.starts_at, decisions=new
    )

    assert new[0].reference == "MASP/2015/01/D2"


def test_a_decision_reference_used_elsewhere_is_refused(masp, meeting, later_meeting):
    meeting.decisions.add(
        Decision(title="A", decision="x", decision_maker="Chair", reference="MASP/2015/01/D1")
    )
    meeting.save()

    with pytest.raises(ValidationError) as refused:
        services.assign_decision_references(
            panel=masp,
            meeting=later_meeting,
            starts_at=later_meeting.starts_at,
            decisions=[Decision(title="B", reference="MASP/2015/01/D1")],
        )

    assert "MASP/2015/01/D1 is already used by the meeting" in refused.value.messages[0]


def test_the_same_reference_twice_on_one_meeting_is_refused(masp, meeting):
    with pytest.raises(ValidationError, match="more than one decision"):
        services.assign_decision_references(
            panel=masp,
            meeting=meeting,
            starts_at=meeting.starts_at,
            decisions=[Decision(reference="X/1"), Decision(reference="X/1")],
        )


def test_recording_a_decision_adds_it_to_a_new_draft_revision(meeting, people):
    revisions = Revision.objects.for_instance(meeting).count()

    decision = services.record_decision(
        meeting=meeting,
        by=people["secretary"],
        title="Adopt the referral form",
        decision="Adopt one referral form.",
        decision_maker="The panel",
        outcome=DecisionOutcome.AGREED,
    )

    assert decision.reference == "MASP/2015/01/D1"
    assert Revision.objects.for_instance(meeting).count() == revisions + 1
    meeting.refresh_from_db()
    draft = meeting.get_latest_revision_as_object()
    assert [d.reference for d in draft.decisions.all()] == ["MASP/2015/01/D1"]
    assert not Decision.objects.filter(meeting=meeting).exists(), "live minutes unchanged"


def test_a_decision_without_a_decision_maker_is_refused_and_no_revision_is_made(meeting, people):
    revisions = Revision.objects.for_instance(meeting).count()

    with pytest.raises(ValidationError) as refused:
        services.record_decision(
            meeting=meeting,
            by=people["secretary"],
            title="T",
            decision="D",
            decision_maker="",
            outcome=DecisionOutcome.AGREED,
        )

    assert "decision_maker" in refused.value.message_dict
    assert Revision.objects.for_instance(meeting).count() == revisions


# Actions ----------------------------------------------------------------------------------


def test_raising_an_action_numbers_it_and_gives_it_the_panels_audience(
    meeting, raise_one, people, masp
):
    first = raise_one(meeting)
    second = raise_one(meeting, description="Audit ten cases.")

    assert (first.reference, second.reference) == ("MASP/2015/01/A1", "MASP/2015/01/A2")
    assert (first.panel, first.meeting, first.raised_on) == (
        masp,
        meeting,
        datetime.date(2015, 1, 14),
    )
    assert first.audience == Audience.PARTNERS
    assert history_rows(first) == [
        (
            "open",
            datetime.date(2015, 3, 11),
            "Raised at the meeting of 14 January 2015.",
            "secretary",
        )
    ]


def test_an_action_due_before_it_was_raised_is_refused_and_nothing_is_saved(meeting, raise_one):
    with pytest.raises(ValidationError) as refused:
        raise_one(meeting, due="2015-01-01")

    assert refused.value.message_dict["due_on"] == [
        "The due date 1 January 2015 is before the action was raised on 14 January 2015."
    ]
    assert not Action.objects.exists()
    assert not Action.history.exists()


def test_an_owner_who_is_not_a_person_is_refused(meeting, raise_one, people):
    with pytest.raises(ValidationError, match="must be a person"):
        raise_one(meeting, owner=Group.objects.get(name="Staff"))
    inactive = UserFactory(username="left", is_active=False)
    with pytest.raises(ValidationError, match="active sign-in"):
        raise_one(meeting, owner=inactive)
    assert not Action.objects.exists()


def test_a_status_change_without_a_reason_is_refused_and_history_is_untouched(
    meeting, raise_one, people
):
    action = raise_one(meeting)
    before = history_rows(action)

    with pytest.raises(ValidationError) as refused:
        services.change_action(action=action, by=people["secretary"], status=ActionStatus.DONE)

    assert refused.value.message_dict["reason"] == ["Say why the status changed."]
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    assert history_rows(action) == before


def test_a_due_date_change_needs_a_reason_too(meeting, raise_one, people):
    action = raise_one(meeting)

    with pytest.raises(ValidationError, match=r"Say why the due date changed\."):
        services.change_action(
            action=action, by=people["secretary"], due_on=datetime.date(2015, 4, 1)
        )


def test_changing_an_action_keeps_every_field_old_and_new_with_who_and_why(
    meeting, raise_one, people
):
    action = raise_one(meeting)

    services.change_action(
        action=action,
        by=people["approver"],
        reason="Recruitment delayed the briefings.",
        due_on=datetime.date(2015, 4, 8),
        status=ActionStatus.IN_PROGRESS,
    )
    done = services.change_action(
        action=action, by=people["secretary"], reason="All briefed.", status=ActionStatus.DONE
    )

    assert done.completed_on is not None
    newest, middle, _ = action.history.order_by("-history_date", "-history_id")
    changes = {c.field: (c.old, c.new) for c in middle.diff_against(_).changes}
    assert changes == {
        "due_on": (datetime.date(2015, 3, 11), datetime.date(2015, 4, 8)),
        "status": ("open", "in_progress"),
    }
    assert (middle.history_user, middle.history_change_reason) == (
        people["approver"],
        "Recruitment delayed the briefings.",
    )
    changes = {c.field: (c.old, c.new) for c in newest.diff_against(middle).changes}
    assert changes["status"] == ("in_progress", "done")
    assert changes["completed_on"][0] is None
    assert newest.history_change_reason == "All briefed."


def test_a_description_change_needs_no_reason(meeting, raise_one, people):
    action = raise_one(meeting)

    changed = services.change_action(
        action=action, by=people["secretary"], description="Brief both teams."
    )

    assert changed.description == "Brief both teams."


def test_reopening_an_action_clears_its_completion_date(meeting, raise_one, people):
    action = raise_one(meeting)
    services.change_action(action=action, by=people["secretary"], reason="r", status="done")

    reopened = services.change_action(
        action=action, by=people["secretary"], reason="Not done after all.", status="open"
    )

    assert reopened.completed_on is None


def test_unknown_fields_cannot_be_changed(meeting, raise_one, people):
    action = raise_one(meeting)

    with pytest.raises(TypeError, match="reference"):
        services.change_action(action=action, by=people["secretary"], reference="X")


def test_open_actions_are_carried_forward_once_to_the_next_meeting(
    meeting, later_meeting, raise_one, people
):
    open_action = raise_one(meeting)
    closed = raise_one(meeting, description="Closed one.")
    services.change_action(action=closed, by=people["secretary"], reason="r", status="cancelled")
    future = raise_one(later_meeting, description="Raised later.")

    reviews = services.carry_forward_open_actions(meeting=later_meeting)
    again = services.carry_forward_open_actions(meeting=later_meeting)

    assert [r.action for r in reviews] == [open_action]
    assert [r.pk for r in again] == [r.pk for r in reviews]
    assert not ActionReview.objects.filter(action=future).exists()


def test_progress_at_a_later_meeting_is_recorded_with_the_meeting_as_its_reason(
    meeting, later_meeting, raise_one, people
):
    action = raise_one(meeting)

    review = services.record_progress(
        action=action,
        meeting=later_meeting,
        by=people["secretary"],
        progress="Half the team briefed.",
    )

    action.refresh_from_db()
    assert action.progress == "Half the team briefed."
    assert review.progress == "Half the team briefed."
    assert review.recorded_by == people["secretary"]
    assert history_rows(action)[-1][2] == "Progress reported at the meeting of 11 February 2015."


def test_progress_that_changes_the_status_must_still_say_why(
    meeting, later_meeting, raise_one, people
):
    action = raise_one(meeting)

    with pytest.raises(ValidationError, match=r"Say why the status changed\."):
        services.record_progress(
            action=action,
            meeting=later_meeting,
            by=people["secretary"],
            progress="Done.",
            status=ActionStatus.DONE,
        )

    assert not ActionReview.objects.exists()
    assert len(history_rows(action)) == 1


def test_progress_is_refused_at_an_earlier_meeting_or_another_panel(
    meeting, later_meeting, crp_meeting, raise_one, people
):
    action = raise_one(later_meeting)

    with pytest.raises(ValidationError, match="after the one that raised"):
        services.record_progress(
            action=action, meeting=meeting, by=people["secretary"], progress="x"
        )
    with pytest.raises(ValidationError, match="panel that raised"):
        services.record_progress(
            action=action, meeting=crp_meeting, by=people["secretary"], progress="x"
        )
    assert not ActionReview.objects.exists()


def test_people_who_leave_a_panel_stop_hearing_of_comments_on_its_pages(masp, meeting, people):
    for person in (people["panel_member"], people["secretary"]):
        PageSubscription.objects.create(page=meeting, user=person, comment_notifications=True)
    live = PanelPage.objects.get(pk=masp.pk)
    live.memberships.filter(user=people["panel_member"]).update(to_date=datetime.date(2014, 12, 31))

    live.save_revision().publish()

    assert list(PageSubscription.objects.values_list("user__username", flat=True)) == ["secretary"]


# Matters arising ---------------------------------------------------------------------------


def test_matters_arising_are_recorded_all_or_none(meeting, later_meeting, raise_one, people):
    fine = raise_one(meeting, description="Fine.")
    refused = raise_one(meeting, description="Refused.")

    with pytest.raises(services.ReportsRefused) as raised:
        services.record_matters_arising(
            meeting=later_meeting,
            by=people["secretary"],
            reports=[
                services.Report(action=fine, progress="On track."),
                services.Report(action=refused, progress="Done.", changes={"status": "done"}),
            ],
        )

    assert list(raised.value.errors) == [1]
    assert raised.value.errors[1].message_dict == {"reason": ["Say why the status changed."]}
    assert not ActionReview.objects.exists()
    assert fine.history.count() == refused.history.count() == 1


def test_a_change_reported_at_a_meeting_takes_its_date_or_the_one_given(
    meeting, later_meeting, raise_one, people
):
    on_the_day = raise_one(meeting, description="On the day.")
    earlier = raise_one(meeting, description="Done before the meeting.")

    services.record_matters_arising(
        meeting=later_meeting,
        by=people["secretary"],
        reports=[services.Report(on_the_day, "Done.", reason="Done.", changes={"status": "done"})],
    )
    services.record_matters_arising(
        meeting=later_meeting,
        by=people["secretary"],
        on=datetime.date(2015, 2, 2),
        reports=[services.Report(earlier, "Done.", reason="Done.", changes={"status": "done"})],
    )

    on_the_day.refresh_from_db()
    earlier.refresh_from_db()
    assert on_the_day.completed_on == datetime.date(2015, 2, 11)
    assert earlier.completed_on == datetime.date(2015, 2, 2)
    assert earlier.history.latest("history_date").history_date.date() == datetime.date(2015, 2, 2)


def test_an_owner_must_have_been_on_the_panel_that_day(masp):
    member = masp.memberships.first()
    member.to_date = datetime.date(2015, 1, 31)

    assert services.owner_fields(membership=member, on=datetime.date(2015, 1, 31))["owner_name"]
    with pytest.raises(ValidationError, match="was not on the panel on 1 February 2015"):
        services.owner_fields(membership=member, on=datetime.date(2015, 2, 1))


def test_a_panel_reviews_the_actions_of_the_panels_it_oversees_only(
    masp, crp, later_meeting, crp_meeting, raise_one, people
):
    action = raise_one(crp_meeting)
    report = {"action": action, "meeting": later_meeting, "by": people["secretary"]}
    with pytest.raises(ValidationError, match="or of a panel overseeing it"):
        services.record_progress(**report, progress="Reported.")

    masp.oversees.add(crp)
    masp.save()
    services.record_progress(**report, progress="Reported.")

    assert ActionReview.objects.get().progress == "Reported."


def test_a_reason_longer_than_a_line_is_kept_whole(meeting, raise_one, people):
    action = raise_one(meeting)
    reason = "The duty team asked for more time: " + "the briefing moved twice. " * 12

    services.change_action(
        action=action, by=people["secretary"], reason=reason, due_on=datetime.date(2015, 4, 30)
    )

    assert action.history.latest().history_change_reason == reason.strip()
