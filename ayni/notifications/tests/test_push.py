import base64
import json
import stat

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas.tests.conftest import run_import
from ayni.boletas.tests.planillas import SAMPLE
from ayni.notifications import services, vapid
from ayni.notifications.models import PushSubscription
from ayni.notifications.tests.conftest import Browser

pytestmark = pytest.mark.django_db
SUBSCRIBE = reverse("notifications:subscribe")
UNSUBSCRIBE = reverse("notifications:unsubscribe")


def unpadded(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def post(client, url, data):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def rosa(demo_servants):
    return UserFactory(servant=demo_servants[0], email="")


@pytest.fixture
def jose(demo_servants):
    return UserFactory(servant=demo_servants[1], email="jose.dangelo@example.pe")


def check_vapid(headers, endpoint_origin: str) -> None:
    """The notice is signed with the platform's own key, for this push service (RFC 8292)."""
    token, key = headers["Authorization"].removeprefix("vapid t=").split(",k=")
    assert key == vapid.application_server_key()
    head, claims, signature = token.split(".")
    assert json.loads(unpadded(claims))["aud"] == endpoint_origin
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unpadded(key))
    raw = unpadded(signature)
    der = utils.encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    public.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    with pytest.raises(InvalidSignature):
        public.verify(der, f"{head}.{claims}x".encode(), ec.ECDSA(hashes.SHA256()))


def test_a_new_boleta_reaches_the_subscribed_device_encrypted_for_it_alone(
    client, rosa, push_service, django_capture_on_commit_callbacks
):
    browser = push_service.browser()
    client.force_login(rosa)
    assert post(client, SUBSCRIBE, browser.subscription()).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        assert run_import(SAMPLE.read_bytes()).ok
    [(path, headers, body)] = push_service.received
    assert path == "/push/a" and headers["Content-Encoding"] == "aes128gcm"
    assert int(headers["Ttl"]) == services.NOTICE_TTL_SECONDS
    check_vapid(headers, push_service.origin)
    notice = browser.read(body)
    assert notice == {
        "title": "Su boleta de Junio 2022 está disponible",
        "body": "Ábrala en «Mi boleta».",
        "url": "/boletas/mi-boleta/",
    }
    assert b"Junio" not in body and b"2,521.90" not in body  # encrypted end to end
    with pytest.raises(Exception):  # noqa: B017 (http_ece's own error types)
        Browser(browser.endpoint).read(body)  # another browser's keys cannot read it


