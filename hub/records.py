"""What was decided is kept: published pages are withdrawn with a reason, never deleted.

A page that has ever been published, or has a page beneath it that has, is a
record: no one short of a superuser may delete it, through any view. It is
withdrawn instead: taken down, with a required reason that its history keeps
and its readers are shown. Pages that were never published are drafts, which
their editors may still delete.
"""

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import Page, Site

from hub.admin_access import kept_as_record
from hub.audiences import may_see
from hub.models import Withdrawal

WITHDRAW = "hub.withdraw"
# Deeper than any page of the site: an address this long names no withdrawn page.
MAX_DEPTH = 12


def deletion_refused(page: Page, *, user) -> str:
    """Why ``user`` may not delete ``page``, or "" when nothing keeps it."""
    if not user.is_superuser and kept_as_record(page):
        return (
            f"“{page.get_admin_display_title()}” has been published, so it is part of the "
            "record of what was decided and cannot be deleted. Unpublish it instead: you will "
            "be asked for the reason, which readers who may see it are shown."
        )
    blocked = _protected_by(page)
    if blocked:
        return (
            f"“{page.get_admin_display_title()}” cannot be deleted while {blocked} refer to it. "
            "Unpublish it instead."
        )
    return ""


def _protected_by(page: Page) -> str:
    collector = Collector(using=router.db_for_write(Page))
    try:
        collector.collect(list(Page.objects.descendant_of(page, inclusive=True).specific()))
    except (ProtectedError, RestrictedError) as error:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in error.args[1]})
        return " and ".join(kinds)
    return ""


@transaction.atomic
def withdraw(*, page: Page, by, reason: str, include_descendants: bool = False) -> Withdrawal:
    """Take ``page`` down, keeping why in its history and for its readers."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why this page is being withdrawn."})
    # Two people withdrawing at once: the second finds it already done.
    if not Page.objects.select_for_update().filter(pk=page.pk, live=True).exists():
        raise ValidationError("This page is not published, so there is nothing to withdraw.")
    withdrawal = Withdrawal.objects.create(
        page=page, title=page.title, reason=reason, withdrawn_by=by
    )
    UnpublishPageAction(
        page, user=by, include_descendants=include_descendants, log_action=False
    ).execute(skip_permission_checks=True)
    log(instance=page, action=WITHDRAW, user=by, data={"reason": reason})
    return withdrawal


def withdrawal_shown_at(request) -> Withdrawal | None:
    """The withdrawal of the page at the request's address, if its reader may see that page."""
    site = Site.find_for_request(request)
    steps = [step for step in request.path.split("/") if step]
    if site is None or len(steps) > MAX_DEPTH or not request.path.isprintable():
        return None
    addresses = [
        site.root_page.url_path + "".join(f"{step}/" for step in steps[:length])
        for length in range(len(steps), -1, -1)
    ]
    withdrawal = (
        Withdrawal.objects.filter(page__url_path__in=addresses, page__live=False)
        .select_related("page")
        .order_by("-page__depth", "-withdrawn_at", "-pk")
        .first()
    )
    if withdrawal is None or not may_see(request.user, withdrawal.page):
        return None
    return withdrawal
