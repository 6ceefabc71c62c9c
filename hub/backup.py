"""The whole site in one archive file, and that archive restored onto a new, empty site.

An archive is a tar of the database (``pg_dump``'s custom format, or a copy of the
SQLite file), every file under ``MEDIA_ROOT`` (as ``media/...``) and ``manifest.json``:
when and from what it was made, the migrations applied, each table's rows, and the
size and SHA-256 of every file beside it. The search index is not in it: a restore
rebuilds it from the restored content, wherever the engine is.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1 << 20
# How many of a non-empty target's tables a refusal names.
NAMED_TABLES = 5


class BackupError(Exception):
    """Why an archive could not be made or restored, in words for whoever ran the command."""


@dataclass(frozen=True)
class Snapshot:
    """What the database held at the moment it was dumped."""

    migrations: dict[str, str]
    tables: dict[str, int]


@dataclass(frozen=True)
class Unpacked:
    """An archive unpacked into a working folder, every file checked against its manifest."""

    folder: Path
    manifest: dict


@dataclass(frozen=True)
class RestoreSummary:
    """What a restore brought back."""

    tables: int
    rows: int
    files: int
    search_records: int


# Backing up ------------------------------------------------------------------------------


def archive_path(*, output: Path | None, made: datetime) -> Path:
    """``output`` itself, or a dated name in that folder (by default ``var/backups/``)."""
    if output is not None and not output.is_dir():
        return output
    folder = output or Path(settings.BASE_DIR) / "var" / "backups"
    return folder / f"hub-backup-{made:%Y%m%d-%H%M%S}.tar"


def create_backup(*, output: Path | None = None) -> Path:
    """Write the database, then the media, then the manifest to one archive; return its path.

    The archive is written under a hidden name and renamed only when complete, so a
    backup that failed or is still being written never looks like a finished one.
    """
    database_file = _database_file(vendor=connection.vendor)
    made = timezone.localtime()
    path = archive_path(output=output, made=made)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with (
            tempfile.TemporaryDirectory(dir=path.parent, prefix=".hub-backup-") as work,
            tarfile.open(partial, "w") as archive,
        ):
            dump = Path(work) / database_file
            snapshot = dump_database(dump=dump)
            # The database first, then the media: every file a row in the snapshot names
            # was saved before that row was committed, so it is there to be copied. A file
            # uploaded after the snapshot may be copied too, unnamed by any row, or simply
            # not be in this backup, as its row is not.
            files = [_add_file(archive=archive, path=dump, name=database_file)]
            for media, relative in media_files(root=Path(settings.MEDIA_ROOT)):
                try:
                    files.append(_add_file(archive=archive, path=media, name=f"{MEDIA}/{relative}"))
                except FileNotFoundError:
                    # Deleted since the folder was listed: the one file a backup taken
                    # while people work can miss (its row, in the snapshot, remains).
                    continue
            manifest = {
                "format": FORMAT_VERSION,
                "created": made.isoformat(),
                "database": {
                    "vendor": connection.vendor,
                    "engine": connection.settings_dict["ENGINE"],
                    "file": database_file,
                },
                "migrations": snapshot.migrations,
                "tables": snapshot.tables,
                "files": files,
            }
            _add_bytes(archive=archive, name=MANIFEST, data=json.dumps(manifest, indent=2).encode())
        # On disk before it is named as finished, so a crash cannot leave a complete-looking
        # archive with its end missing.
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def dump_database(*, dump: Path) -> Snapshot:
    """Write a consistent copy of the site's database to ``dump``; say what it holds."""
    if connection.vendor == "postgresql":
        return _dump_postgresql(dump=dump)
    return _copy_sqlite(copy=dump)


def media_files(*, root: Path) -> Iterator[tuple[Path, str]]:
    """Every file under ``root`` and its path relative to it, in a stable order."""
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file():
                yield path, path.relative_to(root).as_posix()


def _database_file(*, vendor: str) -> str:
    try:
        return DATABASE_FILES[vendor]
    except KeyError:
        raise BackupError(
            f"Backups of a {vendor} database are not supported, only PostgreSQL and SQLite."
        ) from None


