import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse

from ayni.access import services, views
from ayni.access.models import AccessRequest, RequestEvent
from ayni.access.tests.factories import AccessRequestFactory, HelpRequestFactory
from ayni.access.tests.helpers import png_upload
from ayni.accounts.tests.helpers import captcha_answer

pytestmark = pytest.mark.django_db
STATUS_URL = reverse("access:status")
DETAIL_URL = reverse("access:status_detail")
NOT_FOUND = views.NOT_FOUND_MESSAGE


def look_up(client, access_request, address="198.51.100.9", **overrides):
    data = {
        "code": access_request.code,
        "document_type": access_request.document_type,
        "document_number": access_request.document_number,
        **overrides,
    }
    return client.post(STATUS_URL, data, REMOTE_ADDR=address)


def test_the_applicant_sees_the_state_with_code_and_document(client):
    access_request = AccessRequestFactory()
    response = look_up(client, access_request, code=access_request.code.lower())
    assert response["Location"] == DETAIL_URL
    page = client.get(DETAIL_URL).content.decode()
    assert access_request.code in page and "En revisión" in page
    assert "UGEL 07 SAN BORJA" in page


@pytest.mark.parametrize(
    "overrides",
    [{"document_number": "11111111"}, {"code": "ACC-2026-999999"}, {"document_type": "CE"}],
)
def test_a_wrong_code_or_document_gets_one_neutral_answer(client, overrides):
    access_request = AccessRequestFactory()
    response = look_up(client, access_request, **overrides)
    assert response.status_code == 400
    assert NOT_FOUND in response.content.decode()
    assert client.get(DETAIL_URL)["Location"] == STATUS_URL  # nothing was remembered


def test_look_ups_are_limited_per_client_ip(client, settings):
    settings.AYNI_ACCESS_LOOKUPS_PER_IP = 3
    access_request = AccessRequestFactory()
    for number in ("11111111", "22222222", "33333333"):
        assert look_up(client, access_request, document_number=number).status_code == 400
    refused = look_up(client, access_request)  # even the right pair, once over the limit
    assert refused.status_code == 400
    assert "demasiadas solicitudes" in refused.content.decode()
    assert client.get(DETAIL_URL)["Location"] == STATUS_URL


def guess(client, access_request, number, address):
    data = {"code": f"ACC-2026-{number:06d}", "document_type": "DNI",
            "document_number": access_request.document_number}  # fmt: skip
    return client.post(STATUS_URL, data, REMOTE_ADDR=address)


def test_look_ups_of_one_document_are_limited_per_client(client, settings):
    settings.AYNI_ACCESS_LOOKUPS_PER_DOCUMENT = 3
    access_request = AccessRequestFactory()
    for number in (1, 2, 3):
        assert NOT_FOUND in guess(client, access_request, number, "198.51.100.1").content.decode()
    refused = look_up(client, access_request, address="198.51.100.1")
    assert "demasiadas solicitudes" in refused.content.decode()
    assert look_up(client, access_request, address="198.51.100.2")["Location"] == DETAIL_URL


def test_guessing_codes_from_many_addresses_meets_a_captcha_not_a_lockout(client, settings):
    settings.AYNI_ACCESS_LOOKUPS_BEFORE_CAPTCHA = 3
    access_request = AccessRequestFactory()
    for number in (1, 2, 3):
        guess(client, access_request, number, f"203.0.113.{number}")
    # The applicant, from her own address, is asked for the CAPTCHA, never shut out.
    asked = look_up(client, access_request, address="198.51.100.7")
    assert asked.status_code == 400
    assert views.CAPTCHA_MESSAGE in asked.content.decode()
    assert 'name="captcha_1"' in asked.content.decode()
    assert client.get(DETAIL_URL)["Location"] == STATUS_URL
    wrong = look_up(client, access_request, address="198.51.100.7",
                    captcha_0=captcha_answer()["captcha_0"], captcha_1="00000")  # fmt: skip
    assert wrong.status_code == 400 and client.get(DETAIL_URL)["Location"] == STATUS_URL
    solved = look_up(client, access_request, address="198.51.100.7", **captcha_answer())
    assert solved["Location"] == DETAIL_URL
    # A guesser from yet another address must solve one for every try.
    assert views.CAPTCHA_MESSAGE in guess(client, access_request, 4, "203.0.113.9").content.decode()


