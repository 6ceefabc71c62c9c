"""Who may do what to actions: secretaries only to their own panels' actions."""

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from hub import roles
from hub.audiences import may_see, visible_to

# Approvers and administrators look after every panel, as in the page tree.
ALL_PANELS_ROLES = (roles.APPROVERS, roles.ADMINISTRATORS)


def may_edit_action(user, action) -> bool:
    """Whether ``user`` may change ``action``: its panel's secretaries, approvers, admins."""
    if user.is_superuser:
        return True
    return user.groups.filter(
        Q(pk=action.panel.secretaries_group_id) | Q(name__in=ALL_PANELS_ROLES)
    ).exists()


class ActionPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed per action to the panels a person looks after."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not self.user_has_any_permission(user, actions):
            return False
        if not may_see(user, instance):
            return False
        if set(actions) <= {"view"}:
            return True
        return may_edit_action(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        visible = visible_to(user, self.model.objects.all())
        if user.is_superuser or set(actions) <= {"view"}:
            return visible
        if user.groups.filter(name__in=ALL_PANELS_ROLES).exists():
            return visible
        return visible.filter(panel__secretaries_group__user=user)
