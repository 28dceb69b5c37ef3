"""Web Push notices (opt-in, per device): subscribing, unsubscribing and sending."""

import base64
import binascii
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from pywebpush import WebPushException, webpush

from ayni.notifications import selectors, vapid
from ayni.notifications.models import PushSubscription

logger = logging.getLogger(__name__)

# A notice waits this long at the push service for a phone that is off.
NOTICE_TTL_SECONDS = 4 * 24 * 60 * 60
SEND_TIMEOUT_SECONDS = 10
MAX_ENDPOINT_LENGTH = PushSubscription._meta.get_field("endpoint").max_length
INVALID = "Los datos de la suscripción de este navegador no son válidos."


class PushServiceBusy(OSError):
    """The push service failed for now (5xx, 429): the task tries again later."""


def _key(value, size: int) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (TypeError, ValueError, binascii.Error):
        raise ValidationError(INVALID) from None
    if len(raw) != size:
        raise ValidationError(INVALID)
    return raw


def subscribe(user, data) -> PushSubscription:
    """Store the browser's subscription (its PushSubscription.toJSON()) for this account. The
    same browser subscribed before, by this account or another, is moved here."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise ValidationError(INVALID)
    endpoint, keys = data.get("endpoint"), data["keys"]
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= MAX_ENDPOINT_LENGTH:
        raise ValidationError(INVALID)
    if not selectors.is_push_service(endpoint):
        raise ValidationError("Ese servicio de avisos no está admitido por la plataforma.")
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(p256dh, str) or not isinstance(auth, str):
        raise ValidationError(INVALID)
    if _key(p256dh, 65)[0] != 4:  # an uncompressed P-256 point
        raise ValidationError(INVALID)
    _key(auth, 16)
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription


def unsubscribe(user, endpoint) -> bool:
    """Forget this browser's subscription, if it is one of this account's."""
    deleted, _ = selectors.own_subscriptions(user).filter(endpoint=endpoint).delete()
    return bool(deleted)


def notify(user, title: str, body: str, url: str) -> int:
    """Queue the notice for every device of this account, once the transaction commits; how
    many. Say no amount and no name: the push service carries it (encrypted) and the phone
    shows it on a locked screen."""
    from ayni.notifications.tasks import send_push

    notice = {"title": title, "body": body, "url": url}
    ids = list(selectors.own_subscriptions(user).values_list("pk", flat=True))
    for pk in ids:
        send_push.delay_on_commit(pk, notice)
    return len(ids)


def deliver(subscription: PushSubscription, notice: dict) -> bool:
    """Encrypt the notice for the browser and hand it to its push service. A subscription the
    service no longer knows (404, 410) is deleted; a busy service raises PushServiceBusy."""
    if not selectors.is_push_service(subscription.endpoint):  # the allowed list shrank
        subscription.delete()
        return False
    try:
        webpush(
            subscription.info(),
            json.dumps(notice, ensure_ascii=False),
            vapid_private_key=vapid.signer(),
            vapid_claims={"sub": settings.AYNI_VAPID_SUBJECT},
            ttl=NOTICE_TTL_SECONDS,
            timeout=SEND_TIMEOUT_SECONDS,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in (404, 410):
            subscription.delete()
            logger.info("Suscripción a avisos %s vencida: eliminada", subscription.endpoint[:60])
            return False
        if status is None or status == 429 or status >= 500:
            raise PushServiceBusy(f"servicio de avisos: {status}") from error
        logger.warning("Aviso rechazado por el servicio (%s): %s", status, error.message)
        return False
    return True
