"""Wagtail hooks for the site as a whole."""

from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from hub.audiences import may_see
from hub.glossary import forget_glossary
from hub.models import GlossaryTerm


@hooks.register("before_serve_page", order=-1)
def refuse_signed_in_readers_outside_the_audience(page, request, serve_args, serve_kwargs):
    """A signed-in reader outside a page's audience gets a plain 403, not a login form.

    Anonymous readers fall through to Wagtail's own check, which asks them to sign in.
    """
    if request.user.is_authenticated and not may_see(request.user, page):
        raise PermissionDenied


class GlossaryViewSet(SnippetViewSet):
    """Terms and acronyms, searchable and exportable for editors."""

    model = GlossaryTerm
    icon = "help"
    menu_label = "Glossary"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["term", "expansion", "synonyms"]
    search_fields = ["term", "expansion", "synonyms"]
    list_export = ["term", "expansion", "definition", "synonyms"]


register_snippet(GlossaryViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def refresh_glossary(request, instance):
    changed = instance if isinstance(instance, list) else [instance]
    if any(isinstance(item, GlossaryTerm) for item in changed):
        forget_glossary()