def _dump_postgresql(*, dump: Path) -> Snapshot:
    # pg_dump reads the snapshot this transaction exports, so the manifest's row counts
    # are those of the dump however busy the site is. A connection of its own, because
    # the isolation level must be set before anything else runs in the transaction.
    database = connection.Database
    with database.connect(**connection.get_connection_params()) as exporter:
        exporter.isolation_level = database.IsolationLevel.REPEATABLE_READ
        exporter.read_only = True
        cursor = exporter.cursor()
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _postgresql_client("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}")
        cursor.execute(
            "SELECT tablename FROM pg_tables "
            "WHERE schemaname = ANY (current_schemas(false)) ORDER BY tablename"
        )
        return _snapshot(cursor, tables=[name for (name,) in cursor.fetchall()])


def _copy_sqlite(*, copy: Path) -> Snapshot:
    # The online backup API copies the database in one step under a read lock, so the
    # site can go on writing (WAL), and an in-memory database is copied as well as a file.
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
        cursor = target.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master "
            "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        return _snapshot(cursor, tables=[name for (name,) in cursor.fetchall()])
    finally:
        target.close()


def _snapshot(cursor, *, tables: list[str]) -> Snapshot:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quoted(table)}")
        (counts[table],) = cursor.fetchone()
    migrations = {}
    if "django_migrations" in counts:
        # Names start with their number, so each app's greatest is its latest; not the last
        # row, as a squashed migration's row is added once all it replaces have been applied.
        cursor.execute("SELECT app, MAX(name) FROM django_migrations GROUP BY app")
        migrations = dict(cursor.fetchall())
    return Snapshot(migrations=migrations, tables=counts)