def test_mail_and_push_go_to_their_own_servant_only(
    client, rosa, jose, push_service, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(rosa)
    post(client, SUBSCRIBE, push_service.browser("rosa").subscription())
    with django_capture_on_commit_callbacks(execute=True):
        run_import(SAMPLE.read_bytes())
    assert [path for path, _, _ in push_service.received] == ["/push/rosa"]
    assert [m.to for m in mail.outbox] == [["jose.dangelo@example.pe"]]  # Rosa has no e-mail


def test_a_subscription_the_push_service_forgot_is_deleted(rosa, push_service):
    subscription = services.subscribe(rosa, push_service.browser().subscription())
    for status in (404, 410):
        push_service.status = status
        subscription = services.subscribe(rosa, push_service.browser().subscription())
        assert services.deliver(subscription, {"title": "x"}) is False
        assert not PushSubscription.objects.exists()


def test_a_busy_push_service_is_tried_again_later(rosa, push_service):
    subscription = services.subscribe(rosa, push_service.browser().subscription())
    push_service.status = 503
    with pytest.raises(services.PushServiceBusy):  # an OSError: send_push retries it
        services.deliver(subscription, {"title": "x"})
    assert PushSubscription.objects.count() == 1


def test_subscribing_stores_the_device_for_the_signed_in_servant_only(
    client, rosa, jose, push_service
):
    browser = push_service.browser()
    client.force_login(rosa)
    response = post(client, SUBSCRIBE, browser.subscription())
    assert response.json() == {"mensaje": "Recibirá avisos en este dispositivo."}
    assert list(PushSubscription.objects.values_list("user", "endpoint")) == [
        (rosa.pk, browser.endpoint)
    ]
    client.force_login(jose)  # the same browser, somebody else signed in: it moves to him
    post(client, SUBSCRIBE, browser.subscription())
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [jose.pk]
    client.force_login(rosa)  # she cannot remove his
    refused = post(client, UNSUBSCRIBE, {"endpoint": browser.endpoint})
    assert refused.status_code == 404
    assert refused.json() == {"error": "Este dispositivo no estaba suscrito."}
    assert PushSubscription.objects.count() == 1
    client.force_login(jose)
    assert post(client, UNSUBSCRIBE, {"endpoint": browser.endpoint}).status_code == 200
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: "{no es json", "La solicitud no se pudo leer."),
        (lambda s: {**s, "keys": {"p256dh": "AAAA", "auth": s["keys"]["auth"]}},
         "Los datos de la suscripción de este navegador no son válidos."),
        (lambda s: {**s, "keys": {"p256dh": s["keys"]["p256dh"], "auth": "¿?"}},
         "Los datos de la suscripción de este navegador no son válidos."),
        (lambda s: {"endpoint": s["endpoint"]},
         "Los datos de la suscripción de este navegador no son válidos."),
        (lambda s: {**s, "endpoint": "http://10.0.0.5/admin"},
         "Ese servicio de avisos no está admitido por la plataforma."),
        (lambda s: {**s, "endpoint": "https://fcm.googleapis.com.example.pe/x"},
         "Ese servicio de avisos no está admitido por la plataforma."),
    ],
)  # fmt: skip
def test_bad_subscriptions_are_refused_in_spanish_and_nothing_is_stored(
    client, rosa, push_service, change, message
):
    client.force_login(rosa)
    response = post(client, SUBSCRIBE, change(push_service.browser().subscription()))
    assert response.status_code == 400 and response.json() == {"error": message}
    assert not PushSubscription.objects.exists()


def test_only_signed_in_servants_subscribe_and_csrf_is_checked(rosa, push_service):
    from django.test import Client

    data = push_service.browser().subscription()
    assert post(Client(), SUBSCRIBE, data).status_code == 302  # to the sign-in
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(rosa)
    assert post(strict, SUBSCRIBE, data).status_code == 403
    staff = UserFactory(servant=None)  # an account without a servant
    client = Client()
    client.force_login(staff)
    assert post(client, SUBSCRIBE, data).status_code == 404
    assert not PushSubscription.objects.exists()


def test_the_default_vapid_key_is_made_once_under_var_dir_readable_by_its_owner_only(
    settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    settings.AYNI_VAPID_PRIVATE_KEY = ""
    first = vapid.application_server_key()
    path = tmp_path / "vapid" / "privada.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert vapid.application_server_key() == first and len(unpadded(first)) == 65
    settings.AYNI_VAPID_PRIVATE_KEY = str(path)  # the same file named by the setting
    assert vapid.application_server_key() == first
    settings.AYNI_VAPID_PRIVATE_KEY = str(tmp_path / "missing.pem")
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        vapid.signer()
    assert not (tmp_path / "missing.pem").exists()


def test_mi_boleta_offers_the_control_with_the_platforms_public_key(
    client, rosa, push_service, sample_imported
):
    client.force_login(rosa)
    page = client.get(reverse("boletas:mine")).content.decode()
    assert "Recibir avisos en este dispositivo" in page
    assert f'data-clave="{vapid.application_server_key()}"' in page
    assert "notifications/avisos.js" in page


def test_a_device_unsubscribed_before_its_notice_left_gets_nothing(rosa, push_service):
    from ayni.notifications.tasks import send_push

    subscription = services.subscribe(rosa, push_service.browser().subscription())
    pk = subscription.pk
    subscription.delete()
    assert send_push(pk, {"title": "x"}) is False
    assert push_service.received == []
