"""People in Wagtail's admin: only superusers make or change superusers.

Administrators also unlock a person's sign-in after too many failed attempts,
and reset their second factor when they lose their authenticator.

Administrators add people, give them roles and record the agency each works for.
They cannot tick "Administrator" (Wagtail's word for a superuser), open a superuser's
account, or put anyone in a group the Hub keeps itself (a panel's members and
secretaries, which follow the published membership of the panel:
``hub.admin_access.MANAGED_GROUPS_HOOK``).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.bulk_actions.assign_role import AssignRoleBulkAction
from wagtail.users.views.bulk_actions.set_active_state import SetActiveStateBulkAction
from wagtail.users.views.users import CreateView, EditView, UserViewSet

from hub import accounts, services
from hub.admin_access import managed_groups
from hub.models import Agency, Profile


def assignable_groups():
    """The groups a person can be given in the admin: the roles, not the ones kept in step."""
    return Group.objects.exclude(pk__in=managed_groups().values("pk")).order_by("name")


def may_change_person(user, person) -> bool:
    return user.is_superuser or not person.is_superuser


class PersonFormMixin:
    """Offers assignable groups only, keeps kept ones, and "Administrator" only to superusers.

    Also records the agency the person works for.
    """

    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if acting_user is None or not acting_user.is_superuser:
            self.fields.pop("is_superuser", None)
        if "groups" in self.fields:
            self.fields["groups"].queryset = assignable_groups()
        self.fields["agency"] = forms.ModelChoiceField(
            queryset=Agency.objects.all(),
            required=False,
            empty_label="No agency recorded",
            help_text="The agency they work for. Reports of who has read a policy count "
            "people agency by agency.",
        )
        if self.instance.pk:
            self.initial["agency"] = (
                Profile.objects.filter(user=self.instance).values_list("agency", flat=True).first()
            )

    def save(self, commit=True):
        person = super().save(commit=commit)
        if commit:
            self._save_agency(person)
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_agency():
                save_m2m()
                self._save_agency(person)

            self.save_m2m = save_m2m_and_agency
        return person

    def _save_agency(self, person) -> None:
        if "agency" in self.changed_data:
            services.set_agency(user=person, agency=self.cleaned_data["agency"])

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

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *(
                Button(label, url=reverse(f"wagtailusers_users:{name}", args=[self.object.pk]))
                for name, label in (
                    ("unlock_sign_in", "Unlock sign-in"),
                    ("reset_two_factor", "Reset two-factor"),
                )
            ),
        ]


class PersonAccessView(WagtailAdminTemplateMixin, TemplateView):
    """Asks, then does, one thing to a person's sign-in; for who may change that person."""

    template_name = "hub/admin/confirm_person_access.html"
    header_icon = "user"

    def setup(self, request, pk, *args, **kwargs):
        super().setup(request, pk, *args, **kwargs)
        self.person = get_object_or_404(get_user_model(), pk=pk)
        may_change = request.user.has_perm("auth.change_user")
        if not may_change or not may_change_person(request.user, self.person):
            raise PermissionDenied

    def get_page_title(self):
        return f"{self.action_label}: {self.person.get_full_name() or self.person.get_username()}"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "person": self.person,
            "explanation": self.explanation,
            "action_label": self.action_label,
            "back_url": reverse("wagtailusers_users:edit", args=[self.person.pk]),
        }

    def post(self, request, *args, **kwargs):
        messages.success(request, self.act())
        return redirect("wagtailusers_users:edit", self.person.pk)


class UnlockSignInView(PersonAccessView):
    action_label = "Unlock sign-in"
    explanation = (
        "Forget this person's failed sign-in attempts, so that they can try again now "
        "rather than wait for the lock to end."
    )

    def act(self) -> str:
        accounts.unlock_sign_in(request=self.request, user=self.person, by=self.request.user)
        return "Sign-in unlocked: they can try again now."


class ResetTwoFactorView(PersonAccessView):
    action_label = "Reset two-factor"
    explanation = (
        "Remove this person's authenticator app and recovery codes, for when they have lost "
        "their phone. Check it is really them first: they set up a new authenticator the "
        "next time they open the admin."
    )

    def act(self) -> str:
        accounts.reset_two_factor(user=self.person, by=self.request.user)
        return "Two-factor reset: they set up a new authenticator app at their next sign-in."


class PersonViewSet(UserViewSet):
    """Wagtail's people screens, with superusers made and changed by superusers only."""

    add_view_class = PersonCreateView
    edit_view_class = PersonEditView
    copy_view_enabled = False
    # Wagtail's own forms, with the person's agency among their account details.
    create_template_name = "hub/admin/person_create.html"
    edit_template_name = "hub/admin/person_edit.html"

    def get_form_class(self, for_update=False):
        return PersonEditForm if for_update else PersonCreationForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<str:pk>/unlock-sign-in/", UnlockSignInView.as_view(), name="unlock_sign_in"),
            path(
                "<str:pk>/reset-two-factor/", ResetTwoFactorView.as_view(), name="reset_two_factor"
            ),
        ]


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