def _quoted(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'


class _Hashing:
    """A file read through tarfile and hashed on the way, so the manifest's checksum is
    that of exactly the bytes archived, even if the file changes while it is read."""

    def __init__(self, stream):
        self.stream = stream
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.sha256.update(data)
        return data


def _add_file(*, archive: tarfile.TarFile, path: Path, name: str) -> dict:
    with path.open("rb") as stream:
        info = archive.gettarinfo(arcname=name, fileobj=stream)
        hashing = _Hashing(stream)
        archive.addfile(info, hashing)
    return {"path": name, "size": info.size, "sha256": hashing.sha256.hexdigest()}


def _add_bytes(*, archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _postgresql_client(program: str, *arguments: str) -> None:
    """Run ``pg_dump`` or ``pg_restore`` on the site's database.

    The password goes in the environment, where other users' ``ps`` cannot read it.
    """
    database = connection.settings_dict
    command = [program, f"--dbname={database['NAME']}"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database[key]:
            command.append(f"{flag}={database[key]}")
    environment = dict(os.environ)
    if database["PASSWORD"]:
        environment["PGPASSWORD"] = database["PASSWORD"]
    try:
        subprocess.run(
            [*command, *arguments], env=environment, capture_output=True, text=True, check=True
        )
    except FileNotFoundError:
        raise BackupError(
            f"{program} was not found: install the PostgreSQL client programs "
            "(the server's version or newer) and put them on PATH."
        ) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(
            f"{program} failed (exit status {error.returncode}):\n{error.stderr.strip()}"
        ) from None


# Restoring -------------------------------------------------------------------------------


@contextmanager
def unpack(*, archive: Path) -> Iterator[Unpacked]:
    """``archive`` unpacked into a working folder that is removed afterwards.

    Refused unless every member stays inside that folder and every file matches the
    size and checksum in the manifest, before anything of the site is touched.
    """
    with tempfile.TemporaryDirectory(prefix="hub-restore-") as work:
        folder = Path(work)
        _extract(archive=archive, into=folder)
        manifest = _read_manifest(folder=folder)
        _verify(folder=folder, manifest=manifest)
        yield Unpacked(folder=folder, manifest=manifest)


def check_target(*, manifest: dict) -> None:
    """Refuse, saying everything found, unless the site is of the archive's kind and empty."""
    problems = []
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        problems.append(
            f"The archive holds a {vendor} database and this site uses {connection.vendor}: "
            "an archive restores only onto the kind of database it was made from."
        )
    problems += [found for found in (_database_contents(), _media_contents()) if found]
    if problems:
        raise BackupError("Refused; nothing was changed.\n" + "\n".join(problems))


def restore(*, unpacked: Unpacked, stdout=None) -> RestoreSummary:
    """Restore a checked archive onto the site's (empty) database and media folder,
    then rebuild the search records and the engine's index from what was restored."""
    manifest = unpacked.manifest
    database = unpacked.folder / manifest["database"]["file"]
    if connection.vendor == "postgresql":
        _postgresql_client(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(database),
        )
    else:
        _restore_sqlite(copy=database)
    files = _move_media(source=unpacked.folder / MEDIA, root=Path(settings.MEDIA_ROOT))
    # The engine's index may be a server (Elasticsearch) the archive does not hold.
    call_command("search_index", "rebuild", stdout=stdout)
    return RestoreSummary(
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=files,
        search_records=apps.get_model("search", "SearchRecord").objects.count(),
    )


def _escapes(name: str) -> bool:
    path = PurePosixPath(name)
    return path.is_absolute() or ".." in path.parts


def _extract(*, archive: Path, into: Path) -> None:
    try:
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                if _escapes(member.name):
                    raise BackupError(
                        f"The archive's member {member.name!r} points outside the archive: "
                        "refused; nothing was changed."
                    )
            # The data filter also refuses links out of the folder, devices and odd modes.
            tar.extractall(into, filter="data")
    except tarfile.FilterError as error:
        raise BackupError(f"The archive is refused ({error}); nothing was changed.") from None
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{archive} could not be read as an archive: {error}") from None


def _read_manifest(*, folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"The archive has no readable {MANIFEST}: {error}") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"The archive's format is {manifest.get('format')!r}; this site reads format "
            f"{FORMAT_VERSION}."
        )
    return manifest


def _verify(*, folder: Path, manifest: dict) -> None:
    listed = {entry["path"] for entry in manifest["files"]}
    if manifest["database"]["file"] not in listed:
        raise BackupError("The archive's manifest lists no database file: refused.")
    for entry in manifest["files"]:
        name = entry["path"]
        path = folder / name
        if _escapes(name) or not path.is_file():
            raise BackupError(
                f"{name} is in the manifest but not in the archive: refused; nothing was changed."
            )
        if path.stat().st_size != entry["size"] or _sha256(path) != entry["sha256"]:
            raise BackupError(
                f"{name} does not match its checksum in the manifest (the archive is damaged "
                "or was altered): refused; nothing was changed."
            )
    for _path, name in media_files(root=folder):
        if name != MANIFEST and name not in listed:
            raise BackupError(
                f"{name} is in the archive but not in its manifest: refused; nothing was changed."
            )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _database_contents() -> str:
    """What the target database already holds, in words, or "" when it holds nothing."""
    tables = sorted(connection.introspection.table_names())
    if not tables:
        return ""
    named = ", ".join(tables[:NAMED_TABLES]) + (", ..." if len(tables) > NAMED_TABLES else "")
    found = f"{len(tables)} tables ({named})"
    if "django_migrations" in tables:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM django_migrations")
            (applied,) = cursor.fetchone()
        found += f", and django_migrations records {applied} applied migrations"
    return (
        f"The database {connection.settings_dict['NAME']} is not empty: it has {found}. "
        "Restore into a new, empty database (no need to migrate it first)."
    )


def _media_contents() -> str:
    """What the target media folder already holds, in words, or "" when nothing."""
    root = Path(settings.MEDIA_ROOT)
    files = [name for _path, name in media_files(root=root)]
    if not files:
        return ""
    return (
        f"The media folder {root} is not empty: it holds {len(files)} files "
        f"(the first is {files[0]}). Restore into a new, empty media folder."
    )


def _restore_sqlite(*, copy: Path) -> None:
    # Written through Django's own connection, so the site sees the restored database
    # at once, an in-memory one included.
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _move_media(*, source: Path, root: Path) -> int:
    moved = 0
    for path, relative in media_files(root=source):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
        moved += 1
    return moved
