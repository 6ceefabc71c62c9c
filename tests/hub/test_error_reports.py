"""What an error report carries: where the fault is, never who or what it was about."""

import sys

from django.test import RequestFactory

from hub.error_reports import PlainReporter, scrub

CHILD = "Jamie Doe"


def failing_report() -> str:
    request = RequestFactory().get(
        "/panels/masp/meetings/2014-12/", {"q": CHILD}, HTTP_COOKIE="sessionid=s3cr3tsession"
    )
    request.request_id = "0123456789abcdef"
    minutes = f"{CHILD} was discussed"
    try:
        raise ValueError("The meeting has no chair")
    except ValueError:
        report = PlainReporter(request, *sys.exc_info(), is_email=True).get_traceback_text()
    assert minutes
    return report


def test_the_emailed_report_locates_the_fault():
    report = failing_report()
    assert "ValueError at /panels/masp/meetings/2014-12/" in report
    assert "The meeting has no chair" in report
    assert "Request: GET /panels/masp/meetings/2014-12/" in report
    assert "Request id: 0123456789abcdef" in report
    assert 'test_error_reports.py", line' in report


def test_the_emailed_report_holds_no_content_cookies_or_settings():
    report = failing_report()
    assert CHILD not in report
    assert "s3cr3tsession" not in report
    assert "SECRET_KEY" not in report
    assert "META" not in report


def test_a_sentry_event_keeps_only_the_method_and_address_without_query():
    event = {
        "request": {
            "method": "POST",
            "url": "https://hub.example/search/?q=Jamie+Doe",
            "query_string": "q=Jamie+Doe",
            "cookies": {"sessionid": "s3cr3tsession"},
            "headers": {"User-Agent": "x", "Cookie": "sessionid=s3cr3tsession"},
            "data": {"minutes": CHILD},
            "env": {"REMOTE_ADDR": "10.0.0.9"},
        },
        "user": {"id": 7, "username": "jdoe", "email": "j@example.org"},
        "breadcrumbs": {
            "values": [
                {"category": "redis", "message": "GET hub:1:sessions.cached_dbs3cr3tsession"}
            ]
        },
        "exception": {"values": [{"type": "ValueError", "value": "The meeting has no chair"}]},
    }
    scrubbed = scrub(event, {})
    assert scrubbed["request"] == {"method": "POST", "url": "https://hub.example/search/"}
    assert "user" not in scrubbed
    assert "breadcrumbs" not in scrubbed
    assert scrubbed["exception"]["values"][0]["value"] == "The meeting has no chair"
    for secret in (CHILD, "Jamie", "s3cr3tsession", "jdoe", "10.0.0.9"):
        assert secret not in repr(scrubbed)
