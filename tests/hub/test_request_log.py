"""A log line per request (id, user id, status, duration), and production's JSON lines."""

import io
import json
import logging
import logging.config

import pytest

from tests.hub.test_settings import STRONG_KEY, settings_value

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "hub.example.org",
    "DEFAULT_FROM_EMAIL": "hub@example.org",
}


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "hub.requests"]


def test_each_request_is_logged_with_its_id_status_and_duration(client, caplog, home):
    with caplog.at_level(logging.INFO, logger="hub.requests"):
        response = client.get("/?q=child+Z")

    [record] = request_lines(caplog)
    assert (record.method, record.path, record.status, record.user_id) == ("GET", "/", 200, None)
    assert record.duration_ms >= 0
    assert response["X-Request-ID"] == record.request_id
    assert "child" not in record.getMessage()


def test_a_signed_in_reader_is_logged_by_id_never_by_name(client, caplog, people, home):
    client.force_login(people["staff"])

    with caplog.at_level(logging.INFO, logger="hub.requests"):
        client.get("/")

    [record] = request_lines(caplog)
    assert record.user_id == people["staff"].pk
    assert people["staff"].username not in str(record.__dict__.values())


def test_a_proxys_request_id_is_kept_and_a_forged_one_replaced(client, caplog, home):
    with caplog.at_level(logging.INFO, logger="hub.requests"):
        kept = client.get("/", HTTP_X_REQUEST_ID="proxy-1234abcd")
        replaced = client.get("/", HTTP_X_REQUEST_ID="bad\nid 200 GET /admin")

    assert kept["X-Request-ID"] == "proxy-1234abcd"
    assert "\n" not in replaced["X-Request-ID"] and len(replaced["X-Request-ID"]) == 32


def test_a_page_not_found_is_one_line_not_an_error_with_a_traceback(client, caplog, home):
    with caplog.at_level(logging.INFO):
        response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert [record.status for record in request_lines(caplog)] == [404]
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert not [record for record in caplog.records if record.exc_info]


def test_production_writes_json_lines_and_mails_errors_to_admins():
    logging_config = json.loads(
        settings_value(
            "hub.settings.production",
            "__import__('json').dumps({'logging': settings.LOGGING, 'admins': settings.ADMINS})",
            ADMINS="Duty Officer <duty@example.org>, ops@example.org",
            **PRODUCTION,
        )
    )
    assert logging_config["admins"] == [
        ["Duty Officer", "duty@example.org"],
        ["", "ops@example.org"],
    ]
    assert "mail_admins" in logging_config["logging"]["loggers"]["django.request"]["handlers"]
    formatter = logging_config["logging"]["formatters"]["json"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.config.DictConfigurator({}).configure_custom(dict(formatter)))
    record = logging.LogRecord("hub.requests", logging.INFO, __file__, 1, "GET / 200", (), None)
    record.request_id, record.status = "abc12345", 200
    handler.emit(record)

    line = json.loads(stream.getvalue())
    assert (line["logger"], line["level"], line["message"]) == ("hub.requests", "INFO", "GET / 200")
    assert (line["request_id"], line["status"]) == ("abc12345", 200)
