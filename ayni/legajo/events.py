"""The audit actions of legajos, their requests and reports (`ayni.core.audit.record`)."""

from ayni.legajo.models import LegajoReport

# The servant's own legajo
OWN_VIEWED = "legajo.ver"
OWN_REQUEST_VIEWED = "legajo.solicitud_ver"
REQUEST_SUBMITTED = "legajo.solicitud_enviar"
REQUEST_ANNULLED = "legajo.solicitud_anular"

# Specialists (escalafón): reads of someone else's legajo
STAFF_VIEWED = "legajo.ver_personal"
HISTORY_VIEWED = "legajo.historial_ver"
SEARCHED = "legajo.buscar"
TRAY_VIEWED = "legajo.bandeja_ver"
TRAY_EXPORTED = "legajo.bandeja_exportar"  # the filtered tray as CSV or Excel
REQUEST_REVIEWED = "legajo.solicitud_revisar"

# Owner or specialist
ATTACHMENT_VIEWED = "legajo.adjunto_ver"
DOCUMENT_VIEWED = "legajo.documento_ver"

# Specialists: writes
OPENED = "legajo.abrir"
VIGENCIA_CHANGED = "legajo.vigencia"
ITEM_SAVED = "legajo.registro"
ITEM_DELETED = "legajo.eliminar_registro"
REQUEST_DECIDED = "legajo.solicitud_decidir"

# Reports issued from the legajo, by kind
HOJA_DE_VIDA_ISSUED = "legajo.hoja_de_vida"
INFORME_ISSUED = "legajo.informe_escalafonario"
REPORT_ISSUED = {
    LegajoReport.Kind.HOJA_DE_VIDA: HOJA_DE_VIDA_ISSUED,
    LegajoReport.Kind.INFORME: INFORME_ISSUED,
}
