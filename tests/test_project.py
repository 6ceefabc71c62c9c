"""Project-wide checks: Django's system checks pass and no model change lacks a migration."""

import io

import pytest
from django.core.management import call_command


def test_system_checks_pass():
    out = io.StringIO()
    call_command("check", stdout=out)

    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=out)
    except SystemExit:
        pytest.fail(f"Missing migrations:\n{out.getvalue()}")
