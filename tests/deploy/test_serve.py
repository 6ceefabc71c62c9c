"""``make serve``: the production processes, started as a deployment starts them, and tried.

The site runs under production settings (``tests.deploy.settings`` adds one address that
fails on purpose) against a database of its own on the suite's PostgreSQL and Redis, on a
loopback port. Mail goes to an SMTP server and error reports to a Sentry-shaped HTTP
endpoint, both started here, so what leaves the site is read as it arrived.
"""

import gzip
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import brotli
import psycopg
import pytest

from tests.hub.test_settings import STRONG_KEY
from tests.mail import SmtpServer, free_port

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith("postgres") and REDIS_URL),
    reason="make serve runs on PostgreSQL and Redis: CI's PostgreSQL run (DATABASE_URL, "
    "REDIS_URL) starts it",
)

# Secrets a request carries that no log line, email or error report may repeat.
CHILD = "Jamie Doe"
SESSION = "s3cr3tsessionvalue"
STARTUP_SECONDS = 240
ADMIN = "duty@example.org"


def wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        outcome = condition()
        if outcome:
            return outcome
        time.sleep(0.25)
    raise AssertionError(f"Within {seconds} s: {what}")


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def answering(url: str):
    def check():
        try:
            return fetch(url)
        except OSError:
            return None

    return check


class SentryInbox(BaseHTTPRequestHandler):
    """Takes Sentry's envelopes, as its ingest endpoint would, and keeps them as text."""

    received: list[str]

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        self.received.append(body.decode())
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


