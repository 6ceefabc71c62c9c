"""Who may do what to a panel's pages and actions.

A panel's pages (the panel and its meetings) open in the admin only to that
panel's own members and secretaries: its minutes, confidential part included,
are theirs. Actions follow their audience, and secretaries change only their own
panels' actions.
"""

from django.db.models import Q, QuerySet

from hub import roles
from hub.admin_access import AudiencePermissionPolicy
from panels.models import PanelPage

# Approvers and administrators look after every panel's actions.
ALL_PANELS_ROLES = (roles.APPROVERS, roles.ADMINISTRATORS)


def panels_closed_to(user) -> QuerySet:
    """Panels whose pages ``user`` may not open: they are in neither of its groups.

    A panel not yet published has no groups; the page permissions of the people
    setting it up decide until it has.
    """
    return (
        PanelPage.objects.exclude(members_group=None)
        .exclude(members_group__user=user)
        .exclude(secretaries_group__user=user)
    )


def pages_open_to_members(user, queryset: QuerySet) -> QuerySet:
    """``queryset`` without the pages at or beneath panels closed to ``user``."""
    beneath_closed = Q()
    for path in panels_closed_to(user).values_list("path", flat=True):
        beneath_closed |= Q(path__startswith=path)
    return queryset.exclude(beneath_closed) if beneath_closed else queryset


def may_edit_action(user, action) -> bool:
    """Whether ``user`` may change ``action``: its panel's secretaries, approvers, admins."""
    if user.is_superuser:
        return True
    return user.groups.filter(
        Q(pk=action.panel.secretaries_group_id) | Q(name__in=ALL_PANELS_ROLES)
    ).exists()


class ActionPermissionPolicy(AudiencePermissionPolicy):
    """Model permissions on the actions a person may see, changes on the panels they look after.

    Actions are raised from their meeting ("Raise an action"), never on their own.
    """

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        return set(actions) <= {"view"} or may_edit_action(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        visible = super().instances_user_has_any_permission_for(user, actions)
        if user.is_superuser or set(actions) <= {"view"}:
            return visible
        if user.groups.filter(name__in=ALL_PANELS_ROLES).exists():
            return visible
        return visible.filter(panel__secretaries_group__user=user)
