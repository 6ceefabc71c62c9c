"""Lists as the record grows: each page at demo size and again with years of bulk data.

Run with ``make bench`` or ``python -m tests.bench.bench_lists``. It loads the
demo, times each page, then adds 300 policies (published, as an editor would)
and the years of history before the demo's meetings: 2,000 weekly meetings (505
of them under MASP) with 5,000 decisions and 20,000 actions. It indexes them for
search and times the same pages again in the same process. The goal: every page
within 1.5 times its demo-size time. Windows (a calendar's last year, a panel
page's latest year, a page of actions) hold what the demo's hold, so what is
measured is the cost of the history beside them.
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


def add_policies(count: int) -> None:
    from django.contrib.auth import get_user_model

    from hub.audiences import Audience
    from policies.models import PolicyIndexPage, PolicyKind, PolicyPage

    users = get_user_model().objects
    editor, approver = users.get(username="editor"), users.get(username="approver")
    library = PolicyIndexPage.objects.get()
    audiences = itertools.cycle([Audience.PUBLIC, Audience.PARTNERS, Audience.STAFF])
    kinds = itertools.cycle(PolicyKind.values)
    for number in range(1, count + 1):
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


def add_meetings(count: int, masp_count: int) -> None:
    """Years of weekly meetings of each panel before the demo's, as years of use leave them.

    Nine in ten of their actions were done; one in ten was left open (overdue now).
    """
    from django.contrib.auth import get_user_model
    from simple_history.utils import bulk_create_with_history

    from hub.audiences import Audience
    from panels import services
    from panels.models import Action, Decision, MeetingPage, PanelPage

    panels = list(PanelPage.objects.order_by("pk"))
    masp = next(panel for panel in panels if panel.short_code == "MASP")
    others = [panel for panel in panels if panel is not masp]
    shares = {masp: masp_count}
    for position, panel in enumerate(others):
        shares[panel] = (count - masp_count) // len(others) + (
            position < (count - masp_count) % len(others)
        )
    owners = list(get_user_model().objects.filter(username__in=["member", "secretary", "staff"]))
    decisions = itertools.cycle(DECISIONS_PER_MEETING)
    actions = []
    demo_begins = MeetingPage.objects.order_by("starts_at").first().starts_at
    for panel, share in shares.items():
        panel_group = panel.members_group if panel.minutes_audience == Audience.PANEL else None
        for week in range(share):
            starts_at = demo_begins - datetime.timedelta(weeks=week + 1, hours=panel.pk)
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


def print_growth(demo: dict, bulk: dict) -> None:
    print(
        f"\nLists as the record grows: demo, then + {POLICIES} policies, {MEETINGS:,} meetings "
        f"({MASP_MEETINGS} under MASP), 5,000 decisions, {MEETINGS * ACTIONS_PER_MEETING:,} "
        "actions (Django test client, server time in ms: on the clock, and this process's "
        "processor time)"
    )
    header = (
        f"{'page':<24} {'as':<10} {'demo p50':>9} {'bulk p50':>9} {'bulk p95':>9} "
        f"{'demo cpu':>9} {'bulk cpu':>9} {'queries':>8} {'growth':>7}"
    )
    print(header)
    print("-" * len(header))
    missed = []
    for key, small in demo.items():
        large = bulk[key]
        # Judged on processor time, which other work on a shared machine barely changes.
        growth = large.cpu_median / small.cpu_median
        if growth > GOAL:
            missed.append(key[0])
        print(
            f"{key[0]:<24} {key[1] or 'anonymous':<10} {small.median:>9.1f} {large.median:>9.1f} "
            f"{large.p95:>9.1f} {small.cpu_median:>9.1f} {large.cpu_median:>9.1f} "
            f"{f'{small.queries}/{large.queries}':>8} {growth:>6.2f}x"
        )
    verdict = "meets it" if not missed else f"MISSES it: {', '.join(missed)}"
    print(f"goal: every page within {GOAL}x of its demo-size processor time: {verdict}")


def main() -> None:
    setup_django()
    from django.core.management import call_command

    from hub import changes

    call_command("load_demo", stdout=io.StringIO())
    clients = signed_in_clients()
    at_demo_size = time_pages(clients)
    # Search is rebuilt once the bulk is in, as the demo loader does.
    with changes.deferred():
        add_policies(POLICIES)
        add_meetings(MEETINGS, MASP_MEETINGS)
    print_growth(at_demo_size, time_pages(clients))


if __name__ == "__main__":
    main()
