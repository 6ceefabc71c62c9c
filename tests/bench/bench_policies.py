"""A policy page with 200 versions against a plain Wagtail page on the same base template.

Run with ``make bench`` or ``python -m tests.bench.bench_policies``.
"""

import datetime
import json

from tests.bench.harness import print_table, setup_django, time_get

VERSIONS = 200
GOAL = 1.5


def build():
    from django.contrib.auth import get_user_model

    from hub import roles
    from hub.audiences import Audience, set_page_audience
    from hub.demo import GLOSSARY
    from hub.models import GlossaryTerm
    from hub.site_setup import ensure_home_page
    from policies.models import PolicyIndexPage, PolicyPage, PolicyVersion
    from tests.testapp.models import PlainPage

    home = ensure_home_page()
    groups = roles.ensure_roles()
    reader = get_user_model().objects.create_user("reader", password="bench-password-1")
    reader.groups.add(groups[roles.STAFF])
    text = "<p>" + " ".join(["A CIN case transfers when the CAF plan is agreed."] * 8) + "</p>"

    for term, expansion, *_ in GLOSSARY:
        GlossaryTerm.objects.create(term=term, expansion=expansion)
    plain = home.add_child(instance=PlainPage(title="Plain page", slug="plain", body=text * 6))
    plain.save_revision().publish()
    # Both pages are for staff only, so both pay for Wagtail's privacy check.
    set_page_audience(page=plain, audience=Audience.STAFF)

    library = home.add_child(instance=PolicyIndexPage(title="Policies", slug="policies"))
    library.save_revision().publish()
    policy = library.add_child(
        instance=PolicyPage(
            title="Transfer Protocol",
            slug="transfer-protocol",
            kind="protocol",
            summary="When and how a case moves between teams.",
            body=json.dumps([{"type": "text", "value": text, "id": f"b{n}"} for n in range(6)]),
            policy_owner=reader,
            approver=reader,
            audience=Audience.STAFF,
            amendment_note="First version.",
            effective_from=datetime.date(2013, 6, 3),
        )
    )
    policy.save_revision().publish()
    first = policy.versions.get()
    PolicyVersion.objects.bulk_create(
        PolicyVersion(
            page=policy,
            number=number,
            revision_id=first.revision_id,
            title=policy.title,
            amendment_note=f"Change {number}",
            effective_from=first.effective_from + datetime.timedelta(days=number),
            published_by=reader,
            review_due=first.review_due,
        )
        for number in range(2, VERSIONS + 1)
    )
    return reader, plain, policy


def main() -> None:
    setup_django()
    from django.test import Client

    reader, plain, policy = build()
    client = Client()
    client.force_login(reader)
    baseline = time_get(client, plain.url, "plain Wagtail page, staff only (baseline)")
    timings = [
        time_get(client, policy.url, f"policy page, {VERSIONS} versions"),
        time_get(client, f"{policy.url}versions/", f"versions list, {VERSIONS} versions"),
        time_get(client, f"{policy.url}versions/100/", "an old version"),
        time_get(client, f"{policy.url}?on=2013-09-01", "in force on a date"),
    ]
    print_table("Policy pages: server time through Django's test client", timings, baseline, GOAL)


if __name__ == "__main__":
    main()
