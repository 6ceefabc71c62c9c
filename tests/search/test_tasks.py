"""Refreshes queued for a worker, as in production: the save returns, the worker catches up."""

import pytest
from django.core.management import call_command

from hub.audiences import Audience
from tests.search.conftest import run


@pytest.fixture
def queued(settings):
    """Tasks wait in the database for ``manage.py db_worker``, as production settings say."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def work_off_the_queue() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


# The worker ends its rounds by closing connections a test transaction would hold open.
@pytest.mark.django_db(transaction=True)
def test_a_publish_is_found_once_the_worker_has_refreshed_its_records(
    engine, queued, make_policy, people
):
    make_policy(title="Queued transfer protocol", audience=Audience.PUBLIC)
    assert run(people["anonymous"], "queued").total == 0

    work_off_the_queue()

    assert run(people["anonymous"], "queued").total == 1


@pytest.mark.django_db(transaction=True)
def test_an_unpublished_policy_leaves_search_once_the_worker_has_run(
    engine, queued, make_policy, people
):
    policy = make_policy(title="Queued transfer protocol", audience=Audience.PUBLIC)
    work_off_the_queue()

    policy.unpublish()
    assert run(people["anonymous"], "queued").total == 1
    work_off_the_queue()

    assert run(people["anonymous"], "queued").total == 0
