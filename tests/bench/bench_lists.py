"""Lists as the record grows: each page at demo size, with one full page, and with years.

Run with ``make bench`` or ``python -m tests.bench.bench_lists``. It loads the
demo and times each page; adds the first few weeks of history before the
demo's meetings and 20 policies, so that every list fills its first page, and
times them again; then adds the rest of 300 policies (published, as an editor
would) and years of history: 2,000 weekly meetings in all (505 of them under
MASP) with 5,000 decisions and 20,000 actions, and times them a third time, in
the same process. The goal: every page within 1.5 times its time with one full
page. The demo's lists are shorter than a page (11 actions against a page of
50), so growth from the demo counts the rows shown as well as the records
held; both are printed. Windows (a calendar's last year, a panel page's latest
year) hold what the demo's hold.
"""

import datetime
import io
import itertools
import json

from tests.bench.harness import setup_django, time_get

GOAL = 1.5
POLICIES = 300
MEETINGS = 2_000
MASP_MEETINGS = 505
# Enough for every list's first page: 20 policies, and actions and decisions from 40 meetings.
FULL_PAGE_POLICIES = 20
FULL_PAGE_MEETINGS = 40
DECISIONS_PER_MEETING = (2, 3)  # alternately: 5,000 in all
ACTIONS_PER_MEETING = 10
REPEAT = 20
# Who asks for each page, and where it is (the panel page's address is read from the site).
PAGES = (
    ("/actions/ page 1", "secretary", "/actions/"),
    ("/policies/", "secretary", "/policies/"),
    ("/policies/", None, "/policies/"),
    ("home", "member", "/"),
    ("/meetings/calendar.ics", "member", "/meetings/calendar.ics"),
    ("MASP panel page", "member", "masp"),
    ("/decisions/", "member", "/decisions/"),
    ("/search/?q=threshold", "member", "/search/?q=threshold"),
    ("threshold document", "member", "threshold"),
)


def addresses() -> dict[str, str]:
    from panels.models import PanelPage
    from policies.models import PolicyPage

    return {
        "masp": PanelPage.objects.get(short_code="MASP").url,
        "threshold": PolicyPage.objects.get(slug="threshold-document").url,
    }


def time_pages(clients) -> dict[tuple[str, str | None], object]:
    found = addresses()
    return {
        (label, who): time_get(clients[who], found.get(url, url), label, repeat=REPEAT, warmup=2)
        for label, who, url in PAGES
    }


def signed_in_clients():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.factories import enrol

    clients = {None: Client()}
    for username in {who for _, who, _ in PAGES if who}:
        user = get_user_model().objects.get(username=username)
        enrol(user)  # as everyone who may use the admin has, before any page opens
        clients[username] = Client()
        clients[username].force_login(user)
    return clients


def add_policies(numbers: range) -> None:
    from django.contrib.auth import get_user_model

    from hub.audiences import Audience
    from policies.models import PolicyIndexPage, PolicyKind, PolicyPage

    users = get_user_model().objects
    editor, approver = users.get(username="editor"), users.get(username="approver")
    library = PolicyIndexPage.objects.get()
    audiences = itertools.cycle([Audience.PUBLIC, Audience.PARTNERS, Audience.STAFF])
    kinds = itertools.cycle(PolicyKind.values)
    for number in numbers:
        page = library.add_child(
            instance=PolicyPage(
                title=f"Local procedure {number}",
                slug=f"local-procedure-{number}",
                kind=next(kinds),
                summary=f"How teams handle situation {number} under the threshold document.",
                body=json.dumps([{"type": "text", "value": "<p>Steps.</p>", "id": "b1"}]),
                policy_owner=editor,
                approver=approver,
                audience=next(audiences),
                amendment_note="First version.",
                effective_from=datetime.date(2014, 1, 1) + datetime.timedelta(days=number),
            )
        )
        page.save_revision(user=editor).publish(user=approver)


def meeting_schedule(count: int, masp_count: int) -> list[tuple[object, int]]:
    """Each panel's weekly meetings before the demo's, as (panel, weeks before), latest first."""
    from panels.models import PanelPage

    panels = list(PanelPage.objects.order_by("pk"))
    masp = next(panel for panel in panels if panel.short_code == "MASP")
    others = [panel for panel in panels if panel is not masp]
    shares = {masp: masp_count}
    for position, panel in enumerate(others):
        shares[panel] = (count - masp_count) // len(others) + (
            position < (count - masp_count) % len(others)
        )
    weeks = [(panel, week) for panel, share in shares.items() for week in range(1, share + 1)]
    return sorted(weeks, key=lambda item: item[1])


