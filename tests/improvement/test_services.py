"""Overriding a milestone's status: managers only, always with a reason, kept in history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from improvement import services
from improvement.models import Milestone
from tests.cases import failures


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
