"""Who may open what in Wagtail's admin: one rule for pages, one for records.

A page's title, content, revisions, previews, history and workflow are shown in
the admin only to someone who may open it: who may read it on the site (the view
restrictions on it and its ancestors) and whom every app's own rule admits,
given through ``OPEN_PAGES_HOOK`` (a panel's pages open only to that panel's own
members and secretaries). A record with an audience (``hub.models.AudienceMixin``)
opens to whoever its audience admits. Superusers open everything.

Wagtail asks about pages through a page's permission tester and its page
permission policy, and about records through each model's permission policy;
the classes here answer by these rules, so every admin surface built on them
follows them. ``hub.middleware.AdminAddressGuard`` refuses the addresses Wagtail
answers before it asks.
"""

from django.contrib.auth.models import Group
from django.db.models import QuerySet
from wagtail import hooks
from wagtail.models import Page, PagePermissionTester
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from hub.audiences import may_see, visible_to
from hub.forms import HubPageForm

# Functions of (user, page queryset) returning the pages of it an app lets ``user`` open.
OPEN_PAGES_HOOK = "hub_open_pages"
# Functions returning a queryset of groups whose members an app keeps in step itself.
MANAGED_GROUPS_HOOK = "hub_managed_groups"


def managed_groups() -> QuerySet:
    """Groups nobody sets by hand: each app keeps their members in step (a panel's)."""
    groups = Group.objects.none()
    for managed in hooks.get_hooks(MANAGED_GROUPS_HOOK):
        groups = groups | managed()
    return groups


def open_pages(user, queryset: QuerySet) -> QuerySet:
    """Narrow a page queryset to the pages ``user`` may open in the admin.

    Only by their ids, so Wagtail's admin search can still search the result.
    """
    if not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(pk__in=_openable(user).values("pk"))


def _openable(user) -> QuerySet:
    # Asked several times a request (the address guard, the view, its menus): built once
    # per user object, as Django keeps its permissions (which a new request loads afresh).
    pages = getattr(user, "_hub_openable", None)
    if pages is None:
        pages = visible_to(user, Page.objects.all())
        for narrow in hooks.get_hooks(OPEN_PAGES_HOOK):
            pages = narrow(user, pages)
        user._hub_openable = pages
    return pages


def pages_user_may(user, action: str) -> QuerySet:
    """The pages ``user`` may perform ``action`` on ("change", "publish", ...) and open."""
    return policy_registry.get_by_type(Page).instances_user_has_permission_for(user, action)


def may_open_page(user, page: Page) -> bool:
    """Whether ``user`` may open ``page`` in the admin; asked once per page and user object."""
    if user.is_active and user.is_superuser:
        return True
    answers = _answers(user, "_hub_open_pages")
    if page.pk not in answers:
        answers[page.pk] = _openable(user).filter(pk=page.pk).exists()
    return answers[page.pk]


def known_open(user, pages) -> None:
    """Record that ``user`` may open ``pages``, listed from the pages they may open."""
    if not user.is_superuser:
        _answers(user, "_hub_open_pages").update(dict.fromkeys((page.pk for page in pages), True))


def opens_everything_beneath(user, page: Page) -> bool:
    """Whether ``user`` may open every page beneath ``page``, as copying or deleting it needs."""
    if (user.is_active and user.is_superuser) or not page.numchild:
        return True
    answers = _answers(user, "_hub_opens_beneath")
    if page.pk not in answers:
        beneath = Page.objects.descendant_of(page)
        answers[page.pk] = not beneath.exclude(pk__in=open_pages(user, beneath)).exists()
    return answers[page.pk]


def may_open(user, item) -> bool:
    """Whether ``user`` may open a page or record in the admin."""
    if isinstance(item, Page):
        return may_open_page(user, item)
    return may_open_record(user, item)


def may_open_record(user, record) -> bool:
    """Whether ``user`` may open a record in the admin: its audience, if it has one, admits them."""
    return not hasattr(record, "audience") or may_see(user, record)


def _answers(user, name: str) -> dict:
    answers = getattr(user, name, None)
    if answers is None:
        answers = {}
        setattr(user, name, answers)
    return answers


def kept_as_record(page: Page) -> bool:
    """Whether ``page`` or any page beneath it has ever been published (``hub.records``)."""
    # Asked for every row of the explorer: a published page answers without a query.
    if page.first_published_at is not None:
        return True
    return (
        Page.objects.descendant_of(page, inclusive=True)
        .filter(first_published_at__isnull=False)
        .exists()
    )


class GuardedPageMixin:
    """For page classes: Wagtail's permissions on the page answer by ``may_open_page``.

    Their editing form starts from ``HubPageForm``, which refuses stale saves.
    """

    base_form_class = HubPageForm

    def permissions_for_user(self, user):
        return AdminPermissionTester(user, self)


class AdminPermissionTester(PagePermissionTester):
    """Wagtail's page permissions, none of them on a page the person may not open.

    Wagtail also lets people edit through a workflow task, lock through a task
    and unlock their own lock without any page permission; those ways close too.
    Copying, moving, unpublishing and deleting take the pages beneath along, so
    they need every one of those to open as well; a page ever published is a
    record, which only a superuser may delete. Who may read a page is set by
    publishing its audience, so Wagtail's privacy dialog is for superusers only.
    """

    def __init__(self, user, page):
        super().__init__(user, page)
        self.may_open = may_open_page(user, page)
        if not self.may_open:
            # can_move_to reads the destination's permissions directly.
            self.permissions = set()

    def _with_everything_beneath(self) -> bool:
        return self.may_open and opens_everything_beneath(self.user, self.page)

    def can_edit(self):
        return self.may_open and super().can_edit()

    def can_lock(self):
        return self.may_open and super().can_lock()

    def can_unlock(self):
        return self.may_open and super().can_unlock()

    def can_submit_for_moderation(self):
        return self.may_open and super().can_submit_for_moderation()

    def can_view_revisions(self):
        return self.may_open and super().can_view_revisions()

    def can_set_view_restrictions(self):
        return self.user.is_active and self.user.is_superuser

    def can_delete(self, ignore_bulk=False):
        if not self.user.is_superuser and kept_as_record(self.page):
            return False
        return self._with_everything_beneath() and super().can_delete(ignore_bulk)

    def can_unpublish(self):
        return self._with_everything_beneath() and super().can_unpublish()

    def can_copy(self):
        return self._with_everything_beneath() and super().can_copy()


class AdminPagePolicy(PagePermissionPolicy):
    """Wagtail's page permission policy, narrowed to the pages a person may open.

    Wagtail's explorer, admin search, admin API, site history and page reports
    list pages through it.
    """

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return may_open_page(user, instance) and super().user_has_any_permission_for_instance(
            user, actions, instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return open_pages(user, super().instances_user_has_any_permission_for(user, actions))

    def explorable_instances(self, user):
        return open_pages(user, super().explorable_instances(user))


class AudiencePermissionPolicy(ModelPermissionPolicy):
    """Model permissions, and on each record only when its audience admits the person."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and may_see(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return visible_to(user, self.model._default_manager.all())
