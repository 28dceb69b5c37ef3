"""A public submission for a document that already has a pending request never changes it.

Document numbers are not secret: whoever types somebody else's DNI gets a request of their
own, flagged for the UGEL as a possible duplicate, and learns nothing about the other one.
"""

import re

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from ayni.access import services
from ayni.access.models import AccessRequest
from ayni.access.tests.factories import AccessRequestFactory
from ayni.access.tests.helpers import PDF_BYTES, access_form, help_form, png_upload
from ayni.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
REQUEST_URL = reverse("access:request")
HELP_URL = reverse("access:help")
STATUS_URL = reverse("access:status")
STATUS_DETAIL_URL = reverse("access:status_detail")
TRAY_URL = reverse("access:tray")
CODE_RE = re.compile(r"(?:ACC|AYU)-\d{4}-\d{6}")
OWNER_IP, STRANGER_IP = "198.51.100.7", "203.0.113.66"


def mail_text(message) -> str:
    return " ".join([message.subject, message.body, *(body for body, _ in message.alternatives)])


@pytest.fixture
def original(client, ugel07, committed):
    """The owner's pending request: UGEL 07, her e-mail, a PDF copy of her DNI."""
    committed(client.post, REQUEST_URL, access_form(ugel07), REMOTE_ADDR=OWNER_IP)
    mail.outbox.clear()
    return AccessRequest.objects.get()


@pytest.fixture
def stranger(ugel03, committed):
    """Another browser sending "Solicitar acceso" for the owner's DNI with its own data."""
    browser = Client()

    def send(**overrides):
        data = access_form(
            ugel03, kind="correo", email="intruso@example.net", nombres="Pedro",
            apellido_paterno="Ramos", attachment=png_upload(), **overrides,
        )  # fmt: skip
        response = committed(browser.post, REQUEST_URL, data, REMOTE_ADDR=STRANGER_IP)
        assert response.status_code == 302
        return AccessRequest.objects.exclude(pk=AccessRequest.objects.order_by("pk")[0].pk).last()

    browser.send = send
    return browser


def snapshot(access_request):
    access_request.refresh_from_db()
    return {
        name: getattr(access_request, name)
        for name in (
            "code", "kind", "state", "unit_id", "email", "phone", "apellido_paterno",
            "apellido_materno", "nombres", "condition", "attachment", "attachment_type",
            "submissions", "description", "problem",
        )
    }  # fmt: skip


def test_a_second_submission_never_changes_the_pending_request(original, stranger):
    before = snapshot(original)
    new = stranger.send()
    assert snapshot(original) == before
    assert default_storage.open(original.attachment.name).read() == PDF_BYTES
    assert new.code != original.code and CODE_RE.fullmatch(new.code)
    assert (new.email, new.kind, new.attachment_type) == (
        "intruso@example.net",
        "correo",
        "image/png",
    )
    assert new.duplicate_of == original
    assert new.is_possible_duplicate and original.is_possible_duplicate
    assert AccessRequest.objects.count() == 2


def test_the_newcomer_sees_and_is_mailed_only_its_own_code(original, stranger):
    new = stranger.send()
    page = stranger.get(reverse("access:request_sent")).content.decode()
    assert new.code in page and original.code not in page
    to_newcomer = [m for m in mail.outbox if m.to == ["intruso@example.net"]]
    assert len(to_newcomer) == 1
    text = mail_text(to_newcomer[0])
    assert new.code in text
    assert original.code not in text
    assert "observada" not in text.lower() and "otra solicitud" not in text.lower()


def test_the_earlier_address_hears_of_the_new_submission_without_its_code(original, stranger):
    new = stranger.send()
    [notice] = [m for m in mail.outbox if m.to == ["maria.quispe@example.pe"]]
    text = mail_text(notice)
    assert original.code in text and "no cambió" in text
    assert new.code not in text and "intruso@example.net" not in text


