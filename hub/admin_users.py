"""People in Wagtail's admin: only superusers make or change superusers.

Administrators add people and give them roles. They cannot tick "Administrator"
(Wagtail's word for a superuser), open a superuser's account, or put anyone in a
group the Hub keeps itself (a panel's members and secretaries, which follow the
published membership of the panel: ``hub.admin_access.MANAGED_GROUPS_HOOK``).
"""

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.bulk_actions.assign_role import AssignRoleBulkAction
from wagtail.users.views.bulk_actions.set_active_state import SetActiveStateBulkAction
from wagtail.users.views.users import CreateView, EditView, UserViewSet

from hub.admin_access import managed_groups


def assignable_groups():
    """The groups a person can be given in the admin: the roles, not the ones kept in step."""
    return Group.objects.exclude(pk__in=managed_groups().values("pk")).order_by("name")


def may_change_person(user, person) -> bool:
    return user.is_superuser or not person.is_superuser


class PersonFormMixin:
    """Offers assignable groups only, keeps kept ones, and "Administrator" only to superusers."""

    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if acting_user is None or not acting_user.is_superuser:
            self.fields.pop("is_superuser", None)
        if "groups" in self.fields:
            self.fields["groups"].queryset = assignable_groups()

    def clean_groups(self):
        chosen = self.cleaned_data["groups"]
        if not self.instance.pk:
            return chosen
        kept = self.instance.groups.filter(pk__in=managed_groups().values("pk"))
        return chosen | kept


class PersonCreationForm(PersonFormMixin, UserCreationForm):
    pass


class PersonEditForm(PersonFormMixin, UserEditForm):
    pass


class ActingUserMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "acting_user": self.request.user}


class PersonCreateView(ActingUserMixin, CreateView):
    pass


class PersonEditView(ActingUserMixin, EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not may_change_person(request.user, self.object):
            raise PermissionDenied


class PersonViewSet(UserViewSet):
    """Wagtail's people screens, with superusers made and changed by superusers only."""

    add_view_class = PersonCreateView
    edit_view_class = PersonEditView
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return PersonEditForm if for_update else PersonCreationForm


class RoleForm(forms.Form):
    role = forms.ModelChoiceField(queryset=Group.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = assignable_groups()


class AssignRole(AssignRoleBulkAction):
    """Wagtail's "Assign role", without kept groups, and for superusers only by superusers."""

    form_class = RoleForm

    def check_perm(self, obj):
        return super().check_perm(obj) and may_change_person(self.request.user, obj)


class SetActiveState(SetActiveStateBulkAction):
    """Wagtail's "Set active state", for superusers only by superusers."""

    def check_perm(self, obj):
        return super().check_perm(obj) and may_change_person(self.request.user, obj)
