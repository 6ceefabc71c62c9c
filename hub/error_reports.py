"""Unhandled errors reported, by email to ADMINS and to Sentry when ``SENTRY_DSN`` is set.

Minutes and decisions are written about children. A report carries where the fault is
(the exception, the files and lines of the stack, the path without its query string) and
the request id that finds its log line; never local variables, bodies, query strings,
cookies, headers, settings, names or addresses. The exception's own message is kept: it
is what locates the fault, and the Hub's own messages name no one.
"""

import sentry_sdk
from django.conf import settings
from django.views.debug import ExceptionReporter
from sentry_sdk.integrations.django import DjangoIntegration


class PlainReporter(ExceptionReporter):
    """Django's error report, cut to the exception, the stack and the request's address."""

    @property
    def text_template_path(self):
        return settings.BASE_DIR / "templates" / "errors" / "report.txt"


KEPT_REQUEST_FIELDS = ("method", "url")


def scrub(event: dict, hint: dict) -> dict:
    """The event with everything that could name a person or a child taken out."""
    request = event.get("request")
    if request:
        kept = {field: request[field] for field in KEPT_REQUEST_FIELDS if field in request}
        if "url" in kept:
            kept["url"] = kept["url"].split("?", 1)[0]
        event["request"] = kept
    event.pop("user", None)
    # Breadcrumbs name cache keys (a session's among them), queries and log lines: the
    # request id finds the same trail in the site's own log.
    event.pop("breadcrumbs", None)
    return event


def start_reporting(*, dsn: str, environment: str, release: str = "") -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub,
        traces_sample_rate=0,
    )
