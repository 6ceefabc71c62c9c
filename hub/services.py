"""State changes that belong to the site as a whole."""

import secrets

from django.contrib.auth import get_user_model

from hub.models import Agency, Profile, SubscriptionToken


def subscription_key(*, user) -> str:
    """The private key in ``user``'s feed and calendar addresses, made on first use."""
    token, _ = SubscriptionToken.objects.get_or_create(
        user=user, defaults={"key": secrets.token_urlsafe(32)}
    )
    return token.key


def reset_subscription_key(*, user) -> str:
    """Give ``user`` a new key; addresses with the old one stop working at once."""
    key = secrets.token_urlsafe(32)
    SubscriptionToken.objects.update_or_create(user=user, defaults={"key": key})
    return key


def subscriber(*, key: str):
    """The active person whose key this is, or None."""
    return get_user_model().objects.filter(subscription_token__key=key, is_active=True).first()


def set_agency(*, user, agency: Agency | None) -> Profile:
    """Record the agency ``user`` works for (None: not recorded)."""
    profile, _ = Profile.objects.update_or_create(user=user, defaults={"agency": agency})
    return profile
