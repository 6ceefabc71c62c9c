"""Editing policies in Wagtail's admin: publishing needs a note, review dates must be ahead."""

import datetime

from django.urls import reverse
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from hub.audiences import Audience
from policies.models import PolicyPage
from tests.cases import failures


def form_data(page, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "kind": page.kind,
        "summary": page.summary,
        "body": streamfield([("text", rich_text("<p>Edited wording.</p>"))]),
        "related_policies": inline_formset([]),
        "comments": inline_formset([]),
        "policy_owner": page.policy_owner_id,
        "approver": page.approver_id,
        "audience": page.audience,
        "audience_group": "",
        "review_interval_months": page.review_interval_months,
        "review_by": "",
        "effective_from": "",
        "amendment_note": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(changes)
    return nested_form_data(data)


def edit(client, user, page, **changes):
    client.force_login(user)
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), form_data(page, **changes)
    )


def test_publishing_without_a_note_is_refused_with_a_message(client, people, make_policy):
    page = make_policy()

    response = edit(client, people["approver"], page, **{"action-publish": "publish"})

    assert response.status_code == 200
    assert "Say what changed in this version before publishing it." in response.content.decode()
    assert page.versions.count() == 1
    assert PolicyPage.objects.get(pk=page.pk).live_revision_id == page.live_revision_id


def test_reusing_the_last_note_is_refused(client, people, make_policy):
    page = make_policy()

    response = edit(
        client,
        people["approver"],
        page,
        amendment_note="First version.",
        **{"action-publish": "publish"},
    )

    assert "This is the note of version 1" in response.content.decode()
    assert page.versions.count() == 1


def test_a_review_date_in_the_past_is_refused(client, people, make_policy):
    page = make_policy()

    response = edit(client, people["editor"], page, review_by="2015-01-01")

    assert "The review date must be in the future." in response.content.decode()


def test_saving_a_draft_needs_no_note_and_leaves_the_live_version(client, people, make_policy):
    page = make_policy()

    response = edit(client, people["editor"], page)

    assert response.status_code == 302
    assert page.versions.count() == 1
    assert "Cases transfer" in str(PolicyPage.objects.get(pk=page.pk).body.raw_data)


def test_an_approver_publishes_a_version_with_a_note(client, people, make_policy):
    page = make_policy(effective=datetime.date(2015, 1, 15))

    response = edit(
        client,
        people["approver"],
        page,
        amendment_note="Wording clarified.",
        **{"action-publish": "publish"},
    )

    assert response.status_code == 302
    version = page.versions.get(number=2)
    assert version.amendment_note == "Wording clarified."
    assert version.published_by == people["approver"]
    assert version.effective_from == datetime.date.today()


def test_editors_cannot_publish_directly(client, people, make_policy):
    page = make_policy()

    edit(client, people["editor"], page, amendment_note="Attempt.", **{"action-publish": "publish"})

    assert page.versions.count() == 1


def test_readers_cannot_open_the_editor(client, people, make_policy):
    page = make_policy(audience=Audience.PUBLIC)

    def refused(role):
        client.force_login(people[role])
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code in (302, 403)

    assert failures(["staff", "partner", "panel_member"], refused) == []


def test_the_review_report_lists_policies_due_soon(client, people, make_policy):
    make_policy(title="Due soon", review_by=datetime.date.today() + datetime.timedelta(days=10))
    make_policy(title="Far off", effective=datetime.date.today())
    client.force_login(people["editor"])

    html = client.get(reverse("policies_due_for_review")).content.decode()

    assert "Due soon" in html
    assert "Far off" not in html


def test_the_home_page_shows_editors_what_is_due_for_review(client, people, make_policy):
    make_policy(title="Overdue protocol", effective=datetime.date(2014, 1, 1))

    editor_home = (client.force_login(people["editor"]) or client.get("/")).content.decode()
    staff_home = (client.force_login(people["staff"]) or client.get("/")).content.decode()

    assert "Policies due for review" in editor_home and "Overdue protocol" in editor_home
    assert "Policies due for review" not in staff_home


def test_a_version_cannot_be_backdated_before_the_last(client, people, make_policy):
    page = make_policy(effective=datetime.date(2015, 1, 15))

    response = edit(
        client,
        people["approver"],
        page,
        amendment_note="Backdated.",
        effective_from="2014-12-01",
        **{"action-publish": "publish"},
    )

    assert "Version 1 took effect on 15 January 2015" in response.content.decode()
    assert page.versions.count() == 1


def test_an_editor_previews_a_policy_before_it_is_first_saved(client, people, library, owner):
    client.force_login(people["editor"])
    preview = reverse(
        "wagtailadmin_pages:preview_on_add", args=["policies", "policypage", library.pk]
    )
    draft = PolicyPage(
        title="Unsaved transfer protocol",
        slug="unsaved-transfer-protocol",
        kind="protocol",
        summary="How cases move between teams.",
        policy_owner=owner,
        approver=people["approver"],
        audience=Audience.STAFF,
        review_interval_months=12,
    )

    checked = client.post(preview, form_data(draft, slug=draft.slug))
    shown = client.get(preview)

    assert checked.json() == {"is_valid": True, "is_available": True}
    assert shown.status_code == 200
    assert "Unsaved transfer protocol" in shown.content.decode()
    assert "Edited wording." in shown.content.decode()
