"""Anonymous readers' pages: marked so that shared caches may keep them, validated, and kept.

A response is *shared* only when all of these hold, and is otherwise left as it
was made (signed-in pages stay ``private, no-store``, see
``hub.middleware.PrivateResponseMiddleware``):

- a view that serves public content made it (``shareable``, applied in ``hub.urls``);
- it answers a GET or HEAD from a reader who is not signed in and sent no cookie
  that could change the page (no session, no messages: only the CSRF cookie and
  the large-print preference are allowed, and large print is part of the key);
- it is a complete 200 that sets no cookie and that its view did not mark
  ``private``, ``no-store`` or ``no-cache`` (private feeds and calendars do);
  a restricted page answers anonymous readers with a redirect to sign in, so it
  is never shared.

A shared response loses ``Vary: Cookie`` (the session is read on every request,
but nothing personal is on the page), gains an ``ETag`` and ``Last-Modified``,
answers a conditional GET with 304, and says ``public``, or ``private`` in large
print so that no shared cache hands large print to everyone. Behind a front
proxy (``WAGTAILFRONTENDCACHE``) it also says how long the proxy may keep it,
and the proxy must pass requests that carry cookies to the site, as Varnish does
unless told otherwise.

When ``HUB_PAGE_CACHE`` names a cache every process shares (Redis), shared
responses are kept there, by address and reading preference, for
``HUB_PAGE_CACHE_SECONDS`` and never past the day they were made (pages say
what is overdue, and no change announces a day going by).

Any published change (``hub.changes``) makes every kept page stale at once by
replacing the site's *generation*, which each kept page records. Many pages
show any one thing (lists, search results, navigation, glossary marks in every
policy), so purging page by page would have to know every place a thing
appears, and a place missed would go on showing a page after it was
restricted. Replacing one value is complete and costs one render per address
afterwards. The generation is a random token rather than a count, so one
evicted from the cache and made afresh never matches pages kept before.

Each process also keeps copies of the pages it served (``ProcessCopies``, up to
``HUB_PAGE_CACHE_PROCESS_BYTES``), and serves them without asking Redis while
it knows the site's generation: a thread of its own subscribes to the
generations each change publishes. The process making a change drops its copies
at once; the others as Redis delivers the message, within milliseconds. A
process that is not subscribed, having just started or lost its connection,
keeps no copies and asks Redis for every page until it is subscribed again and
has read the generation afresh.
"""

import hashlib
import logging
import os
import threading
import time
import uuid
from collections import OrderedDict
from functools import wraps

import redis
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
from wagtail.models import Page

from hub.cache import LISTENER_HEALTH_CHECK_SECONDS, RedisCache
from hub.search_types import page_ids
from hub.views import LARGE_PRINT_COOKIE

GENERATION = "page-cache:generation"
logger = logging.getLogger(__name__)
# Cookies that do not change a page for a reader who is not signed in, or that
# are part of the key.
HARMLESS_COOKIES = frozenset({settings.CSRF_COOKIE_NAME, LARGE_PRINT_COOKIE})
PERSONAL_DIRECTIVES = frozenset({"private", "no-store", "no-cache"})


def shareable(view):
    """Mark a view as one serving public content, which may be shared when served anonymously."""

    @wraps(view)
    def shareable_view(request, *args, **kwargs):
        request.shareable_view = True
        return view(request, *args, **kwargs)

    return shareable_view


class SharedPageMiddleware:
    """Serves kept pages, and marks, validates and keeps the responses that may be shared.

    It comes before the session, CSRF and authentication middleware, so that a
    kept page is served without them and a fresh one is judged as they left it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not _cookies_harmless(request):
            return self.get_response(request)
        store = _store()
        copies = _copies(store)
        key = _key(request)
        generation = None
        if store is not None:
            entry = copies.get(key) if copies else None
            if entry is None:
                generation, entry = _lookup(store, key)
                if entry is not None and copies:
                    copies.keep(key, entry)
            if entry is not None:
                return _conditional(request, _response(entry))
        response = self.get_response(request)
        if not _may_share(request, response):
            return response
        _mark(request, response)
        if store is not None and request.method == "GET":
            entry = _entry(generation, response)
            store.set(key, entry, settings.HUB_PAGE_CACHE_SECONDS)
            if copies:
                copies.keep(key, entry)
        return _conditional(request, response)


def changed(owners=None, **kwargs) -> None:
    """Every kept page is stale: the next request for each is made afresh.

    A receiver of ``hub.signals.records_changed``, ``all_records_changed`` and
    ``site_changed``, which are sent once the change has committed, so a page
    made after this reads the change. A front proxy is told to drop the pages
    the change names (a restriction or a move names every page beneath); what
    it keeps of other pages that show them lasts ``HUB_FRONT_CACHE_SECONDS``.
    """
    store = _store()
    if store is not None:
        _replace_generation(store, uuid.uuid4().hex, add=False)
    pages = page_ids(owners)
    if getattr(settings, "WAGTAILFRONTENDCACHE", None) and pages:
        purge_pages_from_cache(Page.objects.filter(pk__in=pages))


def _store():
    alias = settings.HUB_PAGE_CACHE
    return caches[alias] if alias else None


class ProcessCopies:
    """The pages this process has served from Redis or made, kept while it knows the generation.

    ``generation`` is the site's generation as last heard, or None while this
    process is not subscribed to changes and so keeps nothing. Copies are
    dropped oldest first beyond ``limit`` bytes of content, and after
    ``HUB_PAGE_CACHE_SECONDS`` as in Redis.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.generation = None
        self._entries = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            entry, expires = found
            if expires < time.monotonic() or entry["generation"] != self.generation:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def keep(self, key: str, entry: dict) -> None:
        size = len(entry["content"])
        with self._lock:
            if (
                entry["generation"] != self.generation
                or self.generation is None
                or size > self.limit
            ):
                return
            self._drop(key)
            self._entries[key] = (entry, time.monotonic() + settings.HUB_PAGE_CACHE_SECONDS)
            self._size += size
            while self._size > self.limit:
                self._drop(next(iter(self._entries)))

    def heard(self, generation: str | None) -> None:
        """The site's generation is now ``generation`` (None: unknown); every copy is stale."""
        with self._lock:
            self.generation = generation
            self._entries.clear()
            self._size = 0

    def _drop(self, key: str) -> None:
        found = self._entries.pop(key, None)
        if found is not None:
            self._size -= len(found[0]["content"])


