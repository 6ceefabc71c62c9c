"""Signing in: throttled, with a second factor for the admin, idle sessions ended."""

import time

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import ModelLogEntry

from hub import roles
from hub.middleware import IdleSessionMiddleware
from tests.factories import PASSWORD, UserFactory, totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client, login, password):
    return client.post(LOGIN, {"login": login, "password": password})


@pytest.fixture
def reader(role_groups):
    return UserFactory(username="reader", email="reader@hub.example", groups=[roles.STAFF])


@pytest.fixture
def administrator(role_groups):
    return UserFactory(username="chris", groups=[roles.ADMINISTRATORS])


def test_an_account_locks_after_the_configured_failures_and_says_what_to_do(
    client, reader, settings
):
    for _ in range(settings.HUB_SIGN_IN_ATTEMPTS):
        attempt(client, "reader", "wrong password")

    refused = attempt(client, "reader", PASSWORD)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Too many failed sign-in attempts" in page
    assert "ask an Administrator to unlock your account" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_the_account_from_another_address(reader, settings):
    for _ in range(settings.HUB_SIGN_IN_ATTEMPTS):
        attempt(Client(REMOTE_ADDR="10.0.0.1"), "reader", "wrong password")

    refused = attempt(Client(REMOTE_ADDR="10.0.0.2"), "reader", PASSWORD)

    assert "Too many failed sign-in attempts" in refused.content.decode()


def test_one_address_guessing_many_accounts_is_slowed(role_groups):
    guesser = Client(REMOTE_ADDR="10.9.9.9")
    answers = [attempt(guesser, f"nobody{n}", "guess").content.decode() for n in range(25)]

    assert "Too many failed sign-in attempts" in answers[-1]
    assert "Too many failed sign-in attempts" not in answers[0]


def test_an_administrator_unlocks_a_locked_account(client, reader, administrator, settings):
    for _ in range(settings.HUB_SIGN_IN_ATTEMPTS):
        attempt(client, "reader", "wrong password")
    admin = Client()
    admin.force_login(administrator)
    unlock = reverse("wagtailusers_users:unlock_sign_in", args=[reader.pk])

    assert admin.get(unlock).status_code == 200
    assert admin.post(unlock).status_code == 302

    signed_in = attempt(Client(), "reader", PASSWORD)
    assert signed_in.status_code == 302
    assert ModelLogEntry.objects.filter(action="hub.sign_in_unlocked", object_id=reader.pk).exists()


def test_only_people_who_may_change_the_account_unlock_it(reader, people):
    unlock = reverse("wagtailusers_users:unlock_sign_in", args=[reader.pk])
    superuser = UserFactory(username="root", is_superuser=True)
    for person in (people["secretary"], people["editor"]):
        client = Client()
        client.force_login(person)
        assert client.post(unlock).status_code in (302, 403)
    administrator = Client()
    administrator.force_login(UserFactory(username="chris", groups=[roles.ADMINISTRATORS]))
    refused = administrator.post(reverse("wagtailusers_users:unlock_sign_in", args=[superuser.pk]))
    assert refused.status_code in (302, 403)
    assert not ModelLogEntry.objects.filter(action="hub.sign_in_unlocked").exists()


def test_an_admin_user_without_a_second_factor_sets_one_up_before_the_admin_opens(role_groups):
    secretary = UserFactory(username="newsec", groups=[roles.PANEL_SECRETARIES], two_factor=False)
    client = Client()
    client.force_login(secretary)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_reader_is_not_asked_for_a_second_factor(role_groups, home):
    reader = UserFactory(username="plain", groups=[roles.STAFF], two_factor=False)

    signed_in = attempt(Client(), "plain", PASSWORD)

    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/"
    assert reader.authenticator_set.count() == 0


def test_signing_in_with_two_factors_needs_the_code(home, people):
    client = Client()
    after_password = attempt(client, "secretary", PASSWORD)
    assert after_password["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_wagtails_own_sign_in_page_leads_to_the_hubs(client):
    response = client.get("/admin/login/?next=/admin/pages/")

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
    assert client.get("/admin/password_reset/").status_code == 404


def test_an_administrator_resets_a_lost_second_factor(people, administrator):
    secretary = people["secretary"]
    admin = Client()
    admin.force_login(administrator)

    admin.post(reverse("wagtailusers_users:reset_two_factor", args=[secretary.pk]))

    assert not Authenticator.objects.filter(user=secretary).exists()
    assert ModelLogEntry.objects.filter(action="hub.two_factor_reset").exists()
    client = Client()
    client.force_login(secretary)
    assert client.get("/admin/")["Location"].startswith(reverse("mfa_activate_totp"))


def test_password_resets_are_rate_limited_and_sent_from_the_hub(reader, settings):
    client = Client()
    answers = [
        client.post("/accounts/password/reset/", {"email": "reader@hub.example"}).status_code
        for _ in range(5)
    ]

    assert 429 in answers
    assert 1 <= len(mail.outbox) <= 3
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL


@override_settings(HUB_ADMIN_IDLE_MINUTES=30, HUB_READER_IDLE_MINUTES=480)
@pytest.mark.parametrize(
    ("role", "idle_minutes", "signed_out"),
    [
        ("secretary", 31, True),
        ("secretary", 29, False),
        ("staff", 31, False),
        ("staff", 481, True),
    ],
)
def test_an_idle_session_ends(home, people, role, idle_minutes, signed_out):
    client = Client()
    client.force_login(people[role])
    client.get("/")
    session = client.session
    session[IdleSessionMiddleware.SEEN] = int(time.time()) - idle_minutes * 60
    session.save()

    response = client.get("/")

    assert ("_auth_user_id" not in client.session) is signed_out
    if signed_out:
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_the_editors_background_calls_do_not_keep_a_session_alive(people, meeting):
    client = Client()
    client.force_login(people["secretary"])
    client.get("/")
    session = client.session
    session[IdleSessionMiddleware.SEEN] = seen = int(time.time()) - 10 * 60
    session.save()

    client.post("/admin/editing-sessions/ping/wagtailcore/page/1/")

    assert client.session[IdleSessionMiddleware.SEEN] == seen


def test_no_one_signs_themselves_up(client, role_groups):
    secret = "a-long-unguessable-passphrase"
    client.post(
        "/accounts/signup/",
        {"email": "x@hub.example", "username": "newbie", "password1": secret, "password2": secret},
    )

    assert not get_user_model().objects.filter(username="newbie").exists()


def test_someone_signed_in_without_admin_access_is_told_so_not_sent_round(people):
    client = Client()
    client.force_login(people["partner"])

    to_sign_in = client.get("/admin/")
    shown = client.get(to_sign_in["Location"])

    assert shown.status_code == 200
    assert "Your account does not have access to that page" in shown.content.decode()


def test_an_admin_user_sets_up_a_second_factor_before_reading_the_site(role_groups, home):
    administrator = UserFactory(
        username="unenrolled", groups=[roles.ADMINISTRATORS], two_factor=False
    )
    client = Client()
    client.force_login(administrator)

    response = client.get("/")

    assert response["Location"].startswith(reverse("mfa_activate_totp"))
