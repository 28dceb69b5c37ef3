"""The README's two commands set up what they need: ops/ensure-system-packages, `make run`."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
SCRIPT = BASE_DIR / "ops" / "ensure-system-packages"
BASH = shutil.which("bash")
TEST_COMMANDS = ["chromium", "pdftoppm", "flite", "npm"]


def fake_commands(folder: Path, *names: str, body: str = "exit 0") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        command = folder / name
        command.write_text(f"#!{BASH}\n{body}\n")
        command.chmod(0o755)
    return folder


def ensure(path: Path, *commands: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own script)
        [BASH, SCRIPT, *commands], env={"PATH": str(path), **env},
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip


def test_nothing_missing_does_nothing(tmp_path):
    # An apt-get that fails proves it is not called.
    path = fake_commands(tmp_path / "bin", *TEST_COMMANDS)
    fake_commands(path, "apt-get", body="exit 9")
    result = ensure(path, *TEST_COMMANDS)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_without_root_one_line_names_what_to_install(tmp_path):
    path = fake_commands(tmp_path / "bin", "flite", "npm", "apt-get")
    result = ensure(path, *TEST_COMMANDS, AYNI_ASSUME_NOT_ROOT="1")
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr == (
        "Falta: chromium poppler-utils — instálelos con: "
        "sudo apt-get install chromium poppler-utils\n"
    )


def test_make_run_needs_flite_only(tmp_path):
    path = fake_commands(tmp_path / "bin", "apt-get", body="exit 9")
    result = ensure(path, "flite", AYNI_ASSUME_NOT_ROOT="1")
    assert result.returncode != 0
    assert result.stderr == "Falta: flite — instálelos con: sudo apt-get install flite\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="the apt-get path is taken by root only")
def test_as_root_missing_packages_are_installed_with_apt_get(tmp_path):
    log = tmp_path / "apt.log"
    path = fake_commands(
        tmp_path / "bin", "chromium", "pdftoppm", "apt-get",
        body=f'echo "$DEBIAN_FRONTEND $*" >> {log}',
    )  # fmt: skip
    result = ensure(path, *TEST_COMMANDS)
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == [
        "noninteractive update -qq",
        "noninteractive install -y -qq --no-install-recommends flite nodejs npm",
    ]


def run_with_a_fake_python(tmp_path, **env) -> list[str]:
    """`make run` with a virtual environment whose python prints the public address."""
    venv = tmp_path / "venv"
    fake_commands(venv / "bin", "python", body='echo "$AYNI_PUBLIC_BASE_URL $1 $2"')
    (venv / ".synced").touch()
    ours = {"PORT", "AYNI_PUBLIC_BASE_URL"}
    environment = {key: value for key, value in os.environ.items() if key not in ours}
    result = subprocess.run(  # noqa: S603 (our own Makefile)
        ["make", "--no-print-directory", "-s", "run", f"VENV={venv}"],  # noqa: S607
        env={**environment, **env}, cwd=BASE_DIR, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_make_run_mails_links_to_the_port_it_serves(tmp_path):
    assert run_with_a_fake_python(tmp_path, PORT="8080") == [
        "http://127.0.0.1:8080 manage.py migrate",
        "http://127.0.0.1:8080 manage.py seed_demo",
        "http://127.0.0.1:8080 manage.py runserver",
    ]
    assert run_with_a_fake_python(tmp_path)[-1] == "http://127.0.0.1:8000 manage.py runserver"


def test_a_public_address_given_is_kept(tmp_path):
    lines = run_with_a_fake_python(
        tmp_path, PORT="8080", AYNI_PUBLIC_BASE_URL="https://ayni.example.pe"
    )
    assert lines[-1] == "https://ayni.example.pe manage.py runserver"