class Served:
    """The running site: its address, environment, log and what reached its mail and Sentry."""

    def __init__(self, *, url, env, log, mailbox, sentry, database, run_dir):
        self.url = url
        self.env = env
        self.log = log
        self.mailbox = mailbox
        self.sentry = sentry
        self.database = database
        self.run_dir = run_dir

    def get(self, path: str, **headers):
        # The site is HTTPS-only behind a proxy, which says so in this header.
        return fetch(self.url + path, **{"X-Forwarded-Proto": "https", **headers})

    def manage_shell(self, code: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def query(self, sql: str, *params):
        with psycopg.connect(self.database, autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()

    def log_lines(self) -> list[dict]:
        lines = []
        for line in self.log.read_text().splitlines():
            if line.startswith("{"):
                lines.append(json.loads(line))
        return lines

    def log_line(self, **fields) -> dict | None:
        return next(
            (
                line
                for line in self.log_lines()
                if all(line.get(name) == value for name, value in fields.items())
            ),
            None,
        )


def own_database(name: str) -> str:
    return DATABASE_URL.rsplit("/", 1)[0] + "/" + name


def admin_sql(sql: str) -> None:
    with psycopg.connect(own_database("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def production_env(**extra) -> dict:
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_")) and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "tests.deploy.settings",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEFAULT_FROM_EMAIL": "Safeguarding Hub <hub@example.org>",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
        **extra,
    }


def start(command: list[str], *, env: dict, log: Path) -> subprocess.Popen:
    """``command`` in a process group of its own, so that stopping it stops its children."""
    with log.open("w") as output:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=45)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    name = f"hub_serve_{uuid.uuid4().hex[:12]}"
    admin_sql(f"CREATE DATABASE {name}")
    smtp = SmtpServer().start()
    mailbox = smtp.mailbox
    SentryInbox.received = []
    sentry = ThreadingHTTPServer(("127.0.0.1", 0), SentryInbox)
    threading.Thread(target=sentry.serve_forever, daemon=True).start()
    port = free_port()
    env = production_env(
        DATABASE_URL=own_database(name),
        REDIS_URL=REDIS_URL.rsplit("/", 1)[0] + "/8",
        CACHE_KEY_PREFIX=name,
        HOST="127.0.0.1",
        PORT=str(port),
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        HUB_RUN_DIR=str(folder / "run"),
        ADMINS=f"Duty Officer <{ADMIN}>",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        HUB_PUBLISH_EVERY_SECONDS="1",
        SENTRY_DSN=f"http://public@127.0.0.1:{sentry.server_address[1]}/1",
    )
    log = folder / "serve.log"
    process = start(["make", "--no-print-directory", "serve"], env=env, log=log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: process.poll() is None and answering(url + "/healthz")(),
            seconds=STARTUP_SECONDS,
            what=f"make serve answers /healthz; its output:\n{log.read_text()[-3000:]}",
        )
        yield Served(
            url=url,
            env=env,
            log=log,
            mailbox=mailbox,
            sentry=SentryInbox.received,
            database=own_database(name),
            run_dir=folder / "run",
        )
    finally:
        stop(process)
        smtp.stop()
        sentry.shutdown()
        admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_health_is_answered_without_a_cookie_and_never_kept(served):
    status, headers, body = served.get("/healthz")
    assert status == 200, body
    report = json.loads(body)
    assert report["status"] == "ok"
    assert set(report["checks"]) == {"database", "cache", "tasks", "search"}
    assert "Set-Cookie" not in headers
    assert "no-store" in headers["Cache-Control"]
    assert fetch(served.url + "/readyz")[0] == 200


def test_the_home_page_has_its_hashed_stylesheets_compressed_and_kept_a_year(served):
    status, _, body = served.get("/")
    assert status == 200
    (govuk,) = re.findall(
        r'href="(/static/vendor/govuk-frontend/govuk-frontend\.min\.[0-9a-f]{12}\.css)"',
        body.decode(),
    )
    (hub,) = re.findall(r'href="(/static/css/hub\.[0-9a-f]{12}\.css)"', body.decode())

    for stylesheet, rule in ((govuk, b".govuk-summary-list"), (hub, b".hub-table-container")):
        status, headers, plain = served.get(stylesheet)
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert "max-age=315360000" in headers["Cache-Control"]
        assert "immutable" in headers["Cache-Control"]
        assert rule in plain

        status, headers, squeezed = served.get(stylesheet, **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert len(squeezed) < len(plain)
        assert gzip.decompress(squeezed) == plain


def test_the_pages_script_and_the_module_it_imports_are_served(served):
    _, _, body = served.get("/")
    (script,) = re.findall(r'src="(/static/js/hub\.[0-9a-f]{12}\.js)"', body.decode())
    status, _, source = served.get(script)
    assert status == 200
    (imported,) = re.findall(rb'from "([^"]+)"', source)

    status, headers, _ = served.get(urljoin(script, imported.decode()))
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")


def test_health_names_the_database_when_it_is_down(served, tmp_path):
    port = free_port()
    env = {
        **served.env,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/gone",
        "PORT": str(port),
    }
    web = start(["sh", "scripts/serve", "web"], env=env, log=tmp_path / "web.log")
    try:
        status, _, body = wait_for(
            answering(f"http://127.0.0.1:{port}/healthz"),
            seconds=60,
            what="a web server whose database is down answers /healthz",
        )
    finally:
        stop(web)
    assert status == 503
    report = json.loads(body)
    assert report["status"] == "failing"
    assert report["checks"]["database"]["ok"] is False
    assert report["checks"]["cache"]["ok"] is True
    # A load balancer asks every few seconds: nobody is emailed for each answer.
    assert not [email for _, email in served.mailbox.messages if "healthz" in email["Subject"]]


def test_a_task_queued_by_a_publish_is_run_by_the_worker(served):
    (before,) = served.query("SELECT now()")[0]
    served.manage_shell(
        "from hub.models import HomePage; "
        "home = HomePage.objects.get(); home.save_revision().publish()"
    )

    def all_run():
        rows = served.query(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE enqueued_at >= %s", before
        )
        return rows and all(status == "SUCCESSFUL" for (status,) in rows)

    wait_for(all_run, seconds=20, what="the worker runs the tasks the publish queued")


def test_a_scheduled_page_is_published_by_the_scheduler(served):
    home_id = served.manage_shell(
        "from datetime import timedelta; "
        "from django.utils import timezone; "
        "from hub.models import HomePage; "
        "home = HomePage.objects.get(); "
        "home.title = 'Safeguarding Hub, as scheduled'; "
        "home.go_live_at = timezone.now() + timedelta(seconds=5); "
        "home.save_revision(approved_go_live_at=home.go_live_at).publish(); "
        "print(home.pk)"
    )
    # Scheduled, not published at once: the live title is still the old one.
    assert served.query("SELECT title FROM wagtailcore_page WHERE id = %s", int(home_id)) != [
        ("Safeguarding Hub, as scheduled",)
    ]

    wait_for(
        lambda: b"Safeguarding Hub, as scheduled" in served.get("/")[2],
        seconds=30,
        what="the scheduler publishes the scheduled revision and the home page shows it",
    )
    wait_for(
        lambda: any(
            line.get("logger") == "hub.schedule" and line["message"].startswith("Scheduled job")
            for line in served.log_lines()
        ),
        seconds=10,
        what="the scheduler logs the job it ran",
    )


def test_a_dead_worker_is_started_again(served):
    supervisor = (served.run_dir / "supervisord.pid").read_text().strip()

    def worker_pid():
        children = subprocess.run(
            ["ps", "-o", "pid=,args=", "--ppid", supervisor],
            capture_output=True,
            text=True,
        ).stdout
        return next((line.split()[0] for line in children.splitlines() if "db_worker" in line), "")

    first = wait_for(worker_pid, seconds=10, what="the worker is running")
    os.kill(int(first), signal.SIGKILL)
    wait_for(
        lambda: worker_pid() not in {"", first},
        seconds=20,
        what="supervisord starts the worker again",
    )


def test_an_unhandled_error_is_emailed_logged_and_reported_without_personal_data(served):
    status, _, body = served.get(
        f"/_fail/?q={CHILD.replace(' ', '+')}", Cookie=f"sessionid={SESSION}"
    )
    assert status == 500
    assert CHILD.encode() not in body
    assert b"A fault on purpose" not in body

    recipients, email = wait_for(
        lambda: next(
            (sent for sent in served.mailbox.messages if "_fail" in sent[1]["Subject"]), None
        ),
        seconds=20,
        what="an error email reaches the SMTP server",
    )
    assert recipients == [ADMIN]
    assert email["Subject"].endswith("Internal Server Error: /_fail/")
    text = email.get_payload(decode=True).decode()
    assert "RuntimeError" in text
    assert "A fault on purpose" in text

    error = wait_for(
        lambda: served.log_line(logger="django.request", level="ERROR"),
        seconds=10,
        what="a JSON log line for the error",
    )
    assert error["message"] == "Internal Server Error: /_fail/"
    failing_request = wait_for(
        lambda: served.log_line(logger="hub.requests", path="/_fail/"),
        seconds=10,
        what="the request's own JSON log line, written once the response is out",
    )
    assert failing_request["status"] == 500

    report = wait_for(
        lambda: next((entry for entry in served.sentry if "RuntimeError" in entry), None),
        seconds=20,
        what="Sentry receives the error",
    )
    assert "A fault on purpose" in report

    for leaked_to in (text, served.log.read_text(), report):
        assert CHILD not in leaked_to
        assert CHILD.replace(" ", "+") not in leaked_to
        assert SESSION not in leaked_to, leaked_to[max(0, leaked_to.find(SESSION) - 400) :][:500]
