"""Anonymous readers' pages: shared-cache headers, conditional GETs, the kept copies and purges."""

import threading
import time
import uuid
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from hub import changes, page_cache
from hub import services as hub_services
from hub.audiences import Audience, set_page_audience
from hub.models import GlossaryTerm, HubSettings
from hub.views import LARGE_PRINT_COOKIE
from tests.factories import UserFactory

REDIS_DATABASE = "redis://127.0.0.1:6379/5"


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed, as the purge waits for it to."""

    @contextmanager
    def committed():
        # What the fixtures announced goes first, as their own transactions would have.
        changes.settle()
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return committed


@pytest.fixture
def public_page(home, committing):
    # Committed, or the first search that settles the test's transaction would purge.
    with committing():
        page = home.add_child(instance=Page(title="Threshold document", slug="threshold"))
        page.save_revision().publish()
    return page


@pytest.fixture
def kept(settings):
    """Pages are kept in the test cache, which every request in a test shares."""
    settings.HUB_PAGE_CACHE = "default"


@pytest.fixture
def reader(role_groups):
    return UserFactory(username="reader", first_name="Rhea", groups=["Staff"])


def shared(response) -> bool:
    return response.status_code == 200 and "public" in response.get("Cache-Control", "")


def assert_shared(response):
    assert response.status_code == 200
    assert not response.cookies, f"sets {list(response.cookies)}"
    assert "cookie" not in response.get("Vary", "").lower()
    assert "public" in response["Cache-Control"]
    assert response.has_header("ETag")
    assert response.has_header("Last-Modified")


def assert_from_cache(client, django_assert_num_queries, url, **headers):
    with django_assert_num_queries(0):
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response


def test_public_pages_set_no_cookie_vary_on_none_and_carry_validators(
    client, public_page, library, make_policy
):
    policy = make_policy(title="Public threshold policy", audience=Audience.PUBLIC)
    urls = [
        "/",
        public_page.url,
        library.url,
        policy.url,
        f"{policy.url}versions/",
        f"{library.url}feed/",
        "/search/",
        "/search/?q=threshold",
        "/decisions/",
        "/glossary/",
        "/meetings/upcoming/",
    ]

    for url in urls:
        response = client.get(url)
        assert_shared(response)
        assert "csrfmiddlewaretoken" not in response.content.decode(), url


def test_a_conditional_get_is_answered_not_modified(client, public_page):
    first = client.get(public_page.url)

    again = client.get(public_page.url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert client.get(public_page.url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_second_anonymous_request_is_served_from_the_cache(
    client, kept, public_page, django_assert_num_queries
):
    first = client.get(public_page.url)

    second = assert_from_cache(client, django_assert_num_queries, public_page.url)
    not_modified = client.get(public_page.url, HTTP_IF_NONE_MATCH=first["ETag"])
    # The kept copy says when it was made, so a reader's copy of it is not modified since.
    not_modified_since = client.get(public_page.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Last-Modified"] == first["Last-Modified"]
    assert_shared(second)
    assert not_modified.status_code == 304
    assert not_modified_since.status_code == 304


def test_search_and_the_register_are_kept_by_their_query(
    client, kept, public_page, django_assert_num_queries
):
    for url in ("/search/?q=threshold", "/search/?q=transfer", "/decisions/"):
        first = client.get(url)
        assert_from_cache(client, django_assert_num_queries, url)
        assert first.content == client.get(url).content

    assert 'value="threshold"' in client.get("/search/?q=threshold").content.decode()
    assert 'value="threshold"' not in client.get("/search/?q=transfer").content.decode()


def test_publishing_a_change_purges_every_kept_page(
    client, kept, committing, public_page, django_assert_num_queries
):
    client.get(public_page.url)
    client.get("/")
    assert_from_cache(client, django_assert_num_queries, public_page.url)

    with committing():
        public_page.title = "Threshold document, second edition"
        public_page.save_revision().publish()

    assert "second edition" in client.get(public_page.url).content.decode()
    with CaptureQueriesContext(connection) as home_page:
        client.get("/")
    assert len(home_page) > 0, "the home page was served as kept before the publish"


def test_unpublishing_purges(client, kept, committing, public_page, django_assert_num_queries):
    client.get(public_page.url)
    assert_from_cache(client, django_assert_num_queries, public_page.url)

    with committing():
        public_page.unpublish()

    assert client.get(public_page.url).status_code == 404


def test_moving_a_page_purges(
    client, kept, committing, home, public_page, django_assert_num_queries
):
    shelf = home.add_child(instance=Page(title="Archive", slug="archive"))
    shelf.save_revision().publish()
    old_url = public_page.url
    client.get(old_url)
    assert_from_cache(client, django_assert_num_queries, old_url)

    with committing():
        public_page.move(shelf, pos="last-child")

    assert client.get(old_url)["Location"] == "/archive/threshold/"
    assert client.get("/archive/threshold/").status_code == 200


def test_restricting_a_page_purges_and_its_readers_copy_is_never_kept(
    client, kept, committing, public_page, reader, django_assert_num_queries
):
    client.get(public_page.url)
    assert_from_cache(client, django_assert_num_queries, public_page.url)

    with committing():
        set_page_audience(page=public_page, audience=Audience.STAFF)

    refused = client.get(public_page.url)
    staff = Client()
    staff.force_login(reader)
    read = staff.get(public_page.url)
    refused_again = client.get(public_page.url)

    assert refused.status_code == 302
    assert "/accounts/login/" in refused["Location"]
    assert read.status_code == 200
    assert "no-store" in read["Cache-Control"]
    assert refused_again.status_code == 302


def test_a_glossary_change_purges(client, kept, committing, public_page, django_assert_num_queries):
    client.get("/glossary/")
    assert_from_cache(client, django_assert_num_queries, "/glossary/")

    with committing():
        GlossaryTerm.objects.create(term="MASH", expansion="Multi-Agency Safeguarding Hub")

    assert "Multi-Agency Safeguarding Hub" in client.get("/glossary/").content.decode()


def test_a_change_to_the_site_settings_purges(
    client, kept, committing, home, django_assert_num_queries
):
    client.get("/")
    assert_from_cache(client, django_assert_num_queries, "/")

    with committing():
        site_settings = HubSettings.for_site(home.get_site())
        site_settings.organisation_name = "Northshire Council"
        site_settings.save()

    assert "Northshire Council" in client.get("/").content.decode()


def test_signed_in_pages_are_private_and_never_kept_or_served_from_the_cache(
    client, kept, public_page, reader, django_assert_num_queries
):
    client.get("/")
    assert_from_cache(client, django_assert_num_queries, "/")
    staff = Client()
    staff.force_login(reader)

    signed_in = staff.get("/")
    anonymous = assert_from_cache(client, django_assert_num_queries, "/")

    assert "Signed in as" in signed_in.content.decode()
    assert "private" in signed_in["Cache-Control"]
    assert "no-store" in signed_in["Cache-Control"]
    assert not signed_in.has_header("ETag")
    assert "Signed in as" not in anonymous.content.decode()


def test_a_reader_with_a_session_is_never_served_a_kept_page(
    client, kept, public_page, reader, django_assert_num_queries
):
    client.get("/")
    assert_from_cache(client, django_assert_num_queries, "/")
    client.force_login(reader)
    client.get("/")
    client.logout()
    client.cookies["sessionid"] = "no-such-session"

    response = client.get("/")

    assert "Sign in" in response.content.decode()
    assert not shared(response)


def test_feeds_the_public_one_is_kept_the_private_one_never(
    client, kept, library, reader, django_assert_num_queries
):
    public_feed = f"{library.url}feed/"
    private_feed = f"{library.url}feed/{hub_services.subscription_key(user=reader)}/"
    client.get(public_feed)
    client.get(private_feed)

    assert_from_cache(client, django_assert_num_queries, public_feed)
    private = client.get(private_feed)

    assert private.status_code == 200
    assert "no-store" in private["Cache-Control"]
    assert not private.has_header("ETag")
    assert not shared(private)


def test_large_print_is_switched_without_a_csrf_token_and_kept_apart(
    kept, home, django_assert_num_queries
):
    browser = Client(enforce_csrf_checks=True)
    standard = browser.get("/")

    switched = browser.post("/display/", {"large_print": "on", "next": "/"})
    remembered = browser.cookies[LARGE_PRINT_COOKIE].value
    large = browser.get("/")
    large_again = assert_from_cache(browser, django_assert_num_queries, "/")
    revalidated = browser.get("/", HTTP_IF_NONE_MATCH=standard["ETag"])
    browser.post("/display/", {"large_print": "off", "next": "/"})
    standard_again = browser.get("/")

    assert 'class="govuk-template large-print"' not in standard.content.decode()
    assert switched.status_code == 302
    assert remembered == "1"
    assert 'class="govuk-template large-print"' in large.content.decode()
    assert "Switch to standard print" in large.content.decode()
    assert large_again.content == large.content
    assert "private" in large["Cache-Control"]
    assert "public" not in large["Cache-Control"]
    assert revalidated.status_code == 200
    assert 'class="govuk-template large-print"' not in standard_again.content.decode()
    assert_shared(standard_again)


def test_large_print_is_switched_for_a_signed_in_reader_without_a_csrf_token(home, reader):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)

    switched = browser.post("/display/", {"large_print": "on", "next": "/"})
    page = browser.get("/")

    assert switched.status_code == 302
    assert 'class="govuk-template large-print"' in page.content.decode()
    assert "no-store" in page["Cache-Control"]


@pytest.fixture
def kept_in_redis(settings):
    """Pages kept in a Redis database of this test's own."""
    redis.Redis.from_url(REDIS_DATABASE).flushdb()
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "hub.cache.RedisCache",
            "LOCATION": REDIS_DATABASE,
        },
    }
    settings.HUB_PAGE_CACHE = "pages"
    yield
    redis.Redis.from_url(REDIS_DATABASE).flushdb()


