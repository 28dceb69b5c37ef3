import re

import pytest
import time_machine
from django.core import mail
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.urls import reverse

from ayni.access import services
from ayni.access.forms import PREFILL_SESSION_KEY
from ayni.access.models import AccessRequest
from ayni.access.tests.helpers import PDF_BYTES, access_form, help_form, pdf_upload, png_upload
from ayni.accounts.tests.factories import UserFactory
from ayni.core.models import AuditEvent
from ayni.core.tests.storage import stored_names
from ayni.organizations.tests.factories import ServantFactory

pytestmark = pytest.mark.django_db
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
JPEG_HEAD += b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00"  # a 1 × 1 frame
REQUEST_URL = reverse("access:request")
HELP_URL = reverse("access:help")


@pytest.fixture
def submit(client, committed):
    def post(ugel, **overrides):
        data = access_form(ugel, **overrides)
        return committed(client.post, REQUEST_URL, data, REMOTE_ADDR="198.51.100.7")

    return post


def test_the_form_is_public_and_shows_the_consent_and_the_ugel_catalogue(client):
    page = client.get(REQUEST_URL).content.decode()
    assert "Solicitar acceso" in page
    assert "Ley N° 29733" in page
    ugel_select = re.search(r'<select name="unit".*?</select>', page, re.S).group(0)
    assert 'data-search="ugel"' in ugel_select
    assert ugel_select.count("<option value=") == 224 + 1  # the whole catalogue and the prompt
    assert '<optgroup label="DRE LIMA METROPOLITANA">' in page
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.usefixtures("storage")
def test_a_submission_gets_a_yearly_code_a_page_and_a_mail(client, ugel07, submit):
    with time_machine.travel("2026-03-02 10:00 -05:00"):
        response = submit(ugel07)
        page = client.get(response["Location"]).content.decode()
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert request.code == "ACC-2026-000001"
    assert (request.kind, request.state, request.unit) == ("alta", "revision", ugel07)
    assert (request.apellido_paterno, request.apellido_materno, request.nombres) == (
        "QUISPE", "HUAMÁN", "MARÍA ELENA",
    )  # fmt: skip
    assert request.attachment_type == "application/pdf"
    assert request.attachment.name.endswith(".pdf") and "dni" not in request.attachment.name
    assert default_storage.open(request.attachment.name).read() == PDF_BYTES
    assert "Ley N° 29733" in request.consent_text and request.consented_at is not None

    assert "ACC-2026-000001" in page and "UGEL 07 SAN BORJA" in page
    assert "Generar tu contraseña" in page

    [message] = mail.outbox
    assert message.to == ["maria.quispe@example.pe"]
    assert "ACC-2026-000001" in message.subject
    assert "Generar tu contraseña" in message.body
    assert "/acceso/consultar/" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert AuditEvent.objects.filter(action="acceso.solicitud.recibida").count() == 1


def test_codes_are_sequential_per_year_and_per_kind(client, ugel07, submit, committed):
    with time_machine.travel("2026-12-31 23:00 -05:00"):
        submit(ugel07, document_number="45678912")
        submit(ugel07, document_number="45678913")
        committed(client.post, HELP_URL, help_form(ugel07, document_number="45678914"))
    with time_machine.travel("2027-01-01 00:30 -05:00"):
        submit(ugel07, document_number="45678915")
    codes = list(AccessRequest.objects.order_by("id").values_list("code", flat=True))
    assert codes == ["ACC-2026-000001", "ACC-2026-000002", "AYU-2026-000001", "ACC-2027-000001"]


def normalised_answer(client, response) -> str:
    """The page after a submission, without the code (which differs by design)."""
    page = client.get(response["Location"]).content.decode()
    page = re.sub(r"ACC-\d{4}-\d{6}", "CODE", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_the_public_answer_does_not_tell_whether_the_document_has_an_account(
    client, ugel07, submit
):
    account = UserFactory()
    with_account = submit(ugel07, document_number=account.username)
    without_account = submit(ugel07, document_number="45678999")
    assert with_account.status_code == without_account.status_code == 302
    assert with_account["Location"] == without_account["Location"]
    assert normalised_answer(client, with_account) == normalised_answer(client, without_account)
    first, second = mail.outbox
    assert first.subject.replace("000001", "N") == second.subject.replace("000002", "N")
    assert first.body.replace("000001", "N") == second.body.replace("000002", "N")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"document_number": "1234"},
            "document_number",
            "El DNI debe tener exactamente 8 dígitos.",
        ),
        ({"email": "maria@"}, "email", "correo electrónico válida"),
        ({"phone": "12"}, "phone", "Ingrese un teléfono válido"),
        ({"nombres": "María 2"}, "nombres", "Nombres: use solo letras"),
        ({"unit": "999999"}, "unit", "Escoja una opción válida"),
        ({"condition": ""}, "condition", "Este campo es obligatorio"),
        ({"consent": None}, "consent", "debe autorizar el tratamiento de sus datos"),
        ({"attachment": None}, "attachment", "Este campo es obligatorio"),
        (
            {"attachment": pdf_upload("dni.pdf", b"just some text pretending to be a PDF")},
            "attachment",
            "no es un PDF, JPG ni PNG",
        ),
    ],
)
def test_bad_input_is_refused_with_a_spanish_message_and_stores_nothing(
    client, ugel07, overrides, field, message, submit
):
    response = submit(ugel07, **overrides)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert "Revise los datos marcados" in response.content.decode()
    assert not AccessRequest.objects.exists()
    assert mail.outbox == []