def test_the_newcomer_cannot_answer_the_earlier_requests_observation(
    original, stranger, admin07, committed
):
    new = stranger.send()
    committed(services.observe, admin07, original, "Adjunte ambas caras del DNI.")
    before = snapshot(original)
    for code in set(CODE_RE.findall(" ".join(mail_text(m) for m in mail.outbox
                                              if m.to == ["intruso@example.net"]))):  # fmt: skip
        stranger.post(
            STATUS_URL,
            {"code": code, "document_type": "DNI", "document_number": "45678912"},
            REMOTE_ADDR=STRANGER_IP,
        )
        stranger.post(
            STATUS_DETAIL_URL,
            {"apellido_paterno": "Ramos", "apellido_materno": "X", "nombres": "Pedro",
             "email": "intruso@example.net", "phone": "999999999", "condition": "otro",
             "attachment": png_upload(), "correction": "Ahora es mío."},
            REMOTE_ADDR=STRANGER_IP,
        )  # fmt: skip
    assert snapshot(original) == before
    assert original.awaits_correction and original.correction == ""
    new.refresh_from_db()
    assert new.state == AccessRequest.State.IN_REVIEW


def test_a_help_ticket_for_a_pending_ticket_is_separate_and_flagged(client, ugel07, committed):
    committed(client.post, HELP_URL, help_form(ugel07), REMOTE_ADDR=OWNER_IP)
    first = AccessRequest.objects.get()
    before = snapshot(first)
    mail.outbox.clear()
    other = Client()
    data = help_form(ugel07, email="intruso@example.net", description="Cambien mi correo.")
    committed(other.post, HELP_URL, data, REMOTE_ADDR=STRANGER_IP)
    assert snapshot(first) == before
    second = AccessRequest.objects.exclude(pk=first.pk).get()
    assert second.code != first.code and second.duplicate_of == first
    assert second.description == "Cambien mi correo."
    [to_newcomer] = [m for m in mail.outbox if m.to == ["intruso@example.net"]]
    assert first.code not in mail_text(to_newcomer)


def test_a_decided_request_is_no_duplicate_of_a_new_one(original, stranger):
    AccessRequest.objects.update(state=AccessRequest.State.REJECTED)
    new = stranger.send()
    assert new.duplicate_of is None and not new.is_possible_duplicate


def test_the_tray_flags_links_and_filters_possible_duplicates(
    original, stranger, client, admin07, ugel07
):
    new = stranger.send(unit=str(ugel07.pk))
    alone = AccessRequest.objects.create(
        code="ACC-2026-000999", kind="alta", unit=ugel07, document_type="DNI",
        document_number="40404040", email="otra@example.pe", phone="987654321",
    )  # fmt: skip
    client.force_login(admin07)
    page = client.get(TRAY_URL).content.decode()
    assert page.count("Posible duplicado") == 2
    flagged = client.get(TRAY_URL, {"duplicados": "si"})
    assert sorted(r.code for r in flagged.context["page"].object_list) == sorted(
        [original.code, new.code]
    )
    assert alone.code not in flagged.content.decode()

    detail = client.get(reverse("access:detail", args=[new.code])).content.decode()
    assert "Posible duplicado" in detail
    assert f'href="{reverse("access:detail", args=[original.code])}"' in detail
    detail = client.get(reverse("access:detail", args=[original.code])).content.decode()
    assert f'href="{reverse("access:detail", args=[new.code])}"' in detail


def test_another_ugels_request_is_named_but_not_linked(original, stranger, client, admin03):
    new = stranger.send()  # at UGEL 03; the original is UGEL 07's
    client.force_login(admin03)
    detail = client.get(reverse("access:detail", args=[new.code])).content.decode()
    assert original.code in detail and "UGEL 07 SAN BORJA" in detail
    assert reverse("access:detail", args=[original.code]) not in detail


def test_neither_of_two_pending_requests_is_approved_until_the_other_is_rejected(
    admin07, committed
):
    account = UserFactory(email="duena@example.pe")
    owner = AccessRequestFactory(
        kind=AccessRequest.Kind.EMAIL_CHANGE, document_number=account.username,
        email="duena.nueva@example.pe",
    )  # fmt: skip
    intruder = AccessRequestFactory(
        kind=AccessRequest.Kind.EMAIL_CHANGE, document_number=account.username,
        email="intruso@example.net",
    )  # fmt: skip
    with pytest.raises(services.DecisionError, match=owner.code):
        committed(services.approve, admin07, intruder)
    account.refresh_from_db()
    assert account.email == "duena@example.pe" and mail.outbox == []
    committed(services.reject, admin07, intruder, "El DNI adjunto no corresponde.")
    committed(services.approve, admin07, owner)
    account.refresh_from_db()
    assert account.email == "duena.nueva@example.pe"
    assert "intruso@example.net" not in [m.to[0] for m in mail.outbox if "Generar" in m.subject]
