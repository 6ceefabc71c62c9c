"""The forms of following pages and choosing what email to get."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.models import Page

from hub import notices
from hub.audiences import may_see
from hub.form_rendering import GovukForm
from hub.models import Frequency, Subscription
from hub.params import LARGEST_NUMBER


class SubscribeForm(GovukForm):
    """Follow a page (a policy, a panel, the policy library) or stop following it."""

    page = forms.IntegerField(min_value=1, max_value=LARGEST_NUMBER)
    follow = forms.BooleanField(required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_page(self):
        page = Page.objects.live().filter(pk=self.cleaned_data["page"]).specific().first()
        followable = page is not None and getattr(page, "accepts_subscriptions", False)
        if not followable or not may_see(self.user, page):
            raise ValidationError("There is nothing here to follow.")
        return page

    def save(self) -> str:
        page = self.cleaned_data["page"]
        if self.cleaned_data["follow"]:
            notices.subscribe(user=self.user, page=page)
            return f"You are following {page.title}. You will get an email when it changes."
        notices.stop_following(user=self.user, page=page)
        return f"You no longer follow {page.title}."


class SubscriptionChangeForm(GovukForm):
    """One change on "Your notifications": how often a subscription is sent, or a reminder."""

    subscription = forms.IntegerField(required=False, min_value=1, max_value=LARGEST_NUMBER)
    frequency = forms.ChoiceField(choices=Frequency.choices, required=False)
    stop = forms.BooleanField(required=False)
    kind = forms.ChoiceField(choices=list(notices.KINDS.items()), required=False)
    wanted = forms.BooleanField(required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        pk = data.get("subscription")
        if pk is not None:
            data["subscription"] = Subscription.objects.filter(pk=pk, user=self.user).first()
            if data["subscription"] is None:
                raise ValidationError("That subscription is not yours, or has already stopped.")
            if not data["stop"] and not data.get("frequency"):
                raise ValidationError("Choose how often to hear about it.")
        elif not data.get("kind"):
            raise ValidationError("Choose what to change.")
        return data

    def save(self) -> str:
        data = self.cleaned_data
        subscription = data.get("subscription")
        if subscription is not None:
            title = subscription.page.title
            if data["stop"]:
                subscription.delete()
                return f"You no longer follow {title}."
            subscription.frequency = data["frequency"]
            subscription.save(update_fields=["frequency"])
            return f"Updates on {title} will come {subscription.get_frequency_display().lower()}."
        label = notices.KINDS[data["kind"]]
        notices.set_muted(user=self.user, kind=data["kind"], muted=not data["wanted"])
        return f"{label}: {'on' if data['wanted'] else 'off'}."
