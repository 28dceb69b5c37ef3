"""The audit actions of boletas and planilla imports (`ayni.core.audit.record`)."""

# The servant's own boletas
OWN_LISTED = "boleta.lista"
OWN_VIEWED = "boleta.vista"
OWN_DOWNLOADED = "boleta.descarga"
OWN_COMPARED = "boleta.comparacion"
OWN_EXPORTED = "boleta.exportar"  # Mi boleta as CSV or Excel, with its filters
OWN_DEDUCTIONS = "boleta.descuentos"  # Mis descuentos: deductions by group, the floor

# The administrador de boletas: someone else's boletas
STAFF_SEARCHED = "boleta.personal.busqueda"
STAFF_EXPORTED = "boleta.personal.exportar"  # the search as CSV or Excel
STAFF_LISTED = "boleta.personal.lista"
STAFF_VIEWED = "boleta.personal.vista"
STAFF_DOWNLOADED = "boleta.personal.descarga"

# Planilla uploads
IMPORT_VALIDATED = "planilla.validacion"
IMPORT_CONFIRMED = "planilla.confirmacion"
IMPORT_DISCARDED = "planilla.descarte"
IMPORT_APPLIED = "planilla.importada"  # boletas written (web task, command or demo)
IMPORT_REJECTED = "planilla.rechazada"
IMPORT_PDFS_QUEUED = "planilla.pdf"  # the PDFs of an imported planilla made ahead
IMPORTS_EXPORTED = "planilla.historial_exportar"  # the import history as CSV or Excel
