"""Server time of a meeting page with 500 actions and the action log, beside a plain page.

Run with ``.venv/bin/python -m tests.bench.bench_panels [requests]``. It builds a
throwaway SQLite database under ``var/bench/`` with the site's roles and
accounts, one panel, a meeting with 500 actions raised and 500 reviewed, and
times each page over the same number of requests through Django's test
client, after a warm-up. The plain page is the home page, which uses the same
base template.
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
DATABASE = BASE_DIR / "var" / "bench" / "panels.sqlite3"
ACTIONS = 500
WARM_UP = 5
GOAL = 1.5


def configure() -> None:
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "hub.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    import django

    django.setup()


def build():
    """The site, one panel with a member, a meeting with many actions, and a later meeting."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from simple_history.utils import bulk_create_with_history

    from hub import demo
    from hub.audiences import Audience
    from panels import services
    from panels.models import (
        Action,
        MeetingPage,
        MembershipRole,
        PanelIndexPage,
        PanelMembership,
        PanelPage,
    )

    call_command("migrate", verbosity=0)
    home = demo.load()
    member = get_user_model().objects.get(username="member")
    index = home.add_child(instance=PanelIndexPage(title="Panels", slug="panels"))
    panel = PanelPage(
        title="Bench panel",
        slug="bench",
        short_code="BENCH",
        purpose="Measuring.",
        established_on=datetime.date(2014, 1, 1),
        minutes_audience=Audience.PARTNERS,
    )
    panel.memberships.add(
        PanelMembership(
            name="Mark Evans",
            agency="Police",
            role=MembershipRole.MEMBER,
            from_date=datetime.date(2014, 1, 1),
            user=member,
        )
    )
    index.add_child(instance=panel)
    pages = [index, panel]
    meetings = []
    for day in ("2015-01-14", "2015-02-11"):
        meeting = MeetingPage(
            title=f"Bench meeting {day}",
            slug=day,
            starts_at=datetime.datetime.fromisoformat(f"{day}T10:00+00:00"),
            confidential_minutes="<p>Confidential.</p>",
            agenda=[("item", {"title": "Cases", "presenter": "", "minutes": "<p>Minuted.</p>"})],
        )
        panel.add_child(instance=meeting)
        meetings.append(meeting)
    for page in [*pages, *meetings]:
        page.save_revision().publish()
    first, later = meetings
    bulk_create_with_history(
        [
            Action(
                reference=f"BENCH/2015/01/A{n}",
                description=f"Action number {n} raised for the benchmark.",
                owner=member,
                owner_name=member.get_full_name(),
                owner_agency="Police",
                raised_on=datetime.date(2015, 1, 14),
                due_on=datetime.date(2015, 3, 1),
                panel=panel,
                meeting=first,
                audience=Audience.PARTNERS,
            )
            for n in range(1, ACTIONS + 1)
        ],
        Action,
        default_change_reason="Raised for the benchmark.",
    )
    services.carry_forward_open_actions(meeting=later)
    return member, {
        "meeting page (500 actions)": first.url,
        "matters arising (500 reviewed)": later.url,
        "action log (500 actions)": "/actions/",
        "plain page (home, base.html)": "/",
    }


def timings(client, url: str, requests: int) -> list[float]:
    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200, url
    measured = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        measured.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return measured


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def report(results: dict[str, list[float]], requests: int) -> None:
    plain = statistics.median(results["plain page (home, base.html)"])
    width = max(len(name) for name in results)
    print(f"Server time over {requests} requests each (ms), SQLite, Django test client")
    print(f"{'page':<{width}}  {'median':>8}  {'p95':>8}  {'vs plain':>8}")
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name:<{width}}  {median:8.1f}  {p95(values):8.1f}  {median / plain:8.2f}")
    print(f"Goal: panel pages within {GOAL} times the plain page.")


def main(requests: int = 50) -> None:
    configure()
    from django.test import Client

    member, urls = build()
    client = Client()
    client.force_login(member)
    report({name: timings(client, url, requests) for name, url in urls.items()}, requests)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
