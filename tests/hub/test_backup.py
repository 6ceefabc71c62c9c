"""Backups: the database and the media in one archive, restored onto a new, empty site."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from wagtail.documents import get_document_model

from hub.backup import media_files
from tests.databases import build_site

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Documents beside the demo's own, one of them bytes no text file holds.
UPLOADS = {
    "minutes-march.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 40,
    "action-log.csv": b"reference,status\nMASP/2015/03/A1,open\n",
}


@dataclass(frozen=True)
class Source:
    """The site that was backed up: its archive, each table's rows, each document's bytes."""

    archive: Path
    tables: dict[str, int]
    documents: dict[str, bytes]


@dataclass(frozen=True)
class Target:
    """A new, empty database: its address, and a way to count its tables' rows."""

    url: str
    tables: Callable[[], dict[str, int]]


# SQLite's full-text index keeps its b-tree in rows whose number depends on how the index was
# written (a record at a time, or rebuilt at once), not on what it holds.
INDEX_STORAGE = {"search_fts_data", "search_fts_idx"}


def records(counts: dict[str, int]) -> dict[str, int]:
    return {table: count for table, count in counts.items() if table not in INDEX_STORAGE}


def table_counts(cursor, vendor: str) -> dict[str, int]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        (counts[table],) = cursor.fetchone()
    return counts


@pytest.fixture(scope="module")
def source(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo and a few uploads, committed and backed up once for the module."""
    media_root = Path(settings.MEDIA_ROOT)
    files_before = {name for _path, name in media_files(root=media_root)}
    folder = tmp_path_factory.mktemp("backups")
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
        for name, content in UPLOADS.items():
            get_document_model().objects.create(title=name, file=ContentFile(content, name=name))
        call_command("backup", output=folder, stdout=io.StringIO())
        with connection.cursor() as cursor:
            tables = table_counts(cursor, connection.vendor)
        documents = {}
        for document in get_document_model().objects.all():
            with document.file.open("rb") as stream:
                documents[document.file.name] = stream.read()
    (archive,) = folder.glob("hub-backup-*.tar")
    yield Source(archive=archive, tables=tables, documents=documents)
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        build_site()
    for path, name in media_files(root=media_root):
        if name not in files_before:
            path.unlink()


@pytest.fixture
def target(tmp_path):
    """A new, empty database of the kind the suite runs on, dropped afterwards."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def sqlite_tables():
            with closing(sqlite3.connect(path)) as restored:
                return table_counts(restored.cursor(), "sqlite")

        yield Target(url=f"sqlite:///{path}", tables=sqlite_tables)
        return
    name = f"hub_restore_{uuid.uuid4().hex[:12]}"
    server = urlsplit(os.environ["DATABASE_URL"])
    url = server._replace(path=f"/{name}").geturl()
    maintenance = server._replace(path="/postgres").geturl()

    def postgresql_tables():
        with psycopg.connect(url) as restored:
            return table_counts(restored.cursor(), "postgresql")

    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield Target(url=url, tables=postgresql_tables)
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore_elsewhere(archive: Path, *, database_url: str, media_root: Path):
    """``manage.py restore`` in a process of its own, as on a new server."""
    unsafe = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    # Search in the restored site's own database, not a shared server or cache.
    shared = {"REDIS_URL", "ELASTICSEARCH_URL", "SEARCH_ENGINE"}
    clean = {k: v for k, v in os.environ.items() if k not in unsafe | shared}
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), "--no-input"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "hub.settings.dev",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(media_root),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


def repacked(archive: Path, into: Path, change: Callable[[dict], dict]) -> Path:
    """A copy of ``archive`` with its members (name: bytes) changed by ``change``."""
    with tarfile.open(archive) as tar:
        members = {member.name: tar.extractfile(member).read() for member in tar.getmembers()}
    with tarfile.open(into, "w") as tar:
        for name, data in change(members).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return into


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def with_manifest(members: dict, change: Callable[[dict], None]) -> dict:
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    return {**members, "manifest.json": json.dumps(manifest).encode()}


