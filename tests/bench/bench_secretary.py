"""A secretary's admin screens beside Wagtail's own edit view with as many inline rows.

Run with ``make bench`` or ``python -m tests.bench.bench_secretary``. It loads the
demo, adds a MASP meeting (8 April 2015) with 20 attendees and 10 decisions, and
open MASP actions raised at an earlier meeting: first 20, then 200. As the demo
secretary it times the meeting's edit page, its matters arising (every open
action a row of five fields) and the admin's action log (a page of 20); as a
superuser, Wagtail's edit view of a plain page with the same number of inline
rows of five fields each. The goal: each screen within 1.5 times its yardstick,
and the same number of queries at 20 and at 200 open actions.
"""

import datetime
import io

from tests.bench.harness import print_table, setup_django, time_get

GOAL = 1.5
FEW, MANY = 20, 200
ATTENDEES, DECISIONS = 20, 10
ACTION_LOG_ROWS = 20  # the admin listing's page
REPEAT = 20


def new_meeting():
    """The 8 April 2015 MASP meeting a secretary prepares, published as the demo's are."""
    from panels.models import Decision, MeetingAttendee, MeetingPage, PanelPage

    masp = PanelPage.objects.get(short_code="MASP")
    meeting = MeetingPage(
        title="MASP meeting, 8 April 2015",
        starts_at=datetime.datetime.fromisoformat("2015-04-08T10:00+01:00"),
        confidential_minutes="<p>Confidential.</p>",
        agenda=[("item", {"title": "Cases", "presenter": "", "minutes": "<p>Met.</p>"})],
    )
    for number in range(ATTENDEES):
        meeting.attendees.add(MeetingAttendee(name=f"Member {number}", agency="Police"))
    for number in range(DECISIONS):
        meeting.decisions.add(
            Decision(
                reference=f"MASP/2015/04/D{number + 1}",
                title=f"Case {number}",
                decision="The case moves to the locality team.",
                decision_maker="The panel",
            )
        )
    masp.add_child(instance=meeting)
    meeting.save_revision().publish()
    return meeting


def add_open_actions(count: int, *, start: int) -> None:
    """Open MASP actions raised at its first demo meeting, owned by a member."""
    from simple_history.utils import bulk_create_with_history

    from panels.models import Action, MeetingPage, PanelPage

    masp = PanelPage.objects.get(short_code="MASP")
    first = MeetingPage.objects.child_of(masp).order_by("starts_at").first()
    member = masp.memberships.exclude(user=None).first()
    bulk_create_with_history(
        [
            Action(
                reference=f"MASP/BENCH/A{number}",
                description=f"Follow up case {number} with the family's school.",
                owner=member.user,
                owner_name=member.name,
                owner_agency=member.agency,
                raised_on=first.local_start.date(),
                due_on=datetime.date(2015, 5, 1),
                panel=masp,
                meeting=first,
                audience=masp.minutes_audience,
            )
            for number in range(start, start + count)
        ],
        Action,
        default_change_reason="Raised for the benchmark.",
    )


def rows_page(rows: int):
    """Wagtail's yardstick: a plain page with ``rows`` inline rows of five fields."""
    from wagtail.models import Page

    from tests.testapp.models import Row, RowsPage

    page = RowsPage(title=f"{rows} rows", slug=f"rows-{rows}")
    for number in range(rows):
        page.rows.add(Row(progress=f"Row {number}.", reason="Because."))
    Page.objects.get(depth=2).add_child(instance=page)
    page.save_revision().publish()
    return f"/admin/pages/{page.pk}/edit/"


def clients():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.factories import UserFactory, enrol

    secretary = get_user_model().objects.get(username="secretary")
    root = UserFactory(username="bench-root", is_superuser=True)
    signed_in = {}
    for name, user in (("secretary", secretary), ("superuser", root)):
        if not user.authenticator_set.exists():
            enrol(user)  # as everyone who may use the admin has, before any page opens
        signed_in[name] = Client()
        signed_in[name].force_login(user)
    return signed_in


def main() -> None:
    setup_django()
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    meeting = new_meeting()
    people = clients()
    ours = {
        "meeting edit": f"/admin/pages/{meeting.pk}/edit/",
        "matters arising": f"/admin/panels/meetings/{meeting.pk}/matters-arising/",
        "action log": "/admin/snippets/panels/action/",
    }
    add_open_actions(FEW, start=1)
    few = time_get(people["secretary"], ours["matters arising"], "few", repeat=3, warmup=1)
    add_open_actions(MANY - FEW, start=FEW + 1)
    yardsticks = {
        "meeting edit": rows_page(ATTENDEES + DECISIONS),
        "matters arising": rows_page(MANY),
        "action log": rows_page(ACTION_LOG_ROWS),
    }
    print(
        f"\nA secretary's admin screens ({MANY} open MASP actions; Django test client, "
        f"{REPEAT} requests each) beside Wagtail's edit view with as many inline rows"
    )
    for name, url in ours.items():
        timing = time_get(people["secretary"], url, f"{name} (secretary)", repeat=REPEAT)
        rows = {"meeting edit": ATTENDEES + DECISIONS, "matters arising": MANY}.get(
            name, ACTION_LOG_ROWS
        )
        baseline = time_get(
            people["superuser"],
            yardsticks[name],
            f"Wagtail edit view, {rows} inline rows",
            repeat=REPEAT,
        )
        print_table(name, [timing], baseline, GOAL)
        if name == "matters arising":
            flat = "flat" if timing.queries == few.queries else "GROWS"
            print(
                f"queries with {FEW} open actions: {few.queries}; with {MANY}: "
                f"{timing.queries} ({flat})"
            )


if __name__ == "__main__":
    main()
