"""The demo loader: complete, repeatable, and refused where it would be unsafe."""

import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, Revision, Site, WorkflowPage

from hub.demo import DEMO_ACCOUNTS, SUPERUSER, demo_password
from hub.models import GlossaryTerm, HomePage, HubSettings, Notice, Profile
from policies import selectors as policy_selectors
from policies.models import Acknowledgement, PolicyPage, PolicyVersion, VersionAttachment


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot():
    User = get_user_model()
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": list(User.objects.order_by("username").values_list("username", "password")),
        "memberships": User.groups.through.objects.count(),
        "sites": list(Site.objects.values_list("hostname", "root_page_id")),
        "settings": HubSettings.objects.count(),
        "glossary": GlossaryTerm.objects.count(),
        "versions": list(PolicyVersion.objects.values_list("page__slug", "number", "revision_id")),
        "attachments": VersionAttachment.objects.count(),
        "workflows": WorkflowPage.objects.count(),
        "agencies": list(Profile.objects.order_by("user").values_list("user", "agency__name")),
        "acknowledgements": Acknowledgement.objects.count(),
    }


# Tests that need a database without the demo come first (see ``module_transaction``).


@pytest.mark.django_db
def test_load_demo_is_refused_when_settings_forbid_demo_accounts(settings):
    settings.HUB_DEMO_CONTENT_ALLOWED = False

    with pytest.raises(CommandError, match="refused"):
        load_demo()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_load_demo_rebuilds_a_flushed_database():
    Site.objects.all().delete()
    Page.objects.all().delete()
    Collection.objects.all().delete()

    load_demo()

    assert Page.get_first_root_node().get_children().type(HomePage).exists()
    assert Collection.get_first_root_node() is not None


@pytest.fixture(scope="module")
def demo_output(module_transaction):
    """The demo, loaded once into a new database for the tests below; what it printed.

    What waits for the load to commit runs, as it would.
    """
    with TestCase.captureOnCommitCallbacks(execute=True):
        return load_demo()


@pytest.mark.django_db
def test_load_demo_replaces_the_starter_page_with_the_home_page(demo_output):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing(demo_output):
    before = snapshot()

    load_demo()

    assert snapshot() == before


@pytest.mark.django_db
def test_load_demo_prints_every_account_and_each_can_sign_in(demo_output, client):
    for account in DEMO_ACCOUNTS:
        assert account.username in demo_output
        assert client.login(username=account.username, password=demo_password())
        assert (
            get_user_model()
            .objects.get(username=account.username)
            .groups.filter(name=account.role)
            .exists()
        )
        assert not get_user_model().objects.get(username=account.username).is_superuser
    assert f"{SUPERUSER.username}  " in demo_output.split("To set the site up")[1]
    assert get_user_model().objects.get(username=SUPERUSER.username).is_superuser


@pytest.mark.django_db
def test_demo_policies_have_their_versions_and_dates(demo_output):
    threshold = PolicyVersion.objects.filter(page__slug="threshold-document").order_by("number")
    assert [(v.number, str(v.effective_from)) for v in threshold] == [
        (1, "2013-04-01"),
        (2, "2015-01-12"),
    ]
    assert sorted(threshold.last().attachments.values_list("title", flat=True)) == [
        "Appendix A: indicators of neglect at each level",
        "LSCB Threshold Document 2015 (printable)",
    ]
    transfer = PolicyVersion.objects.get(page__slug="transfer-protocol", number=2)
    assert str(transfer.effective_from) == "2015-01-15"
    assert PolicyVersion.objects.values("page").distinct().count() == 6


@pytest.mark.django_db
def test_demo_documents_sit_in_their_policys_audience_collection(demo_output, client):
    attached = VersionAttachment.objects.values("document")
    documents = get_document_model().objects.filter(pk__in=attached)
    assert len(documents) == 2
    assert {document.collection.name for document in documents} == {"Public"}
    assert not get_document_model().objects.filter(collection__depth=1).exists()
    assert {client.get(document.url).status_code for document in documents} == {200}


@pytest.mark.django_db
def test_a_first_search_of_the_demo_finds_words_only_in_its_appendix_on_their_page(
    demo_output, client
):
    """The demo's attachments are real PDFs, read for search as the demo loads."""
    results = BeautifulSoup(
        client.get("/search/", {"q": "home conditions checklist"}).content, "html.parser"
    ).select(".hub-result")

    [appendix] = [r for r in results if "Attached document" in r.get_text()]
    assert (
        "Appendix A: indicators of neglect at each level of LSCB Threshold Document, version 2"
        in (appendix.get_text(" ", strip=True))
    )
    assert "Found on page 3" in appendix.get_text()
    link = appendix.select_one("h3 a")["href"]
    assert link.endswith("#page=3")
    assert client.get(link.split("#")[0])["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_demo_accounts_work_for_agencies(demo_output):
    agencies = dict(Profile.objects.values_list("user__username", "agency__name"))

    assert agencies["staff"] == "Children's Services"
    assert agencies["partner"] == "Health"
    assert agencies["member"] == "Police"
    assert {account.username for account in DEMO_ACCOUNTS} <= set(agencies)


@pytest.mark.django_db
def test_demo_acknowledgements_show_agencies_at_different_stages(demo_output):
    threshold = PolicyPage.objects.get(slug="threshold-document")
    report = policy_selectors.acknowledgement_report(threshold.versions.first())

    rates = {group.name: (group.confirmed, group.total) for group in report.agencies}
    assert len(rates) >= 3
    assert any(confirmed == total for confirmed, total in rates.values())
    assert any(confirmed < total for confirmed, total in rates.values())


@pytest.mark.django_db
def test_loading_the_demo_emails_nobody(demo_output):
    assert not Notice.objects.exists()