@pytest.fixture
def empty_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_manifest_says_what_the_archive_holds(source):
    manifest = manifest_of(source.archive)

    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"] == source.tables
    leaves = dict(MigrationLoader(connection).graph.leaf_nodes())
    assert manifest["migrations"] == leaves
    listed = {entry["path"]: entry for entry in manifest["files"]}
    for name, content in source.documents.items():
        assert listed[f"media/{name}"]["size"] == len(content)
        assert listed[f"media/{name}"]["sha256"] == hashlib.sha256(content).hexdigest()
    with tarfile.open(source.archive) as tar:
        assert sorted(tar.getnames()) == sorted([*listed, "manifest.json"])


def test_an_archive_restores_onto_a_new_empty_database_and_media_folder(source, target, tmp_path):
    media_root = tmp_path / "media"

    result = restore_elsewhere(source.archive, database_url=target.url, media_root=media_root)

    assert result.returncode == 0, result.stderr
    assert records(target.tables()) == records(source.tables)
    assert len(source.documents) >= len(UPLOADS) + 1
    for name, content in source.documents.items():
        assert (media_root / name).read_bytes() == content
    assert "Rebuilding the search index" in result.stdout
    assert f"Restored {len(source.tables)} tables" in result.stdout
    assert f"{source.tables['search_searchrecord']:,} search records" in result.stdout
    assert f"{len(list(media_files(root=media_root)))} files" in result.stdout


def test_an_altered_file_is_refused_by_name(source, tmp_path, empty_media):
    name = f"media/{next(iter(source.documents))}"

    def altered_in_place(members):
        # The same size, so only the checksum can tell.
        return {**members, name: bytes(byte ^ 1 for byte in members[name])}

    altered = repacked(source.archive, tmp_path / "altered.tar", altered_in_place)

    with pytest.raises(CommandError, match=f"{name} does not match its checksum"):
        call_command("restore", str(altered), "--no-input")
    assert not empty_media.exists()


def test_a_file_missing_from_the_archive_is_refused_by_name(source, tmp_path, empty_media):
    name = f"media/{next(iter(source.documents))}"
    missing = repacked(
        source.archive,
        tmp_path / "missing.tar",
        lambda members: {key: data for key, data in members.items() if key != name},
    )

    with pytest.raises(CommandError, match=f"{name} is in the manifest but not in the archive"):
        call_command("restore", str(missing), "--no-input")


@pytest.mark.parametrize("escaping", ["media/../../escaped.txt", "/tmp/escaped.txt"])
def test_a_member_outside_the_archive_is_refused(source, tmp_path, empty_media, escaping):
    crafted = repacked(
        source.archive, tmp_path / "crafted.tar", lambda members: {**members, escaping: b"x"}
    )

    with pytest.raises(CommandError, match=f"member '{escaping}' points outside the archive"):
        call_command("restore", str(crafted), "--no-input")


def test_restoring_into_a_database_with_content_is_refused_and_changes_nothing(source, empty_media):
    with connection.cursor() as cursor:
        before = table_counts(cursor, connection.vendor)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(source.archive), "--no-input")

    message = str(refused.value)
    assert f"The database {connection.settings_dict['NAME']} is not empty" in message
    assert f"{len(connection.introspection.table_names())} tables" in message
    assert f"records {before['django_migrations']} applied migrations" in message
    with connection.cursor() as cursor:
        assert table_counts(cursor, connection.vendor) == before
    assert not empty_media.exists()


def test_an_archive_of_another_kind_of_database_is_refused(source, tmp_path, empty_media):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def from_other(manifest):
        manifest["database"]["vendor"] = other

    crafted = repacked(
        source.archive,
        tmp_path / "other.tar",
        lambda members: with_manifest(members, from_other),
    )

    with pytest.raises(
        CommandError,
        match=f"holds a {other} database and this site uses {connection.vendor}",
    ):
        call_command("restore", str(crafted), "--no-input")


def test_a_media_folder_with_files_is_refused(source, empty_media):
    (empty_media / "documents").mkdir(parents=True)
    (empty_media / "documents" / "kept.txt").write_bytes(b"already here")

    with pytest.raises(CommandError, match=f"The media folder {empty_media} is not empty"):
        call_command("restore", str(source.archive), "--no-input")
    assert (empty_media / "documents" / "kept.txt").read_bytes() == b"already here"
