"""Wagtail's starter groups go, and every active group approval becomes a review.

"Editors" and "Moderators" held page permissions on the whole tree, and the
"Moderators approval" workflow on the root page reviewed everything; the roles
(``hub.roles``) replace them. A group approval shows its item to every member of
its groups; a review (``hub.models.ReviewTask``) only to those who may read it.
Workflows, their order and the steps under way keep their place.
"""

from django.db import migrations

STARTER_GROUPS = ("Editors", "Moderators")
STARTER_WORKFLOW = "Moderators approval"


def replace_group_approvals(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    ReviewTask = apps.get_model("hub", "ReviewTask")

    Group.objects.filter(name__in=STARTER_GROUPS).delete()
    WorkflowPage.objects.filter(workflow__name=STARTER_WORKFLOW).delete()
    Workflow.objects.filter(name=STARTER_WORKFLOW).update(active=False)

    review_type, _ = ContentType.objects.get_or_create(app_label="hub", model="reviewtask")
    in_use = WorkflowTask.objects.filter(workflow__active=True).values("task_id")
    for old in GroupApprovalTask.objects.filter(active=True, pk__in=in_use):
        review = ReviewTask.objects.create(name=old.name, active=True, content_type=review_type)
        review.groups.set(old.groups.all())
        WorkflowTask.objects.filter(task_id=old.pk).update(task_id=review.pk)
        TaskState.objects.filter(task_id=old.pk, status="in_progress").update(task_id=review.pk)
    GroupApprovalTask.objects.filter(active=True).update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0003_admin_access"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(replace_group_approvals, migrations.RunPython.noop, elidable=True),
    ]
