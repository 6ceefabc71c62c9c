"""Overriding a milestone's status and changing a risk: managers only, with a reason, in history."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hub.audiences import Audience
from hub.models import RecordLogEntry
from improvement import services
from improvement.models import Milestone, Risk, RiskLevel
from tests.cases import failures
from tests.factories import UserFactory


def test_a_manager_overrides_with_a_reason_and_history_keeps_it(make_milestone, people):
    milestone = make_milestone()

    services.override_status(
        milestone=milestone, status="green", reason="Agreed at the board.", by=people["approver"]
    )

    milestone.refresh_from_db()
    assert milestone.status_override == "green"
    assert milestone.override_reason == "Agreed at the board."
    latest = milestone.history.latest()
    assert latest.history_user == people["approver"]
    assert latest.history_change_reason == "Status override set to green: Agreed at the board."
    assert latest.prev_record.status_override == ""


def test_an_override_without_a_reason_is_refused_and_nothing_changes(make_milestone, people):
    milestone = make_milestone()

    with pytest.raises(ValidationError, match="Say why"):
        services.override_status(
            milestone=milestone, status="red", reason="  ", by=people["approver"]
        )

    assert Milestone.objects.get(pk=milestone.pk).status_override == ""
    assert milestone.history.count() == 1


def test_an_unknown_status_is_refused(make_milestone, people):
    with pytest.raises(ValidationError, match="Choose complete"):
        services.override_status(
            milestone=make_milestone(), status="purple", reason="x", by=people["approver"]
        )


def test_only_managers_may_override(make_milestone, people):
    milestone = make_milestone()

    def refused(role):
        with pytest.raises(PermissionDenied):
            services.override_status(
                milestone=milestone, status="green", reason="x", by=people[role]
            )
        assert Milestone.objects.get(pk=milestone.pk).status_override == ""

    roles = ["staff", "partner", "editor", "secretary", "panel_member"]
    assert failures(roles, refused) == []


def test_removing_an_override_needs_a_reason_too(make_milestone, people):
    milestone = make_milestone(status_override="red", override_reason="Concern.")

    services.override_status(
        milestone=milestone, status="", reason="Resolved.", by=people["administrator"]
    )

    milestone.refresh_from_db()
    assert (milestone.status_override, milestone.override_reason) == ("", "")
    assert milestone.history.latest().history_change_reason == "Status override removed: Resolved."


def test_a_milestone_cannot_be_due_before_the_plan_starts(make_milestone):
    milestone = make_milestone(due_on=datetime.date(2014, 10, 1))

    with pytest.raises(ValidationError, match="plan starts on 1 November 2014"):
        milestone.full_clean()


# Risks ------------------------------------------------------------------------------------


def test_a_new_rating_without_a_reason_is_refused_and_nothing_changes(make_risk, people):
    risk = make_risk()

    with pytest.raises(ValidationError) as refused:
        services.change_risk(
            risk=risk, by=people["approver"], reason="  ", likelihood=RiskLevel.HIGH
        )

    assert refused.value.message_dict == {"reason": ["Say why the likelihood changed."]}
    assert Risk.objects.get(pk=risk.pk).likelihood == RiskLevel.MEDIUM
    assert risk.history.count() == 1
    assert not RecordLogEntry.objects.filter(action=services.RISK_CHANGED).exists()


def test_a_new_rating_keeps_its_reason_who_and_the_day_it_took_effect(make_risk, people):
    risk = make_risk(on=datetime.date(2014, 11, 1))

    services.change_risk(
        risk=risk,
        by=people["approver"],
        reason="The permanent Head of Service is due to leave.",
        on=datetime.date(2014, 12, 8),
        likelihood=RiskLevel.HIGH,
    )

    risk.refresh_from_db()
    latest = risk.history.latest()
    assert risk.likelihood == latest.likelihood == RiskLevel.HIGH
    assert latest.history_change_reason == "The permanent Head of Service is due to leave."
    assert latest.history_user == people["approver"]
    assert timezone.localtime(latest.history_date).date() == datetime.date(2014, 12, 8)
    assert timezone.localtime(latest.recorded_at).date() == timezone.localdate()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"impact": RiskLevel.LOW}, "Say why the impact changed."),
        (
            {"impact": RiskLevel.LOW, "likelihood": RiskLevel.HIGH},
            "Say why the impact and likelihood changed.",
        ),
        ({"closed": True}, "Say why the risk is being closed."),
    ],
)
def test_every_change_of_rating_and_closing_needs_a_reason(make_risk, people, changes, message):
    risk = make_risk()

    with pytest.raises(ValidationError) as refused:
        services.change_risk(risk=risk, by=people["approver"], **changes)

    assert refused.value.message_dict == {"reason": [message]}

    assert risk.history.count() == 1


def test_reopening_a_closed_risk_needs_a_reason(make_risk, people):
    risk = make_risk(closed=True)

    with pytest.raises(ValidationError, match=r"Say why the risk is being reopened\."):
        services.change_risk(risk=risk, by=people["approver"], closed=False)

    services.change_risk(
        risk=risk, by=people["approver"], closed=False, reason="Recruitment fell through."
    )
    assert Risk.objects.get(pk=risk.pk).closed is False


def test_other_changes_need_no_reason(make_risk, people):
    risk = make_risk()

    services.change_risk(
        risk=risk, by=people["approver"], mitigation="Acting-up arrangements in place."
    )

    latest = risk.history.latest()
    assert latest.mitigation == "Acting-up arrangements in place."
    assert latest.history_change_reason in (None, "")


def test_a_reason_of_any_length_is_kept_whole(make_risk, people):
    risk = make_risk()
    reason = "The leadership team is short of capacity. " * 10

    services.change_risk(risk=risk, by=people["approver"], reason=reason, impact=RiskLevel.MEDIUM)

    assert risk.history.latest().history_change_reason == reason.strip()


def test_saving_without_a_change_writes_no_history(make_risk, people):
    risk = make_risk()

    services.change_risk(
        risk=risk, by=people["approver"], reason="Reviewed.", likelihood=risk.likelihood
    )

    assert risk.history.count() == 1


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (datetime.date(2999, 1, 1), "1 January 2999 is in the future."),
        (
            datetime.date(2014, 10, 31),
            "This risk was recorded on 1 November 2014; date the change on or after it.",
        ),
    ],
)
def test_a_change_dated_in_the_future_or_before_the_risk_is_refused(make_risk, people, on, message):
    risk = make_risk(on=datetime.date(2014, 11, 1))

    with pytest.raises(ValidationError) as refused:
        services.change_risk(
            risk=risk, by=people["approver"], reason="x", on=on, likelihood=RiskLevel.LOW
        )

    assert refused.value.message_dict == {"on": [message]}
    assert risk.history.count() == 1


def test_a_change_may_not_be_dated_before_the_last_one(make_risk, people):
    risk = make_risk(on=datetime.date(2014, 11, 1))
    services.change_risk(
        risk=risk,
        by=people["approver"],
        reason="Worse.",
        on=datetime.date(2015, 1, 22),
        likelihood=RiskLevel.HIGH,
    )

    with pytest.raises(ValidationError, match="took effect on 22 January 2015"):
        services.change_risk(
            risk=risk,
            by=people["approver"],
            reason="Better.",
            on=datetime.date(2015, 1, 1),
            likelihood=RiskLevel.LOW,
        )


def test_every_problem_is_named_at_once(make_risk, people):
    risk = make_risk()

    with pytest.raises(ValidationError) as refused:
        services.change_risk(
            risk=risk,
            by=people["approver"],
            on=datetime.date(2999, 1, 1),
            title="",
            likelihood=RiskLevel.HIGH,
        )

    assert set(refused.value.message_dict) == {"reason", "on", "title"}


def test_only_managers_who_may_see_a_risk_may_change_it(make_risk, people):
    risk = make_risk()
    group = Group.objects.create(name="Panel: CRP")
    members_only = make_risk(
        "Members only",
        by=UserFactory(username="root", is_superuser=True),
        audience=Audience.PANEL,
        audience_group=group,
    )

    def refused(role, record=risk):
        with pytest.raises(PermissionDenied):
            services.change_risk(
                risk=record, by=people[role], reason="x", likelihood=RiskLevel.HIGH
            )
        assert Risk.objects.get(pk=record.pk).likelihood == RiskLevel.MEDIUM

    roles = ["anonymous", "staff", "partner", "editor", "secretary", "panel_member"]
    assert failures(roles, refused) == []
    assert failures(["approver", "administrator"], lambda r: refused(r, members_only)) == []


def test_unknown_fields_are_refused(make_risk, people):
    with pytest.raises(TypeError, match="plan"):
        services.change_risk(risk=make_risk(), by=people["approver"], plan=None)


def test_a_change_is_logged_for_the_admin_in_words(make_risk, people):
    risk = make_risk()

    services.change_risk(
        risk=risk,
        by=people["approver"],
        reason="Head of Service leaving.",
        likelihood=RiskLevel.HIGH,
        closed=True,
    )

    entry = RecordLogEntry.objects.get(action=services.RISK_CHANGED, object_id=str(risk.pk))
    assert entry.user == people["approver"]
    assert entry.message == (
        "Likelihood: Medium → High; Status: Open → Closed. Reason: Head of Service leaving."
    )


def test_a_backdated_change_says_when_it_took_effect_in_the_admin(make_risk, people):
    risk = make_risk(on=datetime.date(2014, 11, 1))

    services.change_risk(
        risk=risk,
        by=people["approver"],
        reason="Contingency funding is feasible.",
        on=datetime.date(2015, 1, 22),
        likelihood=RiskLevel.LOW,
    )

    entry = RecordLogEntry.objects.get(action=services.RISK_CHANGED)
    assert entry.message == (
        "Likelihood: Medium → Low. Reason: Contingency funding is feasible. "
        "Took effect on 22 January 2015."
    )