class _Listener:
    """One process's subscription to the generations of one Redis cache, in a thread."""

    RETRY_SECONDS = 1.0

    def __init__(self, store: RedisCache):
        self.store = store
        self.copies = ProcessCopies(settings.HUB_PAGE_CACHE_PROCESS_BYTES)
        self.pid = os.getpid()
        threading.Thread(target=self._run, name="page-cache-listener", daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                self._listen()
            except (redis.RedisError, OSError) as error:
                self.copies.heard(None)
                logger.warning("Page cache listener lost Redis (%s); retrying", error)
            except Exception:
                # Copies are trusted only while this thread listens: whatever stops it, it
                # forgets the generation first and starts again.
                self.copies.heard(None)
                logger.exception("Page cache listener failed; retrying")
            time.sleep(self.RETRY_SECONDS)

    def _listen(self) -> None:
        subscription = self.store.subscribe(GENERATION)
        try:
            # Read after subscribing, so no change falls between the two.
            self.copies.heard(self.store.get(GENERATION))
            while True:
                # Waking now and then lets redis-py check the connection with a PING.
                message = subscription.get_message(timeout=LISTENER_HEALTH_CHECK_SECONDS)
                if message is not None and message["type"] == "message":
                    self.copies.heard(message["data"].decode())
        finally:
            subscription.close()


_listeners: dict[str, _Listener] = {}
_listeners_lock = threading.Lock()


def _copies(store) -> ProcessCopies | None:
    """This process's copies of pages kept in ``store``, when it is a Redis cache."""
    if not isinstance(store, RedisCache):
        return None
    place = store.channel(GENERATION)
    listener = _listeners.get(place)
    if listener is None or listener.pid != os.getpid():
        # A process forked from one that listened has no thread listening for it.
        with _listeners_lock:
            listener = _listeners.get(place)
            if listener is None or listener.pid != os.getpid():
                listener = _listeners[place] = _Listener(store)
    return listener.copies


def _cookies_harmless(request) -> bool:
    return request.COOKIES.keys() <= HARMLESS_COOKIES


def _large_print(request) -> bool:
    return request.COOKIES.get(LARGE_PRINT_COOKIE) == "1"


def _key(request) -> str:
    # build_absolute_uri checks the host against ALLOWED_HOSTS, as a fresh page would.
    address = request.build_absolute_uri()
    reading = "large" if _large_print(request) else "standard"
    day = timezone.localdate().isoformat()
    digest = hashlib.sha256(f"{reading} {day} {address}".encode()).hexdigest()
    return f"page-cache:page:{digest}"


def _replace_generation(store, generation: str, *, add: bool) -> None:
    """Make ``generation`` the site's (only if it has none, with ``add``) and tell every process."""
    if add:
        if not store.add(GENERATION, generation, None):
            return
    else:
        store.set(GENERATION, generation, None)
    if isinstance(store, RedisCache):
        store.publish(GENERATION, generation)
        # This process drops its copies at once; a process that never served a page has none.
        listener = _listeners.get(store.channel(GENERATION))
        if listener is not None:
            listener.copies.heard(generation)


def _lookup(store, key):
    """The site's generation, and the entry kept at ``key`` if it was made in that generation."""
    found = store.get_many([GENERATION, key])
    generation = found.get(GENERATION)
    if generation is None:
        # Whoever adds it first sets it for everyone; nothing kept can be of it yet.
        _replace_generation(store, uuid.uuid4().hex, add=True)
        return store.get(GENERATION), None
    entry = found.get(key)
    if entry is None or entry["generation"] != generation:
        return generation, None
    return generation, entry


def _response(entry) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for header, value in entry["headers"]:
        response[header] = value
    return response


def _entry(generation, response) -> dict:
    return {
        "generation": generation,
        "status": response.status_code,
        "headers": list(response.items()),
        "content": response.content,
    }


def _may_share(request, response) -> bool:
    user = getattr(request, "user", None)
    return (
        getattr(request, "shareable_view", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (user is not None and user.is_authenticated)
        and not (_directives(response) & PERSONAL_DIRECTIVES)
    )


def _directives(response) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.split("=")[0].strip().lower() for part in header.split(",") if part.strip()}


def _mark(request, response) -> None:
    vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    kept = [v for v in vary if v.lower() != "cookie"]
    if kept:
        response["Vary"] = ", ".join(kept)
    elif "Vary" in response:
        del response["Vary"]
    if _large_print(request):
        # Large print is keyed here, but a shared cache keys on the address alone.
        response["Cache-Control"] = "private, max-age=0, must-revalidate"
    else:
        directives = ["public", "max-age=0", "must-revalidate"]
        if getattr(settings, "WAGTAILFRONTENDCACHE", None):
            directives.append(f"s-maxage={settings.HUB_FRONT_CACHE_SECONDS}")
        response["Cache-Control"] = ", ".join(directives)
    if not response.has_header("ETag"):
        set_response_etag(response)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(time.time())


def _conditional(request, response):
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )
