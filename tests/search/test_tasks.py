"""Search with background work queued for a worker, as in production.

The records every embedded search reads change with the content, at once; an
engine with an index of its own is told by a task, so the save never waits on it.
"""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from hub.audiences import Audience
from search.models import SearchRecord
from tests.search.conftest import run, use_engine

ENGINE_UPDATES = DBTaskResult.objects.filter(task_path="search.tasks.update_engine")


@pytest.fixture
def queued(settings):
    """Tasks wait in the database for ``manage.py db_worker``, as production settings say."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_publish_and_an_unpublish_change_search_at_once(engine, queued, make_policy, people):
    if engine == "elasticsearch":
        pytest.skip("Elasticsearch keeps an index of its own, told by the worker")
    policy = make_policy(title="Queued transfer protocol", audience=Audience.PUBLIC)
    assert run(people["anonymous"], "queued").total == 1

    policy.unpublish()

    assert run(people["anonymous"], "queued").total == 0
    assert not ENGINE_UPDATES.exists()


# The worker ends its rounds by closing connections a test transaction would hold open.
@pytest.mark.django_db(transaction=True)
def test_elasticsearch_is_told_by_the_worker_not_during_the_save(queued, settings, make_policy):
    use_engine(settings, "elasticsearch", url="http://127.0.0.1:9")
    policy = make_policy(title="Queued transfer protocol", audience=Audience.PUBLIC)

    key = f"policy:{policy.pk}"
    assert SearchRecord.objects.filter(key=key).exists()
    [update] = ENGINE_UPDATES.filter(status="READY")
    assert key in update.args_kwargs["args"][1]

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    # The server is down: the worker logs it and a rebuild catches up later.
    assert ENGINE_UPDATES.get().status == "SUCCESSFUL"