def add_meetings(schedule, *, demo_begins: datetime.datetime) -> None:
    """Years of weekly meetings of each panel before the demo's, as years of use leave them.

    Nine in ten of their actions were done; one in ten was left open (overdue now).
    """
    from django.contrib.auth import get_user_model
    from simple_history.utils import bulk_create_with_history

    from hub.audiences import Audience
    from panels import services
    from panels.models import Action, Decision, MeetingPage

    owners = list(get_user_model().objects.filter(username__in=["member", "secretary", "staff"]))
    decisions = itertools.cycle(DECISIONS_PER_MEETING)
    actions = []
    for panel, weeks_before in schedule:
        panel_group = panel.members_group if panel.minutes_audience == Audience.PANEL else None
        starts_at = demo_begins - datetime.timedelta(weeks=weeks_before, hours=panel.pk)
        meeting = MeetingPage(
            title=f"{panel.short_code} meeting {starts_at:%-d %B %Y}",
            slug=f"{starts_at:%Y-%m-%d}",
            starts_at=starts_at,
            confidential_minutes="<p>Confidential.</p>",
            agenda=[("item", {"title": "Cases", "presenter": "", "minutes": "<p>Met.</p>"})],
            first_published_at=starts_at + datetime.timedelta(days=2),
        )
        for number in range(next(decisions)):
            meeting.decisions.add(
                Decision(
                    title=f"Case {number + 1}",
                    decision="The case moves to the locality team.",
                    decision_maker="The panel",
                )
            )
        services.assign_decision_references(
            panel=panel,
            meeting=meeting,
            starts_at=starts_at,
            decisions=meeting.decisions.all(),
        )
        panel.add_child(instance=meeting)
        services.restrict_meeting(meeting=meeting)
        for number in range(1, ACTIONS_PER_MEETING + 1):
            done_on = starts_at.date() + datetime.timedelta(weeks=3)
            done = number % 10 != 0
            actions.append(
                Action(
                    reference=f"{panel.short_code}/{starts_at:%Y-%m-%d}/A{number}",
                    description=f"Follow up case {number} with the family's school.",
                    owner=owners[number % len(owners)],
                    owner_name=owners[number % len(owners)].get_full_name(),
                    owner_agency="Police",
                    raised_on=starts_at.date(),
                    due_on=starts_at.date() + datetime.timedelta(weeks=4),
                    status="done" if done else "open",
                    completed_on=done_on if done else None,
                    panel=panel,
                    meeting=meeting,
                    audience=panel.minutes_audience,
                    audience_group=panel_group,
                )
            )
    bulk_create_with_history(
        actions, Action, batch_size=2_000, default_change_reason="Raised at the meeting."
    )


def print_growth(demo: dict, full: dict, bulk: dict) -> None:
    print(
        f"\nLists as the record grows: demo; one full page ({FULL_PAGE_POLICIES} policies, "
        f"{FULL_PAGE_MEETINGS} meetings); then {POLICIES} policies, {MEETINGS:,} meetings "
        f"({MASP_MEETINGS} under MASP), 5,000 decisions, {MEETINGS * ACTIONS_PER_MEETING:,} "
        "actions (Django test client; ms: the least processor time of this process over "
        f"{REPEAT} requests at each size, and the time on the clock with the history)"
    )
    header = (
        f"{'page':<24} {'as':<10} {'demo':>7} {'page':>7} {'bulk':>7} {'bulk p50':>9} "
        f"{'bulk p95':>9} {'queries':>9} {'vs demo':>8} {'vs page':>8}"
    )
    print(header)
    print("-" * len(header))
    missed = []
    for key, small in demo.items():
        one_page, large = full[key], bulk[key]
        # Judged on the least processor time: other work on a shared machine only adds to it.
        growth = large.cpu_least / one_page.cpu_least
        if growth > GOAL:
            missed.append(key[0])
        queries = f"{small.queries}/{large.queries}"
        print(
            f"{key[0]:<24} {key[1] or 'anonymous':<10} {small.cpu_least:>7.1f} "
            f"{one_page.cpu_least:>7.1f} {large.cpu_least:>7.1f} {large.median:>9.1f} "
            f"{large.p95:>9.1f} {queries:>9} "
            f"{large.cpu_least / small.cpu_least:>7.2f}x {growth:>7.2f}x"
        )
    verdict = "meets it" if not missed else f"MISSES it: {', '.join(missed)}"
    print(f"goal: every page within {GOAL}x of its time with one full page: {verdict}")


def main() -> None:
    setup_django()
    from django.core.management import call_command

    from hub import changes
    from panels.models import MeetingPage

    call_command("load_demo", stdout=io.StringIO())
    clients = signed_in_clients()
    at_demo_size = time_pages(clients)
    demo_begins = MeetingPage.objects.order_by("starts_at").first().starts_at
    schedule = meeting_schedule(MEETINGS, MASP_MEETINGS)
    # Search is rebuilt once each addition is in, as the demo loader does.
    with changes.deferred():
        add_policies(range(1, FULL_PAGE_POLICIES + 1))
        add_meetings(schedule[:FULL_PAGE_MEETINGS], demo_begins=demo_begins)
    with_full_pages = time_pages(clients)
    with changes.deferred():
        add_policies(range(FULL_PAGE_POLICIES + 1, POLICIES + 1))
        add_meetings(schedule[FULL_PAGE_MEETINGS:], demo_begins=demo_begins)
    print_growth(at_demo_size, with_full_pages, time_pages(clients))


if __name__ == "__main__":
    main()
