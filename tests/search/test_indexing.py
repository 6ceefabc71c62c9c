"""Records follow the content: publishing, new versions, unpublishing, moves, deletes, signals."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models.deletion import Collector

from hub import changes
from hub.audiences import Audience
from hub.models import Withdrawal
from policies.models import PolicyIndexPage, PolicyVersion
from search.models import SearchRecord
from search.sources import DEFAULT_SOURCES
from tests.search.conftest import publish, run, use_engine
from tests.testapp.models import Note


def test_publishing_a_policy_makes_it_findable_at_once(engine, make_policy, people):
    make_policy(title="Missing children protocol", audience=Audience.PUBLIC)
    assert run(people["anonymous"], "missing").total == 1


def test_a_new_version_replaces_the_text_and_keeps_the_old_as_a_past_version(
    engine, make_policy, approver_person, people
):
    from tests.search.conftest import body

    policy = make_policy(text="Cases pass on by telephone.", audience=Audience.PUBLIC)
    policy.body = body("Cases pass on in writing.")
    publish(policy, by=approver_person, note="Writing replaces calls.")
    assert run(people["anonymous"], "telephone").total == 0
    assert run(people["anonymous"], "writing").total == 1
    assert run(people["anonymous"], "telephone", include_past=True).total == 1
    assert set(SearchRecord.objects.values_list("key", flat=True)) == {
        f"policy:{policy.pk}",
        f"policy-version:{policy.pk}:1",
    }


def test_unpublishing_removes_the_records(engine, make_policy, people):
    policy = make_policy(title="Retired guidance", audience=Audience.PUBLIC)
    policy.unpublish()
    assert run(people["anonymous"], "retired").total == 0
    assert not SearchRecord.objects.filter(owner=f"page:{policy.pk}").exists()


def test_deleting_removes_the_records(engine, make_policy, people):
    policy = make_policy(title="Withdrawn guidance", audience=Audience.PUBLIC)
    # Recorded versions protect their revisions; a policy is deleted once they are gone.
    PolicyVersion.objects.filter(page=policy).delete()
    policy.delete()
    assert run(people["anonymous"], "withdrawn").total == 0
    assert not SearchRecord.objects.exists()


def test_moving_a_policy_updates_its_address(engine, make_policy, home, people):
    policy = make_policy(title="Archived protocol", audience=Audience.PUBLIC)
    archive = home.add_child(instance=PolicyIndexPage(title="Archive", slug="archive"))
    archive.save_revision().publish()
    policy.move(archive, pos="last-child")
    [hit] = run(people["anonymous"], "archived").hits
    assert hit.url == "/archive/archived-protocol/"


def test_changing_the_audience_changes_who_finds_it(engine, make_policy, approver_person, people):
    policy = make_policy(title="Escalation protocol", audience=Audience.PUBLIC)
    publish(policy, by=approver_person, note="Staff only now.", audience=Audience.STAFF)
    assert run(people["anonymous"], "escalation").total == 0
    assert run(people["staff"], "escalation").total == 1


def test_another_app_announces_its_changes_through_the_pipeline(engine, settings, people):
    settings.SEARCH_RECORD_SOURCES = (*DEFAULT_SOURCES, "tests.search.note_records.search_records")
    note = Note.objects.create(title="Carry the kestrel action forward", audience=Audience.PARTNERS)
    assert run(people["partner"], "kestrel").total == 0
    changes.announce([f"note:{note.pk}"])
    results = run(people["partner"], "kestrel")
    assert results.total == 1
    assert {facet.value for facet in results.facets["milestone"]} == {"M1", "M2"}
    assert run(people["partner"], "kestrel", milestone="M2").total == 1
    assert run(people["anonymous"], "kestrel").total == 0
    owner = f"note:{note.pk}"
    note.delete()
    changes.announce([owner])
    assert run(people["partner"], "kestrel").total == 0


def test_rebuild_reports_how_many_records_and_how_fast(make_policy, capsys):
    make_policy(title="One", audience=Audience.PUBLIC)
    make_policy(title="Two", audience=Audience.STAFF)
    SearchRecord.objects.all().delete()
    call_command("search_index", "rebuild")
    out = capsys.readouterr().out
    assert "Indexed 2 records" in out
    assert "records/s" in out
    assert SearchRecord.objects.count() == 2


@pytest.fixture
def unreachable_elasticsearch(settings):
    use_engine(settings, "elasticsearch", url="http://127.0.0.1:9")


def test_an_editor_can_publish_while_elasticsearch_is_down(unreachable_elasticsearch, make_policy):
    policy = make_policy(title="Published anyway", audience=Audience.PUBLIC)
    changes.settle()  # as the publish commits
    assert policy.live
    assert SearchRecord.objects.filter(key=f"policy:{policy.pk}").exists()


def test_readers_are_told_when_elasticsearch_is_down(unreachable_elasticsearch, client, db):
    response = client.get("/search/", {"q": "neglect"})
    assert response.status_code == 503
    assert "Search is not available just now" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_outside_a_transaction_also_compacts_the_index(engine, make_policy, people):
    """As ``manage.py search_index rebuild`` runs it; PostgreSQL can vacuum only there."""
    make_policy(title="Compacted protocol", audience=Audience.PUBLIC)
    call_command("search_index", "rebuild", verbosity=0)
    assert run(people["anonymous"], "compacted").total == 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables "
                "WHERE relname IN (%s, 'search_fts') AND last_vacuum IS NOT NULL",
                [SearchRecord._meta.db_table],
            )
            assert sorted(cursor.fetchall()) == [("search_fts",), (SearchRecord._meta.db_table,)]


@pytest.mark.django_db
def test_search_leaves_djangos_fast_delete_to_models_it_does_not_index():
    assert Collector(using="default").can_fast_delete(Withdrawal.objects.all())