def test_pages_kept_in_redis_are_served_from_it_and_purged(
    client, kept_in_redis, committing, public_page, django_assert_num_queries
):
    client.get(public_page.url)
    assert_from_cache(client, django_assert_num_queries, public_page.url)
    assert redis.Redis.from_url(REDIS_DATABASE).dbsize() >= 2

    with committing():
        public_page.title = "Threshold document, kept in Redis"
        public_page.save_revision().publish()

    assert "kept in Redis" in client.get(public_page.url).content.decode()


def changed_quietly(page, title):
    """Change what a page shows without announcing it, as if nothing had changed."""
    Page.objects.filter(pk=page.pk).update(title=title, draft_title=title)


def forget_kept_pages():
    """Remove the pages kept in Redis, leaving the site's generation."""
    kept_in = redis.Redis.from_url(REDIS_DATABASE)
    for key in kept_in.scan_iter(match="*page-cache:page:*"):
        kept_in.delete(key)


def eventually_shows(client, url, text, seconds=5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in client.get(url).content.decode():
            return True
        time.sleep(0.05)
    return False


def another_process_changes_the_generation(*, announce=True):
    """What a change in another process does to the shared cache: a new generation, published."""
    store, generation = caches["pages"], uuid.uuid4().hex
    store.set(page_cache.GENERATION, generation, None)
    if announce:
        store.publish(page_cache.GENERATION, generation)


def test_a_process_serves_its_own_copy_until_another_process_announces_a_change(
    client, kept_in_redis, public_page
):
    client.get(public_page.url)
    changed_quietly(public_page, "Threshold document, second edition")
    forget_kept_pages()

    from_the_process = client.get(public_page.url).content.decode()
    another_process_changes_the_generation()

    assert "second edition" not in from_the_process
    assert eventually_shows(client, public_page.url, "second edition")


def test_a_process_that_lost_its_subscription_reads_the_generation_afresh(
    client, kept_in_redis, public_page
):
    client.get(public_page.url)
    changed_quietly(public_page, "Threshold document, second edition")

    # Changes made while the process could not hear them are found when it listens again.
    redis.Redis.from_url(REDIS_DATABASE).client_kill_filter(_type="pubsub")
    another_process_changes_the_generation(announce=False)

    assert eventually_shows(client, public_page.url, "second edition")


def test_a_processs_copies_stay_within_their_size_and_generation():
    copies = page_cache.ProcessCopies(limit=10)
    copies.heard("one")
    copies.keep("a", {"generation": "one", "content": b"123456"})
    copies.keep("b", {"generation": "one", "content": b"1234"})
    copies.keep("c", {"generation": "one", "content": b"12"})
    copies.keep("old", {"generation": "before", "content": b"1"})
    copies.keep("huge", {"generation": "one", "content": b"12345678901"})

    kept = {key for key in ("a", "b", "c", "old", "huge") if copies.get(key)}
    copies.heard("two")

    assert kept == {"b", "c"}
    assert copies.get("b") is None


@pytest.fixture
def front_proxy(settings):
    """A proxy on a free loopback port that records the PURGE requests it is sent."""
    purged = []

    class Proxy(BaseHTTPRequestHandler):
        def do_PURGE(self):
            purged.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    yield purged
    server.shutdown()
    server.server_close()


def test_a_front_proxy_keeps_pages_briefly_and_is_told_which_changed(
    client, front_proxy, committing, role_groups, public_page, settings
):
    with committing():
        child = public_page.add_child(instance=Page(title="Level two", slug="level-two"))
        child.save_revision().publish()
    response = client.get(public_page.url)
    front_proxy.clear()

    with committing():
        set_page_audience(page=public_page, audience=Audience.STAFF)

    assert f"s-maxage={settings.HUB_FRONT_CACHE_SECONDS}" in response["Cache-Control"]
    assert sorted(front_proxy) == ["/threshold/", "/threshold/level-two/"]
