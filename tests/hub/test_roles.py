"""The role groups, what each may do in the admin, and where."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    Task,
    WorkflowPage,
)

from hub import roles
from hub.collections import ensure_audience_collections
from hub.models import ReviewTask
from tests import matrix

pytestmark = pytest.mark.django_db


def counts():
    return (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        sum(group.permissions.count() for group in Group.objects.all()),
    )


def test_every_role_exists(role_groups):
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLE_NAMES)


def test_wagtails_starter_groups_and_workflow_are_gone(role_groups):
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert not WorkflowPage.objects.filter(workflow__name="Moderators approval").exists()
    assert not Task.objects.filter(active=True, groupapprovaltask__isnull=False).exists()


def test_setting_up_roles_twice_changes_nothing(home, role_groups, library):
    before = counts()

    roles.ensure_roles()
    ensure_audience_collections()

    assert counts() == before


def test_setting_up_roles_takes_back_what_was_granted_by_hand(home, role_groups):
    editors = role_groups[roles.POLICY_EDITORS]
    administrators = role_groups[roles.ADMINISTRATORS]
    GroupPagePermission.objects.create(
        group=editors, page=home, permission=roles.permission("wagtailcore.change_page")
    )
    administrators.permissions.add(Permission.objects.get(codename="change_group"))

    roles.ensure_roles()

    assert not GroupPagePermission.objects.filter(group=editors, page=home).exists()
    assert not administrators.permissions.filter(codename="change_group").exists()


def test_who_may_use_the_admin(client, people):
    for role, user in people.items():
        if role == "anonymous":
            continue
        client.force_login(user)
        status = client.get("/admin/").status_code
        assert (status == 200) is (role in matrix.ADMIN_USERS), f"{role}: {status}"


@pytest.mark.parametrize(
    ("role", "in_library", "on_the_home_page"),
    [
        ("staff", set(), set()),
        ("partner", set(), set()),
        ("secretary", set(), set()),
        ("editor", {"edit"}, set()),
        ("approver", {"edit", "publish"}, set()),
        ("administrator", {"edit", "publish"}, {"edit", "publish"}),
    ],
)
def test_policy_roles_work_in_the_policy_library_and_administrators_on_the_site(
    people, home, library, role, in_library, on_the_home_page
):
    def may(page):
        tester = page.permissions_for_user(people[role])
        return {name for name in ("edit", "publish") if getattr(tester, f"can_{name}")()}

    assert may(library) == in_library
    assert may(home) == on_the_home_page


def test_approvals_are_reviews_by_readers(role_groups, library):
    from policies.services import set_up_library

    workflow = set_up_library(library=library)

    assert {type(task.specific) for task in workflow.tasks.all()} == {ReviewTask}
