"""Races on PostgreSQL, with real concurrent connections (one per thread)."""

import threading
import time

import pytest
from django.db import connection, transaction

from ayni.accounts.tests.factories import UserFactory
from ayni.documents.models import IssuedDocument
from ayni.legajo import services
from ayni.legajo.models import ChangeRequest, Formacion, ItemHistory, LegajoReport
from ayni.legajo.sections import get_section
from ayni.legajo.tests.factories import SAMPLES, full_legajo
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite runs one writer at a time, so there is no race to see",
    ),
]


def run_together(jobs, lock_pk):
    """Start every job while this connection holds the request's row lock; release it only
    when all of them wait on a lock, so they really collide."""
    results = [None] * len(jobs)

    def run(index, job):
        try:
            results[index] = job()
        except Exception as error:  # noqa: BLE001  (the outcome is what the test compares)
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    with transaction.atomic():
        list(ChangeRequest.objects.select_for_update().filter(pk=lock_pk))
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with connection.cursor() as cursor:
                # Activity is read once per transaction unless the snapshot is cleared.
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0] >= len(jobs):
                    break
            time.sleep(0.02)
        else:
            pytest.fail(f"the jobs never waited on the lock: {results}")
    for thread in threads:
        thread.join(timeout=20)
    return results


def test_two_specialists_deciding_at_once_exactly_one_wins():
    servant_user = UserFactory()
    legajo = full_legajo(servant=servant_user.servant)
    section = get_section("formacion")
    services.propose_new(legajo, section, {**SAMPLES["formacion"], "nivel": "maestria"})
    services.propose_update(legajo, section, section.items(legajo).first().pk,
                            {"registro": "0999-2001"})  # fmt: skip
    draft = ChangeRequest.objects.get(legajo=legajo, state="borrador")
    change_request = services.submit(draft, "", servant_user)
    first = StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user
    second = StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user

    results = run_together(
        [
            lambda: services.decide(change_request, first, True),
            lambda: services.decide(change_request, second, False, "No corresponde."),
        ],
        lock_pk=change_request.pk,
    )

    winners = [r for r in results if isinstance(r, ChangeRequest)]
    losers = [r for r in results if isinstance(r, services.AlreadyDecided)]
    assert len(winners) == 1 and len(losers) == 1, results
    change_request.refresh_from_db()
    assert change_request.state == winners[0].state
    assert change_request.decided_by == (first if winners[0].state == "atendido" else second)
    applied = ItemHistory.objects.filter(change_request=change_request).count()
    maestrias = Formacion.objects.filter(legajo=legajo, nivel="maestria").count()
    if change_request.state == "atendido":
        assert (applied, maestrias) == (2, 1)  # applied once, not twice
    else:
        assert (applied, maestrias) == (0, 0)


def test_concurrent_submissions_get_distinct_consecutive_codes():
    drafts = []
    for _ in range(5):
        user = UserFactory()
        legajo = full_legajo(servant=user.servant)
        services.propose_new(legajo, get_section("otros"), SAMPLES["otros"])
        drafts.append((ChangeRequest.objects.get(legajo=legajo, state="borrador"), user))
    # No sequence row yet for the year: the first submissions also race to create it.
    results = _submit_all_at_once(drafts)
    codes = sorted(r.code for r in results)
    assert all(isinstance(r, ChangeRequest) for r in results), results
    year = results[0].year
    assert codes == [f"SOL-{year}-{n:06d}" for n in range(1, 6)]


def _submit_all_at_once(drafts):
    barrier = threading.Barrier(len(drafts))
    results = [None] * len(drafts)

    def submit(index, draft, user):
        try:
            barrier.wait()
            results[index] = services.submit(draft, "", user)
        except Exception as error:  # noqa: BLE001
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i, d, u)) for i, (d, u) in enumerate(drafts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return results


def test_two_specialists_attending_one_informe_request_issue_one_informe():
    servant_user = UserFactory()
    legajo = full_legajo(servant=servant_user.servant)
    change_request = services.request_informe(legajo, "", servant_user)
    first = StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user
    second = StaffRoleFactory(role=StaffRole.Role.ESCALAFON).user

    results = run_together(
        [
            lambda: services.decide(change_request, first, True),
            lambda: services.decide(change_request, second, True),
        ],
        lock_pk=change_request.pk,
    )

    winners = [r for r in results if isinstance(r, ChangeRequest)]
    losers = [r for r in results if isinstance(r, services.AlreadyDecided)]
    assert len(winners) == 1 and len(losers) == 1, results
    change_request.refresh_from_db()
    assert change_request.document == winners[0].document
    assert IssuedDocument.objects.filter(kind=LegajoReport.Kind.INFORME).count() == 1
