from fnmatch import fnmatchcase
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Exists

from ayni.notifications.models import PushSubscription


def own_subscriptions(user):
    """Deny by default: a person reaches only the subscriptions of their own account."""
    return PushSubscription.objects.filter(user=user)


def has_devices(user):
    """For annotating a query: whether the account (an OuterRef) subscribed any device."""
    return Exists(PushSubscription.objects.filter(user=user))


def is_push_service(endpoint: str) -> bool:
    """Whether the platform may send to this address: one of the browsers' push services
    (AYNI_PUSH_SERVICES), never an address a person chose, inside the ministry's network say."""
    parts = urlsplit(endpoint)
    if parts.username or parts.password or not parts.hostname:
        return False
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    return any(fnmatchcase(origin, pattern.lower()) for pattern in settings.AYNI_PUSH_SERVICES)
