"""«Descargar mis datos»: the servant's data as a ZIP (JSON and a readable PDF), audited."""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from ayni.core import audit
from ayni.privacy import events
from ayni.privacy.pdf import render_summary
from ayni.privacy.selectors import personal_data

JSON_NAME = "mis-datos.json"
PDF_NAME = "mis-datos-resumen.pdf"


def export_personal_data(user, request=None) -> tuple[str, bytes]:
    """(file name, ZIP bytes) of everything the platform holds about the servant. Built in
    memory: a servant has at most some hundred boletas and a legajo."""
    now = timezone.now()
    data = personal_data(user)
    data["generado"] = now
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            JSON_NAME, json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        archive.writestr(PDF_NAME, render_summary(data, now))
    audit.record(user, events.DATA_EXPORTED, user.servant, request)
    document = user.servant.document_number
    return f"mis-datos-{document}-{timezone.localdate(now):%Y%m%d}.zip", buffer.getvalue()
