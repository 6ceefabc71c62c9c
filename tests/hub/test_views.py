"""The home page, error pages, display preferences and sign-in, over HTTP."""

import re

import pytest
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from hub import notices, roles
from hub.audiences import Audience, set_page_audience
from hub.models import GlossaryTerm, Notice, NoticeStatus
from hub.selectors import ATTENTION_HOOK, AttentionItem, AttentionPanel
from hub.views import LARGE_PRINT_COOKIE
from tests import nu_checker
from tests.factories import PASSWORD, UserFactory


def _explode(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [path("explode/", _explode)]


@pytest.fixture
def staff_page(home, role_groups):
    page = home.add_child(instance=Page(title="Confidential staff briefing", slug="briefing"))
    page.save_revision().publish()
    set_page_audience(page=page, audience=Audience.STAFF)
    return page


@pytest.fixture
def public_page(home):
    page = home.add_child(instance=Page(title="Threshold document", slug="threshold"))
    page.save_revision().publish()
    return page


def main_content(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def signed_in(client, user):
    client.force_login(user)
    return client


def test_home_page_has_the_accessible_layout(client, home):
    html = client.get("/").content.decode()

    assert 'href="#main-content"' in html
    assert '<main id="main-content"' in html
    assert 'aria-label="Menu"' in html
    assert "<footer" in html
    assert "Switch to large print" in html
    assert "Sign in" in html


def test_home_page_lists_what_was_published_not_every_page(client, people, public_page, staff_page):
    # Versions, minutes and decisions are what is published (see test_selectors); a plain
    # page, such as a section's landing page, is not news.
    for html in (
        client.get("/").content.decode(),
        signed_in(client, people["staff"]).get("/").content.decode(),
    ):
        recent = html.split('id="recent-heading"')[1].split("</section>")[0]
        assert "Threshold document" not in recent
        assert "Confidential staff briefing" not in recent


def test_home_page_empty_states(client, people, home):
    anonymous = client.get("/").content.decode()
    assert "Nothing has been published yet that you can see." in anonymous
    assert "to see the policies you need to read" in anonymous

    staff = signed_in(client, people["staff"]).get("/").content.decode()
    assert "Nothing needs your attention right now." in staff
    assert "Signed in as" in staff


def test_apps_add_attention_panels_through_a_hook(client, people, home):
    def overdue(request):
        return AttentionPanel(
            title="Overdue actions",
            items=[AttentionItem(label="Refresh the protocol", url="/a/1/", detail="Due 15 Jan")],
        )

    with hooks.register_temporarily(ATTENTION_HOOK, overdue):
        html = signed_in(client, people["staff"]).get("/").content.decode()
        anonymous = client.logout() or client.get("/").content.decode()

    assert "Overdue actions" in html
    assert 'href="/a/1/"' in html
    assert "Overdue actions" not in anonymous


def test_restricted_page_asks_anonymous_readers_to_sign_in(client, staff_page):
    response = client.get(staff_page.url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_restricted_page_refuses_signed_in_readers_outside_its_audience(client, people, staff_page):
    response = signed_in(client, people["partner"]).get(staff_page.url)

    assert response.status_code == 403
    assert "You do not have access" in response.content.decode()
    assert "Confidential staff briefing" not in response.content.decode()


def test_restricted_page_is_served_privately_to_its_audience(client, people, staff_page):
    response = signed_in(client, people["staff"]).get(staff_page.url)

    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control


def test_not_found_page_says_nothing_about_what_exists(client, home):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in main_content(response)
    assert "no-such-page" not in main_content(response)


@pytest.mark.urls("tests.hub.test_views")
def test_server_error_page_reveals_nothing(client, db):
    client.raise_request_exception = False

    response = client.get("/explode/")

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert "secret internal detail" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_large_print_is_switched_on_remembered_and_off(client, home):
    response = client.post("/display/", {"large_print": "on", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[LARGE_PRINT_COOKIE].value == "1"
    assert 'class="govuk-template large-print"' in client.get("/").content.decode()
    assert "Switch to standard print" in client.get("/").content.decode()

    client.post("/display/", {"large_print": "off", "next": "/"})
    assert 'class="govuk-template large-print"' not in client.get("/").content.decode()


def test_display_preferences_never_redirect_off_site(client, home):
    response = client.post("/display/", {"large_print": "on", "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_display_preferences_only_accept_a_form_post(client, home):
    assert client.get("/display/").status_code == 405


def test_site_pages_carry_a_strict_content_security_policy(client, home):
    response = client.get("/")

    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_sign_in_with_a_wrong_password_explains_and_keeps_the_username(client, people):
    response = client.post("/accounts/login/", {"login": "staff", "password": "wrong"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'value="staff"' in html
    assert "<title>Error: Sign in" in html


def test_sign_in_and_out(client, people, home):
    UserFactory(username="reader", groups=[roles.STAFF], two_factor=False)
    response = client.post(
        "/accounts/login/", {"login": "reader", "password": PASSWORD, "next": "/"}
    )
    assert response.status_code == 302
    assert "Signed in as" in client.get("/").content.decode()

    client.post("/accounts/logout/")
    assert "Signed in as" not in client.get("/").content.decode()


def test_a_section_link_is_the_current_page_only_on_the_section_itself(client, make_policy):
    policy = make_policy(audience=Audience.PUBLIC)
    library = policy.get_parent()
    Page.objects.filter(pk=library.pk).update(show_in_menus=True)

    on_library = client.get(library.url).content.decode()
    on_policy = client.get(policy.url).content.decode()

    link = f'<a class="govuk-service-navigation__link" href="{library.url}"'
    assert f'{link} aria-current="page">' in on_library
    assert f'{link} aria-current="true">' in on_policy
    assert 'aria-current="page">' not in on_policy.split('aria-label="Menu"')[1].split("</nav>")[0]


# A valid value of <time datetime>: a date, or a date and time to the second with its offset.
MACHINE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z))?")


def test_the_home_pages_dates_are_machine_readable_and_its_lists_govuks(
    client, people, make_policy
):
    make_policy(audience=Audience.PUBLIC)

    html = signed_in(client, people["staff"]).get("/").content.decode()

    recent = html.split('id="recent-heading"')[1].split("</section>")[0]
    assert "Transfer Protocol" in recent
    assert '<ul class="govuk-list govuk-list--spaced">' in recent
    times = re.findall(r'<time datetime="([^"]*)"', html)
    assert times and all(MACHINE_TIME.fullmatch(value) for value in times), times
    assert '<section class="govuk-grid-column-two-thirds" aria-labelledby="recent-heading">' in html
    assert 'class="summary-list"' not in html and 'class="hint"' not in html


def test_the_sign_in_errors_are_a_govuk_summary_linked_to_the_field(client, people):
    html = client.post("/accounts/login/", {"login": "staff", "password": "wrong"}).content.decode()

    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert '<a href="#id_login">' in summary
    assert 'class="govuk-input govuk-!-width-two-thirds" type="text" name="login"' in html


def test_the_notifications_tables_sit_in_regions_named_by_their_headings(
    client, people, make_policy
):
    notices.subscribe(user=people["staff"], page=make_policy())
    html = signed_in(client, people["staff"]).get(reverse("notifications")).content.decode()

    for heading in ("following", "reminders"):
        assert (
            f'<div class="hub-table-container" role="region" aria-labelledby="{heading}" '
            'tabindex="0">\n'
        ) in html
    assert html.count('<table class="govuk-table">') == 2
    assert 'class="govuk-select" id="frequency-' in html
    assert 'Stop following<span class="govuk-visually-hidden"> Transfer Protocol</span>' in html


@pytest.mark.skipif(nu_checker.java() is None, reason="the Nu HTML Checker needs Java")
def test_the_hubs_own_pages_are_valid_html(client, people, make_policy, staff_page):
    policy = make_policy(audience=Audience.STAFF)
    GlossaryTerm.objects.create(term="CIN", expansion="Child in Need", definition="A plan.")
    staff = people["staff"]
    subscription = notices.subscribe(user=staff, page=policy)
    Notice.objects.create(
        recipient=staff,
        address="staff@hub.example",
        kind="minutes",
        key="k",
        topic=f"subscription:{subscription.pk}",
        subject="Minutes of MASP panel",
        url="http://testserver/panels/",
        text="-",
        html="-",
        status=NoticeStatus.SENT,
        sent_at=timezone.now(),
    )
    nobody = UserFactory(username="noaddress", email="", groups=[roles.STAFF], two_factor=False)
    unsubscribe = notices.unsubscribe_url(user_id=staff.pk, topic="digests")

    def attention(request):
        return AttentionPanel(
            title="Overdue actions",
            items=[AttentionItem(label="Refresh the protocol", url="/a/1/", detail="Due 15 Jan")],
        )

    reader, outsider, anonymous = Client(), Client(), Client()
    reader.force_login(staff)
    outsider.force_login(people["partner"])
    with hooks.register_temporarily(ATTENTION_HOOK, attention):
        pages = {
            "home": reader.get("/"),
            "home-anonymous": anonymous.get("/"),
        }
    pages |= {
        "glossary": anonymous.get("/glossary/"),
        "notifications": reader.get(reverse("notifications")),
        "notifications-no-address": signed_in(Client(), nobody).get(reverse("notifications")),
        "unsubscribe-ask": anonymous.get(unsubscribe),
        "unsubscribe-stopped": anonymous.post(unsubscribe),
        "unsubscribe-invalid": anonymous.get("/notifications/stop/nonsense/"),
        "not-found": anonymous.get("/no-such-page/"),
        "refused": outsider.get(staff_page.url),
        "sign-in": anonymous.get("/accounts/login/"),
        "sign-in-error": anonymous.post("/accounts/login/", {"login": "x", "password": "y"}),
        "password-reset-error": anonymous.post("/accounts/password/reset/", {"email": "x"}),
    }
    assert "Overdue actions" in pages["home"].content.decode()
    assert "has no email address" in pages["notifications-no-address"].content.decode()

    found = nu_checker.errors({name: page.content.decode() for name, page in pages.items()})

    assert found == {}
