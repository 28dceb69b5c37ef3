"""CPU cost of one login: the whole request against a bare Argon2id verify, in the same run.

A login POST goes through the platform as a browser's would (middleware, CAPTCHA check,
lockout check, Argon2id verify with the configured hasher's parameters, session rotation, audit
lines). The baseline is argon2-cffi verifying the same hash with the same parameters and
nothing else. The ratio says how much of a login is the password hash.

    .venv/bin/python bench/login_cost.py --runs 30

It builds a throwaway test database (SQLite in memory, or `test_<name>` on PostgreSQL when
DATABASE_URL points there) and never touches the real one.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import argon2  # noqa: E402
from captcha.models import CaptchaStore  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import get_hasher  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

PASSWORD = "Huancayo2026"
USERNAME = "45000001"


def measure(action, runs: int) -> tuple[list[float], list[float]]:
    """CPU and wall milliseconds of each run (CPU counts every thread of the process)."""
    cpu, wall = [], []
    for _ in range(runs):
        prepare = action()
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        prepare()
        cpu.append((time.process_time() - cpu_start) * 1000)
        wall.append((time.perf_counter() - wall_start) * 1000)
    return cpu, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    real_database = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    from ayni.accounts.models import User

    user = User.objects.create_user(USERNAME, PASSWORD, email="bench@example.pe")
    hasher = get_hasher()  # the first of PASSWORD_HASHERS: the parameters new hashes get
    assert user.password.startswith("argon2$argon2id$"), "Argon2id must be the default hasher"
    bare = argon2.PasswordHasher(
        time_cost=hasher.time_cost, memory_cost=hasher.memory_cost, parallelism=hasher.parallelism
    )
    bare_hash = user.password.removeprefix("argon2")
    login_url = reverse("accounts:login")

    def one_login():
        client = Client()
        key = CaptchaStore.generate_key()
        answer = CaptchaStore.objects.get(hashkey=key).response
        data = {"username": USERNAME, "password": PASSWORD, "captcha_0": key, "captcha_1": answer}

        def post():
            response = client.post(login_url, data)
            assert response.status_code == 302, response.status_code

        return post

    def one_verify():
        return lambda: bare.verify(bare_hash, PASSWORD)

    one_login()()  # warm up: templates, URL resolver, first connection
    login_cpu, login_wall = measure(one_login, args.runs)
    verify_cpu, verify_wall = measure(one_verify, args.runs)

    median = statistics.median
    print(f"database: {connection.vendor}; runs: {args.runs}; Argon2id m={hasher.memory_cost} KiB, "
          f"t={hasher.time_cost}, p={hasher.parallelism}")  # fmt: skip
    print(f"login request  CPU {median(login_cpu):7.1f} ms   wall {median(login_wall):7.1f} ms")
    print(f"argon2 verify  CPU {median(verify_cpu):7.1f} ms   wall {median(verify_wall):7.1f} ms")
    print(f"ratio login/verify (CPU): {median(login_cpu) / median(verify_cpu):.2f}")
    print(f"everything but the hash (CPU): {median(login_cpu) - median(verify_cpu):.1f} ms")
    connection.creation.destroy_test_db(real_database, verbosity=0)


if __name__ == "__main__":
    main()