def test_decisions_are_shown_with_the_ugel_words(client, admin07):
    rejected = AccessRequestFactory()
    services.reject(admin07, rejected, "La copia del DNI no es legible.")
    look_up(client, rejected)
    page = client.get(DETAIL_URL).content.decode()
    assert "Rechazada" in page and "La copia del DNI no es legible." in page

    ticket = HelpRequestFactory()
    services.answer_help(admin07, ticket, "Le reenviamos el correo.")
    look_up(client, ticket)
    page = client.get(DETAIL_URL).content.decode()
    assert "Atendida" in page and "Le reenviamos el correo." in page


@pytest.fixture
def observed(admin07, committed):
    access_request = AccessRequestFactory(nombres="LUZ")
    committed(services.observe, admin07, access_request, "Adjunte ambas caras del DNI.")
    return access_request


def correction(**overrides):
    return {
        "apellido_paterno": "Condori",
        "apellido_materno": "Apaza",
        "nombres": "Luz Marina",
        "email": "luz.condori@example.pe",
        "phone": "912345678",
        "condition": "nombrado",
        "attachment": png_upload(),
        "correction": "Adjunto ambas caras.",
        **overrides,
    }


@pytest.mark.usefixtures("storage")
def test_an_observation_is_mailed_and_answered_once(client, observed, committed):
    [message] = mail.outbox
    assert "Adjunte ambas caras del DNI." in message.body and observed.code in message.body
    old_file = observed.attachment.name
    look_up(client, observed)
    page = client.get(DETAIL_URL).content.decode()
    assert "Observada" in page and "Adjunte ambas caras del DNI." in page
    assert "Responder la observación" in page
    assert 'value="LUZ"' in page  # the form starts from what was sent

    response = committed(client.post, DETAIL_URL, correction())
    assert response["Location"] == DETAIL_URL
    observed.refresh_from_db()
    assert observed.state == AccessRequest.State.IN_REVIEW
    assert (observed.nombres, observed.email) == ("LUZ MARINA", "luz.condori@example.pe")
    assert observed.correction == "Adjunto ambas caras." and observed.corrected_at
    assert observed.attachment_type == "image/png"
    assert not default_storage.exists(old_file)
    assert observed.events.filter(action=RequestEvent.Action.CORRECTED).count() == 1

    page = client.get(DETAIL_URL).content.decode()
    assert "Responder la observación" not in page
    again = client.post(DETAIL_URL, correction(correction="Otra vez."))
    assert again.status_code == 200
    observed.refresh_from_db()
    assert observed.correction == "Adjunto ambas caras."


def test_an_answer_keeps_the_previous_copy_when_no_new_file_comes(client, observed):
    look_up(client, observed)
    client.post(DETAIL_URL, correction(attachment=""))
    observed.refresh_from_db()
    assert observed.attachment_type == "application/pdf"
    assert default_storage.exists(observed.attachment.name)


def test_a_bad_answer_is_refused_and_changes_nothing(client, observed):
    look_up(client, observed)
    response = client.post(DETAIL_URL, correction(email="no-es-correo", correction=""))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"email", "correction"}
    observed.refresh_from_db()
    assert observed.state == AccessRequest.State.OBSERVED and observed.corrected_at is None


def test_after_the_answer_the_ugel_cannot_observe_again(admin07, observed, client):
    look_up(client, observed)
    client.post(DETAIL_URL, correction())
    observed.refresh_from_db()
    with pytest.raises(services.DecisionError, match="ya fue observada y respondida"):
        services.observe(admin07, observed, "Otra observación.")
