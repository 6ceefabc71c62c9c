"""Signing in, through django-allauth: no self sign-up, clear lockouts, Administrator resets."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from wagtail.log_actions import log

UNLOCK = "hub.sign_in_unlocked"
RESET_TWO_FACTOR = "hub.two_factor_reset"


class HubAccountAdapter(DefaultAccountAdapter):
    """Accounts are made by Administrators; a locked account says when it opens again."""

    @property
    def error_messages(self):
        return {
            **super().error_messages,
            "too_many_login_attempts": (
                "Too many failed sign-in attempts. Try again in "
                f"{settings.HUB_SIGN_IN_LOCK_MINUTES} minutes, or ask an Administrator to "
                "unlock your account."
            ),
        }

    def is_open_for_signup(self, request):
        return False

    def unlock(self, request, user) -> None:
        """Forget the failed sign-ins that locked ``user`` out."""
        for login in {user.get_username(), user.email}:
            if login:
                self._delete_login_attempts_cached_email(request, username=login)


def unlock_sign_in(*, request, user, by) -> None:
    """An Administrator lets ``user`` try signing in again at once."""
    HubAccountAdapter(request).unlock(request, user)
    log(instance=user, action=UNLOCK, user=by)


def reset_two_factor(*, user, by) -> int:
    """An Administrator clears ``user``'s second factors; they set one up at next sign-in."""
    removed, _ = Authenticator.objects.filter(user=user).delete()
    log(instance=user, action=RESET_TWO_FACTOR, user=by)
    return removed
