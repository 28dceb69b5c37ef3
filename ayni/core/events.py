"""The audit actions of the core: the audit log's own readers and the Django admin."""

AUDIT_LOG_VIEWED = "auditoria.consulta"
AUDIT_LOG_EXPORTED = "auditoria.exportar"  # the filtered log as CSV or Excel

# The Django admin (MINEDU administrators), on models holding personal data
ADMIN_LISTED = "admin.lista"
ADMIN_SEARCHED = "admin.busqueda"
ADMIN_VIEWED = "admin.ver"
ADMIN_ADDED = "admin.alta"
ADMIN_CHANGED = "admin.cambio"
ADMIN_DELETED = "admin.baja"
