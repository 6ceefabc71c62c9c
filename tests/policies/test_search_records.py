"""What the policy library hands to search: each policy within its page's restrictions."""

import datetime

from wagtail.models import PageViewRestriction

from hub.audiences import Audience, set_page_audience
from hub.search_types import page_owner
from policies.search_records import CURRENT_KIND, PAST_KIND, search_records
from tests.policies.conftest import publish


def keys_by_kind(page):
    return {record.kind: record.audience_keys for record in search_records([page_owner(page.pk)])}


def test_a_policy_carries_its_own_audience_in_an_open_library(make_policy):
    policy = make_policy(audience=Audience.PUBLIC)

    assert keys_by_kind(policy) == {CURRENT_KIND: {"public"}}


def test_a_restricted_library_narrows_every_version_of_the_policies_beneath_it(
    library, make_policy, approver_person
):
    policy = make_policy(audience=Audience.PUBLIC)
    publish(policy, by=approver_person, note="Second.", effective=datetime.date(2015, 2, 1))

    set_page_audience(page=library, audience=Audience.STAFF)

    assert keys_by_kind(policy) == {CURRENT_KIND: {"staff"}, PAST_KIND: {"staff"}}


def test_a_policy_narrower_than_its_library_keeps_its_own_audience(
    library, make_policy, panel_group
):
    policy = make_policy(audience=Audience.PANEL, audience_group=panel_group)

    set_page_audience(page=library, audience=Audience.PARTNERS)

    assert keys_by_kind(policy) == {CURRENT_KIND: {f"group:{panel_group.pk}@partners"}}


def test_a_login_only_library_admits_every_signed_in_reader_of_public_policies(
    library, make_policy
):
    policy = make_policy(audience=Audience.PUBLIC)

    PageViewRestriction.objects.create(page=library, restriction_type=PageViewRestriction.LOGIN)

    assert keys_by_kind(policy) == {CURRENT_KIND: {"signed-in"}}
