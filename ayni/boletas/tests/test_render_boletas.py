"""`render_boletas`: the PDFs of a planilla made ahead by the workers, once each."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from ayni.boletas.issuing import boleta_document
from ayni.boletas.models import Boleta
from ayni.boletas.selectors import current_document
from ayni.boletas.tasks import render_boleta_pdfs
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import servant_rows
from ayni.documents.models import IssuedDocument
from ayni.documents.services import render_again, sha256_hex

pytestmark = pytest.mark.django_db

BRENA = "150104"  # UGEL 03 Breña


@pytest.fixture
def planillas(ugel07):
    """June 2022: five servants paid by UGEL 07 and two by UGEL 03; July 2022: one more."""
    rows = [row for index in range(5) for row in servant_rows(index)]
    rows += [
        row
        for index in (5, 6)
        for row in servant_rows(index, entidad_codigo=BRENA, entidad_nombre="UGEL 03")
    ]
    assert run_import(rows).ok
    assert run_import(servant_rows(0, period="2022-07")).ok
    return Boleta.objects.filter(period="2022-06-01")


def render(*args) -> str:
    out = io.StringIO()
    call_command("render_boletas", *args, stdout=out)
    return out.getvalue()


# The command queues its batches on commit, then follows the workers' progress: it runs
# outside a test transaction, as it does in production (without a broker, the batches run
# in this process as soon as they are queued).
on_committed_data = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def documents_of(boletas) -> list[IssuedDocument]:
    return list(
        IssuedDocument.objects.filter(
            source_type=ContentType.objects.get_for_model(Boleta),
            source_id__in=[b.pk for b in boletas],
        )
    )


@on_committed_data
def test_renders_the_planilla_of_one_entity_once_each(planillas):
    output = render("--periodo", "2022-06", "--entidad", "150108", "--lote", "2")
    ugel07 = list(planillas.filter(entity__code="150108"))
    assert (
        "Boletas de 2022-06, UGEL 07 SAN BORJA: 5; ya tenían PDF: 0; por generar: 5 en 3 tareas"
        in output
    )
    assert "5 PDF generados" in output
    documents = documents_of(ugel07)
    assert sorted(d.source_id for d in documents) == sorted(b.pk for b in ugel07)
    for document in documents:  # complete and correct: the stored bytes are the rendering
        with document.file.open("rb") as stored:
            data = stored.read()
        assert data.startswith(b"%PDF") and sha256_hex(data) == document.sha256
        assert data == render_again(document)
        assert document.issued_by is None
    assert documents_of(planillas.filter(entity__code=BRENA)) == []
    assert documents_of(Boleta.objects.filter(period="2022-07-01")) == []


@on_committed_data
def test_rerunning_skips_what_is_done(planillas):
    rosa_like = planillas.get(servant__document_number="45000000")
    made_on_click, _ = boleta_document(rosa_like, None)  # a servant clicked "Cargar" already

    output = render("--periodo", "2022-06")
    assert "Boletas de 2022-06: 7; ya tenían PDF: 1; por generar: 6 en 1 tareas" in output
    assert current_document(rosa_like) == made_on_click

    again = render("--periodo", "2022-06")
    assert "ya tenían PDF: 7; por generar: 0" in again
    assert len(documents_of(planillas)) == 7


@on_committed_data
def test_annulled_boletas_are_left_out(planillas):
    # Servant 1's June boleta is corrected: the old one stays, annulled.
    rows = [row for index in range(5) for row in servant_rows(index)]
    rows = [row for row in rows if row["numero_documento"] != "45000001"]
    rows += servant_rows(1, amount="2600.00")
    assert run_import(rows).replaced == 1
    annulled = Boleta.objects.get(state=Boleta.State.ANNULLED)
    output = render("--periodo", "2022-06", "--entidad", "150108")
    assert "Boletas de 2022-06, UGEL 07 SAN BORJA: 5; ya tenían PDF: 0; por generar: 5" in output
    assert documents_of([annulled]) == []
    current = planillas.filter(entity__code="150108", state=Boleta.State.CURRENT)
    assert len(documents_of(current)) == 5


def test_a_batch_handed_out_twice_issues_nothing_twice(planillas):
    ids = list(planillas.values_list("pk", flat=True))
    assert render_boleta_pdfs(ids[:3]) == 3
    # A worker died after the first three; the broker hands the whole batch out again.
    assert render_boleta_pdfs(ids) == len(ids) - 3
    assert render_boleta_pdfs(ids) == 0
    assert len(documents_of(planillas)) == len(ids)


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--periodo", "2022-6"], "--periodo debe tener la forma AAAA-MM"),
        (["--periodo", "2022-13"], "--periodo debe tener la forma AAAA-MM"),
        (["--periodo", "junio"], "se recibió «junio»"),
        (["--periodo", "2022-06", "--entidad", "999999"], "no existe una unidad con el código"),
        (["--periodo", "2022-06", "--lote", "0"], "--lote debe ser 1 o más"),
    ],
)
@on_committed_data
def test_bad_arguments_are_explained_and_nothing_is_made(planillas, arguments, message):
    with pytest.raises(CommandError, match=message):
        render(*arguments)
    assert documents_of(planillas) == []


@on_committed_data
def test_a_period_without_boletas_says_so(planillas):
    assert "Boletas de 2021-01: 0; ya tenían PDF: 0; por generar: 0" in render(
        "--periodo", "2021-01"
    )


def test_without_workers_it_stops_waiting_and_says_what_to_do(
    planillas, django_capture_on_commit_callbacks
):
    stalled = pytest.raises(CommandError, match="Los workers no avanzan desde hace 1 s: faltan 7")
    # The batches stay queued: no worker takes them.
    with django_capture_on_commit_callbacks(execute=False) as queued, stalled:
        call_command("render_boletas", "--periodo", "2022-06", "--paciencia", "1",
                     stdout=io.StringIO())  # fmt: skip
    assert len(queued) == 1
    assert documents_of(planillas) == []


def test_a_batch_cut_by_a_database_restart_runs_again(planillas, monkeypatch):
    """The connection drops on the second boleta (PostgreSQL restarting): the task is
    retried, not failed, and each boleta ends with one PDF."""
    from django.db import OperationalError

    from ayni.boletas import tasks

    ids = list(Boleta.objects.order_by("pk").values_list("pk", flat=True)[:3])
    calls = []

    def drops_once(boleta, actor):
        calls.append(boleta.pk)
        if len(calls) == 2:
            raise OperationalError("server closed the connection unexpectedly")
        return boleta_document(boleta, actor)

    monkeypatch.setattr(tasks, "boleta_document", drops_once)
    result = render_boleta_pdfs.apply(args=[ids])
    assert result.successful()
    assert result.result == 2  # the run after the retry; the first boleta was already done
    kind = ContentType.objects.get_for_model(Boleta)
    for pk in ids:
        assert IssuedDocument.objects.filter(source_type=kind, source_id=pk).count() == 1