def test_a_ugel_that_is_not_a_ugel_is_refused(client, ugel07, submit):
    dre = ugel07.parent
    response = submit(ugel07, unit=str(dre.pk))
    assert response.status_code == 400 and "unit" in response.context["form"].errors


@pytest.mark.parametrize(
    ("upload", "content_type", "extension"),
    [
        (png_upload(name="dni.pdf"), "image/png", ".png"),
        (pdf_upload(name="dni.jpg"), "application/pdf", ".pdf"),
        (pdf_upload(name="foto", content=JPEG_HEAD + b"\x00" * 64), "image/jpeg", ".jpg"),
    ],
)
def test_the_file_type_comes_from_the_content_not_the_name(
    client, ugel07, submit, upload, content_type, extension
):
    submit(ugel07, attachment=upload)
    request = AccessRequest.objects.get()
    assert request.attachment_type == content_type
    assert request.attachment.name.endswith(extension)


def test_other_images_are_refused_even_when_named_pdf(client, ugel07, submit):
    gif = pdf_upload(name="dni.pdf", content=b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    response = submit(ugel07, attachment=gif)
    assert response.status_code == 400
    assert "no es un PDF, JPG ni PNG" in response.context["form"].errors["attachment"][0]


def test_files_over_five_megabytes_are_refused(client, ugel07, settings, submit):
    big = PDF_BYTES + b"0" * (5 * 1024 * 1024)
    response = submit(ugel07, attachment=pdf_upload(content=big))
    assert response.status_code == 400
    assert "el máximo es 5 MB por archivo" in response.context["form"].errors["attachment"][0]
    assert not AccessRequest.objects.exists()


def test_a_decided_request_does_not_absorb_a_new_one(client, ugel07, submit):
    submit(ugel07)
    AccessRequest.objects.update(state=AccessRequest.State.REJECTED)
    submit(ugel07)
    assert AccessRequest.objects.count() == 2


def test_a_help_ticket_and_an_access_request_of_one_document_are_separate(
    client, ugel07, submit, committed
):
    submit(ugel07)
    committed(client.post, HELP_URL, help_form(ugel07))
    assert sorted(AccessRequest.objects.values_list("kind", flat=True)) == ["alta", "ayuda"]


def test_submissions_are_limited_per_document_from_one_client(client, ugel07, settings):
    settings.AYNI_ACCESS_LIMIT_PER_DOCUMENT = 2
    for _ in range(2):
        response = client.post(REQUEST_URL, access_form(ugel07), REMOTE_ADDR="198.51.100.1")
        assert response.status_code == 302
    response = client.post(REQUEST_URL, access_form(ugel07), REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 400
    assert "demasiadas solicitudes" in response.content.decode()
    assert AccessRequest.objects.count() == 2
    assert AuditEvent.objects.filter(action="acceso.limite", outcome="denied").count() == 1
    # Another document from the same address is still welcome.
    other = access_form(ugel07, document_number="45678900")
    assert client.post(REQUEST_URL, other, REMOTE_ADDR="198.51.100.1").status_code == 302


@pytest.mark.parametrize("url, form", [(REQUEST_URL, access_form), (HELP_URL, help_form)])
def test_a_hostile_client_cannot_use_up_the_quota_of_somebody_elses_document(
    client, ugel07, settings, url, form
):
    settings.AYNI_ACCESS_LIMIT_PER_DOCUMENT = 2
    settings.AYNI_ACCESS_LIMIT_PER_IP = 100
    for _ in range(5):  # somebody who knows the DNI, from one address
        client.post(url, form(ugel07, email="intruso@example.net"), REMOTE_ADDR="203.0.113.66")
    owner = client.post(url, form(ugel07), REMOTE_ADDR="198.51.100.7")
    assert owner.status_code == 302
    assert AccessRequest.objects.filter(email="maria.quispe@example.pe").count() == 1


def test_submissions_are_limited_per_client_ip(client, ugel07, settings, submit):
    settings.AYNI_ACCESS_LIMIT_PER_IP = 2
    for number in ("45678901", "45678902"):
        assert submit(ugel07, document_number=number).status_code == 302
    response = submit(ugel07, document_number="45678903")
    assert response.status_code == 400
    assert AccessRequest.objects.count() == 2
    other_ip = client.post(
        REQUEST_URL, access_form(ugel07, document_number="45678903"), REMOTE_ADDR="203.0.113.9"
    )
    assert other_ip.status_code == 302


def test_the_limit_window_passes(client, ugel07, settings, submit):
    settings.AYNI_ACCESS_LIMIT_PER_IP = 1
    with time_machine.travel("2026-05-01 09:00 -05:00", tick=False):
        assert submit(ugel07, document_number="45678901").status_code == 302
        assert submit(ugel07, document_number="45678902").status_code == 400
    # locmem expiry reads the real clock, so the window is crossed by forgetting the counter.
    from django.core.cache import cache

    cache.clear()
    assert submit(ugel07, document_number="45678902").status_code == 302


def test_the_sent_page_needs_a_submission(client):
    assert client.get(reverse("access:request_sent"))["Location"] == REQUEST_URL


def test_a_help_request_gets_a_ticket_code_and_a_mail(client, ugel07, committed):
    response = committed(client.post, HELP_URL, help_form(ugel07))
    assert response.status_code == 302
    ticket = AccessRequest.objects.get()
    assert ticket.code.startswith("AYU-") and ticket.kind == "ayuda"
    assert (ticket.problem, ticket.unit) == ("no_llega_correo", ugel07)
    page = client.get(response["Location"]).content.decode()
    assert ticket.code in page
    [message] = mail.outbox
    assert ticket.code in message.subject and "solicitud de ayuda" in message.body


def test_help_requests_validate(client, ugel07, committed):
    response = committed(client.post, HELP_URL, help_form(ugel07, problem="", description=""))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"problem", "description"}
    committed(
        client.post,
        HELP_URL,
        help_form(ugel07, problem="cuenta_bloqueada", description="Bloqueada."),
    )
    ticket = AccessRequest.objects.get()
    assert (ticket.problem, ticket.description) == ("cuenta_bloqueada", "Bloqueada.")


def test_the_help_answer_is_neutral_too(client, ugel07, committed):
    servant = ServantFactory()
    UserFactory(servant=servant)
    known = committed(
        client.post, HELP_URL, help_form(ugel07, document_number=servant.document_number)
    )
    unknown = committed(client.post, HELP_URL, help_form(ugel07, document_number="45670000"))
    pages = [
        re.sub(r"AYU-\d{4}-\d{6}", "CODE", client.get(r["Location"]).content.decode())
        for r in (known, unknown)
    ]
    assert pages[0] == pages[1]


def test_public_forms_enforce_csrf(ugel07):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(REQUEST_URL, access_form(ugel07)).status_code == 403
    assert strict.post(HELP_URL, help_form(ugel07)).status_code == 403
    assert not AccessRequest.objects.exists()


@pytest.mark.parametrize(
    "answer",
    [
        {"captcha_1": "12345"},  # wrong
        {"captcha_0": "", "captcha_1": ""},  # left out
        {"captcha_0": "no-emitido", "captcha_1": "12345"},  # a challenge never issued
    ],
)
@pytest.mark.parametrize("url", [REQUEST_URL, HELP_URL])
def test_both_public_forms_need_the_captcha(client, ugel07, url, answer):
    data = access_form(ugel07) if url == REQUEST_URL else help_form(ugel07)
    response = client.post(url, {**data, **answer})
    assert response.status_code == 400
    assert "captcha" in response.context["form"].errors
    assert not AccessRequest.objects.exists()


def test_an_answered_captcha_cannot_be_replayed(client, ugel07):
    first = access_form(ugel07)
    assert client.post(REQUEST_URL, first).status_code == 302
    replay = access_form(ugel07, document_number="45678900")
    replay.update(captcha_0=first["captcha_0"], captcha_1=first["captcha_1"])
    response = client.post(REQUEST_URL, replay)
    assert response.status_code == 400 and "captcha" in response.context["form"].errors
    assert AccessRequest.objects.count() == 1


@pytest.mark.usefixtures("s3_down")
def test_a_store_that_fails_leaves_no_request(client, ugel07, submit):
    client.raise_request_exception = False
    response = submit(ugel07)
    assert response.status_code == 500
    assert not AccessRequest.objects.exists()
    assert not mail.outbox


@pytest.mark.usefixtures("storage")
def test_a_request_that_fails_after_its_file_was_stored_leaves_no_file(
    client, ugel07, submit, monkeypatch
):
    def refused(*args, **kwargs):
        raise DatabaseError("la base de datos no respondió")

    monkeypatch.setattr(services, "_notify_received", refused)
    client.raise_request_exception = False
    assert submit(ugel07).status_code == 500
    assert not AccessRequest.objects.exists()
    assert stored_names() == []


@pytest.mark.usefixtures("storage")
def test_a_document_vouched_for_elsewhere_fills_the_form_until_it_is_sent(client, ugel07, submit):
    """ID GOB.PE confirmed a DNI without an account: the form starts with it, once."""
    session = client.session
    session[PREFILL_SESSION_KEY] = {"document_type": "DNI", "document_number": "45678912"}
    session.save()
    assert 'value="45678912"' in client.get(REQUEST_URL).text
    submit(ugel07)
    assert PREFILL_SESSION_KEY not in client.session
    assert 'value="45678912"' not in client.get(REQUEST_URL).text
