"""The home page, error pages, display preferences and sign-in, over HTTP."""

import pytest
from django.urls import path
from wagtail import hooks
from wagtail.models import Page

from hub import roles
from hub.audiences import Audience, set_page_audience
from hub.selectors import ATTENTION_HOOK, AttentionItem, AttentionPanel
from hub.views import LARGE_PRINT_COOKIE
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
    assert 'aria-label="Main"' in html
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
    assert 'class="large-print"' in client.get("/").content.decode()
    assert "Switch to standard print" in client.get("/").content.decode()

    client.post("/display/", {"large_print": "off", "next": "/"})
    assert 'class="large-print"' not in client.get("/").content.decode()


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

    assert f'<a href="{library.url}" aria-current="page">' in on_library
    assert f'<a href="{library.url}" aria-current="true">' in on_policy
    assert 'aria-current="page">' not in on_policy.split('aria-label="Main"')[1].split("</nav>")[0]
