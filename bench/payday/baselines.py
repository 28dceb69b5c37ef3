"""The bare cost of a payday journey's parts, on the same cores as the platform.

- Argon2 verifications per second: argon2-cffi verifying a hash made with the platform's
  Argon2 parameters (`ayni.accounts.hashers`), in N processes (no database).
- Boleta PDF renders per second: the boleta renderer alone (`renderer.render(boleta,
  document)`), in N processes, on boletas read once from the database; nothing is stored
  or recorded.

Prints one JSON document; `--out` writes it too.
"""

import argparse
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def argon2_worker(seconds: float, queue) -> None:
    from argon2 import PasswordHasher

    sys.path.insert(0, str(ROOT))
    from ayni.accounts.hashers import PaydayArgon2PasswordHasher

    platform_hasher = PaydayArgon2PasswordHasher()  # the first of PASSWORD_HASHERS
    hasher = PasswordHasher(
        time_cost=platform_hasher.time_cost,
        memory_cost=platform_hasher.memory_cost,
        parallelism=platform_hasher.parallelism,
    )
    encoded = hasher.hash("Ayni2026demo")
    done, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        hasher.verify(encoded, "Ayni2026demo")
        done += 1
    queue.put(done)


def render_worker(seconds: float, boleta_ids: list[int], queue) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from ayni.boletas.models import DOCUMENT_KIND, Boleta
    from ayni.documents.models import IssuedDocument
    from ayni.documents.registry import renderer_for

    renderer = renderer_for(DOCUMENT_KIND)
    boletas = list(Boleta.objects.filter(pk__in=boleta_ids).select_related("servant"))
    for boleta in boletas:
        boleta.concept_lines  # noqa: B018 (read before timing: only rendering is measured)
    now = timezone.now().replace(microsecond=0)
    done, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        boleta = boletas[done % len(boletas)]
        document = IssuedDocument(kind=DOCUMENT_KIND, servant=boleta.servant, issued_at=now)
        pdf = renderer.render(boleta, document)
        assert pdf.startswith(b"%PDF")
        done += 1
    queue.put(done)


def rate(target, processes: int, seconds: float, *args) -> float:
    queue = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=target, args=(seconds, *args, queue))
        for _ in range(processes)
    ]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    total = sum(queue.get() for _ in workers)
    for worker in workers:
        worker.join()
    return total / max(time.monotonic() - started, seconds)


def sample_boleta_ids(count: int) -> list[int]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections

    from ayni.boletas.models import Boleta

    latest = Boleta.objects.order_by("-period").values_list("period", flat=True).first()
    ids = list(Boleta.objects.filter(period=latest).order_by("pk").values_list("pk", flat=True)
               [:count])  # fmt: skip
    # The render processes are forked from this one: an open connection would be shared
    # by all of them, and their queries would interleave on one socket and hang.
    connections.close_all()
    return ids


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--skip-pdf", action="store_true", help="Argon2 only")
    parser.add_argument("--out")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    result = {
        "processes": args.processes,
        "argon2_verifications_per_second": round(
            rate(argon2_worker, args.processes, args.seconds), 2
        ),
    }
    if not args.skip_pdf:
        ids = sample_boleta_ids(200)
        result["pdf_renders_per_second"] = round(
            rate(render_worker, args.processes, args.seconds, ids), 2
        )
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return result


if __name__ == "__main__":
    main()
