"""Publishing versions, keeping attachments, acknowledgements and the approval workflow."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction, Revision, Workflow, WorkflowPage

from hub.audiences import Audience, may_see
from policies import services
from policies.models import Acknowledgement, PolicyPage, PolicyVersion
from tests.policies.conftest import body, publish


def test_each_publish_records_the_next_version(make_policy, approver_person):
    page = make_policy()
    page = publish(
        page,
        by=approver_person,
        note="Receiving manager records acceptance.",
        effective=datetime.date(2015, 2, 1),
        body=body("Changed."),
    )

    versions = list(page.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].amendment_note == "Receiving manager records acceptance."
    assert versions[1].published_by == approver_person
    assert versions[1].revision_id == page.live_revision_id
    assert versions[1].effective_from == datetime.date(2015, 2, 1)


def test_publishing_moves_the_next_review_date_on(make_policy, approver_person):
    page = make_policy(review_interval_months=6, effective=datetime.date(2015, 8, 31))

    assert page.next_review_date == datetime.date(2016, 2, 29)
    page = publish(page, by=approver_person, note="Second.", effective=datetime.date(2016, 1, 10))
    assert page.next_review_date == datetime.date(2016, 7, 10)


def test_an_explicit_earlier_review_date_wins(make_policy):
    page = make_policy(review_by=datetime.date(2015, 3, 1))

    assert page.next_review_date == datetime.date(2015, 3, 1)
    assert page.versions.get().review_due == datetime.date(2015, 3, 1)


def test_no_effective_date_means_the_day_of_publishing(library, owner, approver_person):
    page = library.add_child(
        instance=PolicyPage(
            title="Procedure",
            kind="procedure",
            summary="s",
            policy_owner=owner,
            approver=approver_person,
            audience=Audience.PUBLIC,
        )
    )
    page = publish(page, by=approver_person, note="First.")

    assert page.versions.get().effective_from == datetime.date.today()


def test_publishing_without_a_note_is_refused_and_writes_nothing(make_policy, approver_person):
    page = make_policy()
    page.amendment_note = "  "
    revision = page.save_revision(user=approver_person)

    with pytest.raises(ValidationError, match="without an amendment note"):
        services.record_version(page=page, revision=revision)
    assert page.versions.count() == 1


def test_a_version_cannot_take_effect_before_the_last(make_policy, approver_person):
    page = make_policy(effective=datetime.date(2015, 1, 15))
    page.amendment_note = "Backdated."
    page.effective_from = datetime.date(2014, 12, 1)
    revision = page.save_revision(user=approver_person)

    with pytest.raises(ValidationError, match="took effect on 15 January 2015"):
        services.record_version(page=page, revision=revision)
    assert page.versions.count() == 1


def test_recording_the_same_revision_twice_changes_nothing(make_policy):
    page = make_policy()
    version = page.versions.get()

    again = services.record_version(page=page, revision=version.revision)

    assert again == version
    assert PolicyVersion.objects.count() == 1


def test_scheduled_publishing_records_the_version_when_it_goes_live(make_policy, approver_person):
    page = make_policy()
    page.amendment_note = "Scheduled change."
    page.go_live_at = timezone.now() + datetime.timedelta(days=3)
    page.save_revision(user=approver_person).publish(user=approver_person)

    assert page.versions.count() == 1


def test_a_scheduled_version_takes_effect_on_the_day_it_goes_live(make_policy, approver_person):
    page = make_policy(effective=datetime.date(2015, 1, 15))
    page.amendment_note = "Scheduled change."
    page.go_live_at = timezone.now() + datetime.timedelta(days=3)
    page.save_revision(user=approver_person).publish(user=approver_person)
    # Three days pass.
    past = timezone.now() - datetime.timedelta(minutes=1)
    scheduled = Revision.objects.get(approved_go_live_at__isnull=False)
    scheduled.content["go_live_at"] = past.isoformat()
    scheduled.approved_go_live_at = past
    scheduled.save()

    call_command("publish_scheduled")

    version = page.versions.get(number=2)
    assert version.amendment_note == "Scheduled change."
    assert version.effective_from == timezone.localdate()
    assert version.published_by == approver_person


def test_publishing_applies_the_audience_as_a_view_restriction(make_policy, people):
    page = make_policy(audience=Audience.STAFF)

    assert PageViewRestriction.objects.filter(page=page).exists()
    assert not may_see(people["partner"], page)
    assert may_see(people["staff"], page)


def test_attachments_stay_as_the_version_published_them(make_policy, approver_person):
    Document = get_document_model()
    document = Document.objects.create(
        title="Flowchart", file=ContentFile(b"first", name="flow.txt")
    )
    page = make_policy()
    stream = [{"type": "document", "value": {"document": document.pk, "title": ""}, "id": "d"}]
    page = publish(page, by=approver_person, note="Flowchart added.", body=json.dumps(stream))

    document.file.save("flow.txt", ContentFile(b"second"), save=True)
    page = publish(page, by=approver_person, note="Flowchart updated.", body=json.dumps(stream))

    first, second = (
        v.attachments.get() for v in page.versions.filter(number__gt=1).order_by("number")
    )
    assert first.file.open("rb").read() == b"first"
    assert second.file.open("rb").read() == b"second"
    assert first.file_size == 5


def test_unchanged_attachments_are_stored_once(make_policy, approver_person):
    Document = get_document_model()
    document = Document.objects.create(title="Form", file=ContentFile(b"same", name="form.txt"))
    stream = json.dumps(
        [{"type": "document", "value": {"document": document.pk, "title": ""}, "id": "d"}]
    )
    page = publish(make_policy(), by=approver_person, note="Form added.", body=stream)
    page = publish(page, by=approver_person, note="Text only.", body=stream)

    stored = {v.attachments.get().file.name for v in page.versions.filter(number__gt=1)}
    assert len(stored) == 1


def test_readers_acknowledge_the_current_version_only(make_policy, people, approver_person):
    page = make_policy(requires_acknowledgement=True)
    first = page.versions.get()
    services.acknowledge(user=people["staff"], version=first)
    page = publish(page, by=approver_person, note="Second.")

    with pytest.raises(ValidationError, match="replaced; read version 2"):
        services.acknowledge(user=people["staff"], version=first)
    services.acknowledge(user=people["staff"], version=page.versions.get(number=2))
    assert Acknowledgement.objects.filter(user=people["staff"]).count() == 2


def test_acknowledging_twice_keeps_one_record(make_policy, people):
    version = make_policy(requires_acknowledgement=True).versions.get()

    services.acknowledge(user=people["staff"], version=version)
    services.acknowledge(user=people["staff"], version=version)

    assert Acknowledgement.objects.count() == 1


def test_people_outside_the_audience_cannot_acknowledge(make_policy, people):
    version = make_policy(requires_acknowledgement=True, audience=Audience.STAFF).versions.get()

    with pytest.raises(PermissionDenied):
        services.acknowledge(user=people["partner"], version=version)
    assert not Acknowledgement.objects.exists()


def test_policies_without_acknowledgement_refuse_it(make_policy, people):
    version = make_policy(requires_acknowledgement=False).versions.get()

    with pytest.raises(ValidationError, match="does not ask"):
        services.acknowledge(user=people["staff"], version=version)


def test_the_approval_workflow_is_assigned_once(library):
    services.ensure_approval_workflow(library=library)
    workflow = services.ensure_approval_workflow(library=library)

    assert Workflow.objects.filter(name="Policy approval").count() == 1
    assert [t.name for t in workflow.tasks] == ["Policy owner review", "Approver sign-off"]
    assert WorkflowPage.objects.get(page=library).workflow == workflow


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime.date(2015, 1, 31), 1, datetime.date(2015, 2, 28)),
        (datetime.date(2015, 11, 15), 3, datetime.date(2016, 2, 15)),
        (datetime.date(2015, 12, 1), 12, datetime.date(2016, 12, 1)),
    ],
)
def test_the_review_falls_due_the_interval_after_taking_effect(
    make_policy, start, months, expected
):
    page = make_policy(review_interval_months=months, effective=start)

    assert page.next_review_date == expected
