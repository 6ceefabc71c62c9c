"""Migrations that change who reviews, who reads logs and what history keeps lose nothing."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from panels import services as panel_services
from panels.models import Action


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_the_latest():
    return migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.usefixtures("empty_database")
def test_group_approvals_become_reviews_and_wagtails_starter_groups_go():
    old = migrate([("hub", "0003_admin_access")])
    Group = old.get_model("auth", "Group")
    ContentType = old.get_model("contenttypes", "ContentType")
    Workflow = old.get_model("wagtailcore", "Workflow")
    WorkflowTask = old.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = old.get_model("wagtailcore", "GroupApprovalTask")
    approvers = Group.objects.create(name="Approvers")
    for starter_group in ("Editors", "Moderators"):
        Group.objects.get_or_create(name=starter_group)
    task_type = ContentType.objects.get(app_label="wagtailcore", model="groupapprovaltask")
    sign_off = GroupApprovalTask.objects.create(name="Sign-off", content_type=task_type)
    sign_off.groups.set([approvers])
    minutes = Workflow.objects.create(name="Minutes approval")
    WorkflowTask.objects.create(workflow=minutes, task_id=sign_off.pk, sort_order=0)
    Workflow.objects.get_or_create(name="Moderators approval")

    new = migrate_to_the_latest()

    assert (
        not new.get_model("auth", "Group")
        .objects.filter(name__in=["Editors", "Moderators"])
        .exists()
    )
    step = new.get_model("wagtailcore", "WorkflowTask").objects.get(
        workflow__name="Minutes approval"
    )
    review = new.get_model("hub", "ReviewTask").objects.get(pk=step.task_id)
    assert (review.name, list(review.groups.values_list("name", flat=True))) == (
        "Sign-off",
        ["Approvers"],
    )
    assert not new.get_model("wagtailcore", "Task").objects.get(pk=sign_off.pk).active
    assert (
        not new.get_model("wagtailcore", "Workflow").objects.get(name="Moderators approval").active
    )


@pytest.mark.usefixtures("empty_database")
def test_the_admin_log_of_records_with_an_audience_moves_to_the_log_that_keeps_it_to_them():
    old = migrate(
        [
            ("panels", "0003_action_milestones_decision_milestones_and_more"),
            ("improvement", "0001_initial"),
        ]
    )
    ContentType = old.get_model("contenttypes", "ContentType")
    ModelLogEntry = old.get_model("wagtailcore", "ModelLogEntry")
    for app_label, model, label in (
        ("panels", "action", "CRP/2015/01/A1: Pangolin"),
        ("improvement", "risk", "Okapi risk"),
        ("hub", "glossaryterm", "CIN (Child in Need)"),
    ):
        kind, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        ModelLogEntry.objects.create(
            content_type=kind,
            object_id="1",
            label=label,
            action="wagtail.edit",
            timestamp=timezone.now(),
        )

    new = migrate_to_the_latest()

    moved = new.get_model("hub", "RecordLogEntry").objects.order_by("label")
    assert [(entry.label, entry.object_id) for entry in moved] == [
        ("CRP/2015/01/A1: Pangolin", "1"),
        ("Okapi risk", "1"),
    ]
    kept = new.get_model("wagtailcore", "ModelLogEntry").objects.values_list("label", flat=True)
    assert list(kept) == ["CIN (Child in Need)"]


@pytest.mark.django_db
def test_earlier_action_history_is_given_the_milestones_the_action_serves_today(
    meeting, people, raise_one, make_milestone
):
    milestone = make_milestone()
    action = raise_one(meeting, milestones=[milestone])
    panel_services.change_action(
        action=action, by=people["secretary"], reason="Done.", status="done"
    )
    # As history stood before the links were kept.
    Action.history.model.milestones.model.objects.all().delete()
    links = import_module("panels.migrations.0005_action_milestones_history")

    links.keep_current_links_in_history(apps, schema_editor=None)

    entries = action.history.order_by("history_id")
    assert [[link.milestone for link in entry.milestones.all()] for entry in entries] == [
        [milestone],
        [milestone],
    ]


@pytest.mark.django_db
def test_actions_done_before_are_dated_by_their_history_and_named_by_their_owner(
    meeting, people, raise_one
):
    action = raise_one(meeting)
    panel_services.change_action(
        action=action,
        by=people["secretary"],
        reason="Done.",
        status="done",
        when=timezone.make_aware(datetime.datetime(2015, 1, 22, 12)),
    )
    # As a status change typed on 30 November 2026 left it, before owners were named.
    wrong = datetime.date(2026, 11, 30)
    Action.objects.filter(pk=action.pk).update(completed_on=wrong, owner_name="")
    action.history.filter(status="done").update(completed_on=wrong)
    migration = import_module("panels.migrations.0007_secretary_meeting")

    migration.name_owners(apps, schema_editor=None)
    migration.date_completions(apps, schema_editor=None)

    action.refresh_from_db()
    assert action.completed_on == datetime.date(2015, 1, 22)
    assert action.history.latest("history_date").completed_on == datetime.date(2015, 1, 22)
    assert action.owner_name == people["staff"].get_full_name()
