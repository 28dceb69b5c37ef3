"""The "nueva boleta" notices of an import: a task, queued by the import once it is committed
(ayni.boletas.imports); one send_email task per servant with an e-mail, and one send_push
task per device a servant subscribed ("Recibir avisos en este dispositivo")."""

from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ayni.boletas.models import Boleta, PlanillaImport
from ayni.core.formats import period_label
from ayni.core.mail import queue_email
from ayni.core.tasks import DATABASE_RETRY
from ayni.notifications.selectors import has_devices
from ayni.notifications.services import notify
from config.celery import app


@app.task(name="ayni.boletas.tasks.notify_new_boletas", acks_late=True, **DATABASE_RETRY)
def notify_new_boletas(planilla_import_id: int) -> int:
    """Tell each servant with an account (by e-mail, and on their subscribed devices) about
    the boletas an import just added for them; returns how many servants were told. Amounts
    stay out of the notices.

    Once per import, so once per new or changed boleta: the import is claimed first, and the
    mails are queued when the claim is committed (a task handed out again sends nothing)."""
    with transaction.atomic():
        claimed = PlanillaImport.objects.filter(
            pk=planilla_import_id, notified_at__isnull=True
        ).update(notified_at=timezone.now())
        if not claimed:
            return 0
        return _queue_notices(planilla_import_id)


def _queue_notices(planilla_import_id: int) -> int:
    boletas = (
        Boleta.objects.filter(
            imported_in_id=planilla_import_id,
            servant__account__is_active=True,
        )
        .annotate(has_devices=has_devices(OuterRef("servant__account")))
        .filter(~Q(servant__account__email="") | Q(has_devices=True))
        .select_related("servant__account")
        .order_by("servant_id", "-period", "payroll_type")
    )
    mine = reverse("boletas:mine")
    context = {
        "mine_url": settings.AYNI_PUBLIC_BASE_URL.rstrip("/") + mine,
        "platform_name": settings.AYNI_PLATFORM_NAME,
        "support_email": settings.AYNI_SUPPORT_EMAIL,
        "support_phone": settings.AYNI_SUPPORT_PHONE,
        "support_hours": settings.AYNI_SUPPORT_HOURS,
    }
    queued = 0
    for _, group in groupby(boletas.iterator(chunk_size=2000), key=lambda b: b.servant_id):
        servant_boletas = list(group)
        user = servant_boletas[0].servant.account
        subject = notice_subject(servant_boletas)
        if user.email:
            text = render_to_string(
                "boletas/mail/new_boletas.txt",
                {**context, "user": user, "boletas": servant_boletas},
            )
            queue_email(subject, [user.email], text)
        if servant_boletas[0].has_devices:
            notify(
                user,
                subject,
                "Ábrala" + ("s" if len(servant_boletas) > 1 else "") + " en «Mi boleta».",
                mine,
            )
        queued += 1
    return queued


def notice_subject(boletas: list[Boleta]) -> str:
    """ "Su boleta de Junio 2022 está disponible": the period, never an amount."""
    if len(boletas) == 1:
        return f"Su boleta de {period_label(boletas[0].period).title()} está disponible"
    return f"Sus {len(boletas)} boletas nuevas están disponibles"
