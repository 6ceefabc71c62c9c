"""The role groups and what each may do in the admin."""

from django.contrib.auth.models import Group
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from hub import roles


def test_every_role_exists(role_groups):
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLE_NAMES)


def test_setting_up_roles_twice_changes_nothing(home, role_groups):
    counts = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        sum(group.permissions.count() for group in Group.objects.all()),
    )

    roles.ensure_roles(root_page=home)

    assert counts == (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        sum(group.permissions.count() for group in Group.objects.all()),
    )


def test_who_may_use_the_admin(client, people):
    expected = {"secretary", "editor", "approver", "administrator"}
    for role, user in people.items():
        if role == "anonymous":
            continue
        client.force_login(user)
        status = client.get("/admin/").status_code
        assert (status == 200) is (role in expected), f"{role}: {status}"


def test_only_approvers_and_administrators_may_publish(people, home):
    for role in ("secretary", "editor", "approver", "administrator", "staff", "partner"):
        can_publish = home.permissions_for_user(people[role]).can_publish()
        assert can_publish is (role in {"approver", "administrator"}), role


def test_editors_may_edit_but_readers_and_secretaries_may_not(people, home):
    # Secretaries edit only under their own panels, through each panel's own group.
    for role in ("secretary", "editor", "approver", "administrator", "staff", "partner"):
        can_edit = home.permissions_for_user(people[role]).can_edit()
        assert can_edit is (role in {"editor", "approver", "administrator"}), role
