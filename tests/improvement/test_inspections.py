"""The inspection the plan answers: its own page, on the plan, in search, and in the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hub import changes
from hub.changes import announce
from improvement.models import Inspection, InspectionJudgement, Judgement
from improvement.search_records import records_showing
from tests.matrix import ROLES

HEADINGS = ["The effectiveness of the help and protection provided", "Overall effectiveness"]


@pytest.fixture
def inspection(plan):
    inspection = Inspection(
        plan=plan,
        title="Inspection of arrangements for the protection of children",
        started_on=datetime.date(2013, 1, 7),
        ended_on=datetime.date(2013, 1, 16),
        published_on=datetime.date(2013, 2, 15),
        summary="Thresholds for children in need were not applied consistently.",
    )
    for heading in HEADINGS:
        inspection.judgements.add(
            InspectionJudgement(heading=heading, judgement=Judgement.ADEQUATE)
        )
    inspection.save()
    announce(records_showing([inspection]))
    changes.settle()
    return inspection


@pytest.mark.parametrize("role", ROLES)
def test_everyone_who_may_read_the_plan_reads_the_inspection(
    client, people, plan, inspection, role
):
    if role != "anonymous":
        client.force_login(people[role])

    html = client.get(f"{plan.url}inspections/{inspection.pk}/").content.decode()

    assert "Inspection of arrangements for the protection of children" in html
    assert '<time datetime="2013-02-15">15 February 2013</time>' in html
    assert (
        '<th scope="row" class="govuk-table__header">Overall effectiveness</th>'
        '<td class="govuk-table__cell">Adequate</td>'
    ) in html


def test_the_plan_names_the_inspection_it_answers(client, plan, inspection):
    html = client.get(plan.url).content.decode()

    assert "The inspection this plan answers" in html
    assert f'href="{plan.url}inspections/{inspection.pk}/"' in html
    assert "Overall effectiveness: Adequate" in html


def test_an_unknown_inspection_is_not_found(client, plan, inspection):
    assert client.get(f"{plan.url}inspections/{inspection.pk + 1}/").status_code == 404


def test_a_search_for_ofsted_finds_the_inspection(client, plan, inspection):
    html = client.get(reverse("search:search"), {"q": "Ofsted"}).content.decode()

    assert "Inspection of arrangements for the protection of children" in html
    assert f"{plan.url}inspections/{inspection.pk}/" in html


def test_an_inspection_cannot_end_before_it_starts_or_be_reported_before_it_ends(plan):
    inspection = Inspection(
        plan=plan,
        title="Inspection",
        started_on=datetime.date(2013, 1, 16),
        ended_on=datetime.date(2013, 1, 7),
        published_on=datetime.date(2013, 1, 1),
        summary="Found.",
    )

    with pytest.raises(ValidationError) as refused:
        inspection.full_clean()

    assert set(refused.value.message_dict) == {"ended_on", "published_on"}


def test_an_inspection_whose_report_is_not_published_stays_out_of_sight(client, plan, inspection):
    Inspection.objects.filter(pk=inspection.pk).update(published_on=None)
    announce(records_showing([inspection]))
    changes.settle()

    assert client.get(f"{plan.url}inspections/{inspection.pk}/").status_code == 404
    assert "Inspection of arrangements" not in client.get(plan.url).content.decode()
    found = client.get(reverse("search:search"), {"q": "Ofsted"}).content.decode()
    assert "Inspection of arrangements" not in found


def test_a_report_cannot_be_dated_as_published_in_the_future(plan, inspection):
    inspection.published_on = datetime.date.today() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        inspection.full_clean()

    assert "once the report is published" in refused.value.message_dict["published_on"][0]
