"""ops/backup and ops/restore on a small PostgreSQL database: the copy restores into a new
database with the same rows, table by table, and the same files; a damaged copy, or a
target that already exists, is refused; a restore that fails halfway leaves no database."""

import hashlib
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from ayni.accounts import events
from ayni.accounts.tests.factories import UserFactory
from ayni.core import audit
from ayni.organizations.tests.factories import ServantFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL"),
]
ROOT = Path(settings.BASE_DIR)


def url(name: str) -> str:
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    return f"postgres://{params['USER']}{password}@{params['HOST']}:{params['PORT']}/{name}"


def ops(*args) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603


def counts(name: str) -> dict[str, int]:
    with psycopg.connect(url(name), autocommit=True) as other:
        return {
            table: other.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in connection.introspection.table_names()
        }


def database_exists(name: str) -> bool:
    with psycopg.connect(url("postgres"), autocommit=True) as other:
        found = other.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    yield name
    with psycopg.connect(url("postgres"), autocommit=True) as other:
        other.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_a_backup_restores_into_a_new_database_and_folder(tmp_path, restored_name):
    for servant in ServantFactory.create_batch(3):
        audit.record(UserFactory(servant=servant), events.LOGIN_OK, servant)
    media = tmp_path / "media"
    (media / "documentos" / "2026").mkdir(parents=True)
    (media / "documentos" / "2026" / "boleta.pdf").write_bytes(b"%PDF-1.7 prueba")
    name = connection.settings_dict["NAME"]

    backup = ops("ops/backup", "--database", url(name), "--media", media, "--out", tmp_path / "b")
    assert backup.returncode == 0, backup.stderr
    assert "Copia completa en" in backup.stdout
    restore = ops("ops/restore", "--from", tmp_path / "b", "--database", url(restored_name),
                  "--media", tmp_path / "restored")  # fmt: skip
    assert restore.returncode == 0, restore.stderr
    assert "Restauración completa" in restore.stdout

    source = counts(name)
    assert source["organizations_servant"] == 3 and source["core_auditevent"] == 3
    assert counts(restored_name) == source
    restored_file = tmp_path / "restored" / "documentos" / "2026" / "boleta.pdf"
    assert restored_file.read_bytes() == b"%PDF-1.7 prueba"

    # Restoring again over the restored database is refused and changes nothing.
    again = ops("ops/restore", "--from", tmp_path / "b", "--database", url(restored_name),
                "--media", tmp_path / "other")  # fmt: skip
    assert again.returncode == 2 and "ya existe" in again.stderr
    assert counts(restored_name) == source


def test_a_damaged_backup_is_not_restored(tmp_path, restored_name):
    media = tmp_path / "media"
    media.mkdir()
    name = connection.settings_dict["NAME"]
    ops("ops/backup", "--database", url(name), "--media", media, "--out", tmp_path / "b")
    with (tmp_path / "b" / "ayni.dump").open("ab") as dump:
        dump.write(b"x")

    restore = ops("ops/restore", "--from", tmp_path / "b", "--database", url(restored_name),
                  "--media", tmp_path / "restored")  # fmt: skip
    assert restore.returncode == 1
    assert "ayni.dump: FAILED" in restore.stderr and "está dañada" in restore.stderr
    assert not database_exists(restored_name)


def test_a_restore_that_fails_halfway_leaves_no_database(tmp_path, restored_name):
    ServantFactory()
    media = tmp_path / "media"
    media.mkdir()
    name = connection.settings_dict["NAME"]
    ops("ops/backup", "--database", url(name), "--media", media, "--out", tmp_path / "b")
    dump = tmp_path / "b" / "ayni.dump"
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])  # cut, checksums redone
    (tmp_path / "b" / "SHA256SUMS").write_text(
        "".join(
            f"{hashlib.sha256((tmp_path / 'b' / part).read_bytes()).hexdigest()}  {part}\n"
            for part in ("ayni.dump", "media.tar")
        )
    )

    restore = ops("ops/restore", "--from", tmp_path / "b", "--database", url(restored_name),
                  "--media", tmp_path / "restored")  # fmt: skip
    assert restore.returncode == 1
    assert f"la base {restored_name} se eliminó" in restore.stderr
    assert not database_exists(restored_name)
