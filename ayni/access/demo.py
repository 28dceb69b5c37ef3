"""Demo requests of every kind and state, for the UGEL 07 administrator (40000102) to attend.

Rows are written directly (no mails on every `make run`); each is keyed by its document
and kind, so running the seed again adds nothing.
"""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from reportlab.lib.pagesizes import A6, landscape

from ayni.access.forms import consent_text
from ayni.access.models import AccessRequest, RequestEvent
from ayni.access.services import ACCESS_PREFIX, HELP_PREFIX
from ayni.accounts.models import User
from ayni.core.sequences import next_code
from ayni.documents.pdfkit import deterministic_canvas
from ayni.organizations.models import Unit

Kind, State, Problem = AccessRequest.Kind, AccessRequest.State, AccessRequest.Problem
DEMO_ADMIN = "40000102"
# (document, kind, state, UGEL code, paterno, materno, nombres, e-mail, days ago, extra)
DEMO_REQUESTS = [
    ("47100001", Kind.NEW_ACCOUNT, State.IN_REVIEW, "150108", "TICONA", "APAZA", "WILBER",
     "wilber.ticona@example.pe", 6, {}),
    ("40000002", Kind.EMAIL_CHANGE, State.IN_REVIEW, "150108", "D'ANGELO", "ÑAUPARI",
     "JOSÉ LUIS", "jl.dangelo.nuevo@example.pe", 4, {}),
    ("47100002", Kind.NEW_ACCOUNT, State.OBSERVED, "150108", "YUPANQUI", "HUANCA", "NANCY",
     "nancy.yupanqui@example.pe", 9,
     {"observation": "La copia del DNI no se lee: adjunte una foto nítida de ambas caras."}),
    ("47100003", Kind.NEW_ACCOUNT, State.IN_REVIEW, "150108", "PÉREZ", "VARGAS", "EDGAR",
     "edgar.perez@example.pe", 12,
     {"observation": "Indique su condición correcta: figura como contratado.",
      "correction": "Soy nombrado desde marzo; corregí la condición.", "condition": "nombrado"}),
    ("40000001", Kind.EMAIL_CHANGE, State.APPROVED, "150108", "QUISPE", "MAMANI", "ROSA ELENA",
     "rosa.quispe@example.pe", 20, {"resolution": ""}),
    ("47100004", Kind.NEW_ACCOUNT, State.REJECTED, "150108", "SÁNCHEZ", "RAMOS", "PEDRO",
     "pedro.sanchez@example.pe", 15,
     {"resolution": "No figura como personal de la UGEL 07; presente su solicitud a su UGEL."}),
    ("47100005", Kind.NEW_ACCOUNT, State.IN_REVIEW, "150104", "CHÁVEZ", "ROJAS", "MILAGROS",
     "milagros.chavez@example.pe", 3, {}),
    ("40000001", Kind.HELP, State.IN_REVIEW, "150108", "", "", "", "rosa.quispe@example.pe", 1,
     {"problem": Problem.NO_MAIL,
      "description": "Pedí generar la contraseña dos veces y el correo no llega."}),
    ("40000002", Kind.HELP, State.ATTENDED, "150108", "", "", "", "jose.dangelo@example.pe", 8,
     {"problem": Problem.LOCKED, "description": "Dice que mi cuenta está bloqueada.",
      "resolution": "Desbloqueamos su cuenta: ya puede ingresar."}),
]  # fmt: skip


def demo_identity_pdf(full_name: str, document: str) -> bytes:
    """A stand-in for a scanned DNI: a small PDF that says it is a demo."""
    buffer = io.BytesIO()
    canvas = deterministic_canvas(buffer, "Copia de documento (demostración)", landscape(A6))
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(30, 220, "DOCUMENTO DE DEMOSTRACIÓN")
    canvas.setFont("Helvetica", 11)
    canvas.drawString(30, 190, f"DNI {document}")
    canvas.drawString(30, 170, full_name)
    canvas.drawString(30, 140, "No es un documento real.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def seed(ctx):
    admin = User.objects.get(username=DEMO_ADMIN)
    units = {u.code: u for u in Unit.objects.filter(code__in={r[3] for r in DEMO_REQUESTS})}
    now = timezone.now().replace(microsecond=0)
    created = 0
    for (
        document,
        kind,
        state,
        unit_code,
        paterno,
        materno,
        nombres,
        email,
        days,
        extra,
    ) in DEMO_REQUESTS:
        if AccessRequest.objects.filter(document_number=document, kind=kind).exists():
            continue
        with transaction.atomic():
            _create(admin, units[unit_code], now - timedelta(days=days), document, kind, state,
                    paterno, materno, nombres, email, extra)  # fmt: skip
        created += 1
    ctx.say(f"Solicitudes de acceso y ayuda: {AccessRequest.objects.count()} (nuevas: {created})")


def _create(admin, unit, at, document, kind, state, paterno, materno, nombres, email, extra):
    is_help = kind == Kind.HELP
    access_request = AccessRequest(
        code=next_code(HELP_PREFIX if is_help else ACCESS_PREFIX),
        kind=kind, state=state, unit=unit, document_type="DNI", document_number=document,
        apellido_paterno=paterno, apellido_materno=materno, nombres=nombres, email=email,
        phone="987 654 321", condition="" if is_help else "contratado", created_at=at,
        consent_text="" if is_help else consent_text(), consented_at=None if is_help else at,
    )  # fmt: skip
    for name, value in extra.items():
        setattr(access_request, name, value)
    if not is_help:
        pdf = demo_identity_pdf(access_request.full_name, document)
        access_request.attachment.save("documento.pdf", ContentFile(pdf), save=False)
        access_request.attachment_type = "application/pdf"
    decided = state in (State.APPROVED, State.REJECTED, State.ATTENDED)
    if decided:
        access_request.decided_at = at + timedelta(days=1)
        access_request.decided_by = admin
    if state == State.APPROVED:
        access_request.account = User.objects.filter(username=document).first()
    if access_request.correction:
        access_request.corrected_at = at + timedelta(days=2)
    access_request.save()
    events = [(at, None, RequestEvent.Action.SUBMITTED, "")]
    if access_request.observation:
        events.append((at + timedelta(days=1), admin, RequestEvent.Action.OBSERVED,
                       access_request.observation))  # fmt: skip
    if access_request.corrected_at:
        events.append((access_request.corrected_at, None, RequestEvent.Action.CORRECTED,
                       access_request.correction))  # fmt: skip
    if decided:
        action = {State.APPROVED: RequestEvent.Action.APPROVED,
                  State.REJECTED: RequestEvent.Action.REJECTED,
                  State.ATTENDED: RequestEvent.Action.ANSWERED}[state]  # fmt: skip
        events.append((access_request.decided_at, admin, action, access_request.resolution))
    RequestEvent.objects.bulk_create(
        RequestEvent(access_request=access_request, at=when, actor=actor, action=action, note=note)
        for when, actor, action, note in events
    )
