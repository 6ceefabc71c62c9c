"""The plan's records in the admin: a risk changes with a reason, and its history says what."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.models import RecordLogEntry
from improvement import services
from improvement.models import Risk, RiskLevel
from tests.admin_forms import errors_beside, form_values

pytestmark = pytest.mark.django_db

FORM = "form[data-edit-form]"


def edit_url(risk):
    return reverse("wagtailsnippets_improvement_risk:edit", args=[risk.pk])


def history_url(risk):
    return reverse("wagtailsnippets_improvement_risk:history", args=[risk.pk])


def risk_form(client, risk, **changes):
    """The risk's edit form as the admin shows it to the signed-in person, then changed."""
    return {**form_values(client.get(edit_url(risk)), FORM), **changes}


def test_a_new_rating_without_a_reason_is_refused_beside_the_field_and_nothing_is_saved(
    client, people, make_risk
):
    risk = make_risk()
    client.force_login(people["approver"])

    refused = client.post(
        edit_url(risk),
        risk_form(client, risk, likelihood=str(RiskLevel.HIGH), mitigation="Typed, not saved."),
    )

    assert refused.status_code == 200
    assert errors_beside(refused, "id_reason") == "Say why the likelihood changed."
    kept = form_values(refused, FORM)
    assert kept["likelihood"] == str(RiskLevel.HIGH)
    assert kept["mitigation"].strip() == "Typed, not saved."
    risk.refresh_from_db()
    assert risk.likelihood == RiskLevel.MEDIUM
    assert risk.mitigation == "Appoint a quality assurance service manager."
    assert risk.history.count() == 1
    assert not RecordLogEntry.objects.filter(action=services.RISK_CHANGED).exists()


def test_closing_a_risk_without_a_reason_is_refused(client, people, make_risk):
    risk = make_risk()
    client.force_login(people["approver"])

    refused = client.post(edit_url(risk), risk_form(client, risk, closed="on"))

    assert errors_beside(refused, "id_reason") == "Say why the risk is being closed."
    assert Risk.objects.get(pk=risk.pk).closed is False


def test_a_new_rating_with_a_reason_is_kept_with_who_and_when(client, people, make_risk):
    risk = make_risk(on=datetime.date(2014, 11, 1))
    client.force_login(people["approver"])

    response = client.post(
        edit_url(risk),
        risk_form(
            client,
            risk,
            likelihood=str(RiskLevel.HIGH),
            reason="The permanent Head of Service is due to leave.",
            on="2014-12-08",
        ),
    )

    assert response.status_code == 302
    risk.refresh_from_db()
    latest = risk.history.latest()
    assert risk.likelihood == RiskLevel.HIGH
    assert (latest.history_change_reason, latest.history_user) == (
        "The permanent Head of Service is due to leave.",
        people["approver"],
    )
    assert timezone.localtime(latest.history_date).date() == datetime.date(2014, 12, 8)
    assert timezone.localtime(latest.recorded_at).date() == timezone.localdate()


def test_other_changes_are_saved_without_a_reason(client, people, make_risk):
    risk = make_risk()
    client.force_login(people["approver"])

    response = client.post(edit_url(risk), risk_form(client, risk, mitigation="Acting up."))

    assert response.status_code == 302
    assert Risk.objects.get(pk=risk.pk).mitigation == "Acting up."


def test_a_change_dated_in_the_future_is_refused_beside_the_date(client, people, make_risk):
    risk = make_risk()
    client.force_login(people["approver"])

    refused = client.post(
        edit_url(risk),
        risk_form(client, risk, likelihood=str(RiskLevel.LOW), reason="Better.", on="2999-01-01"),
    )

    assert errors_beside(refused, "id_on") == "1 January 2999 is in the future."
    assert Risk.objects.get(pk=risk.pk).likelihood == RiskLevel.MEDIUM


def test_the_edit_form_asks_for_a_reason_and_date_that_a_new_risk_does_not(client, people):
    client.force_login(people["approver"])
    add = client.get(reverse("wagtailsnippets_improvement_risk:add")).content.decode()

    assert "Reason for the change" not in add and "Change took effect on" not in add


def test_the_admin_history_says_what_changed_and_why(client, people, make_risk):
    risk = make_risk()
    client.force_login(people["approver"])
    client.post(
        edit_url(risk),
        risk_form(client, risk, likelihood=str(RiskLevel.HIGH), reason="Head of Service leaving."),
    )

    html = client.get(history_url(risk)).content.decode()

    assert "Likelihood: Medium → High. Reason: Head of Service leaving." in html
    assert not RecordLogEntry.objects.filter(object_id=str(risk.pk), action="wagtail.edit")


def test_a_form_opened_before_someone_else_saved_the_risk_does_not_overwrite_it(
    client, people, make_risk
):
    risk = make_risk()
    client.force_login(people["approver"])
    stale = risk_form(client, risk, likelihood=str(RiskLevel.LOW), reason="Better.")
    services.change_risk(
        risk=risk, by=people["administrator"], reason="Worse.", likelihood=RiskLevel.HIGH
    )

    refused = client.post(edit_url(risk), stale)

    assert refused.status_code == 200
    assert "after you opened it" in refused.content.decode()
    assert Risk.objects.get(pk=risk.pk).likelihood == RiskLevel.HIGH
