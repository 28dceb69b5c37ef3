"""The audit actions of access requests (`ayni.core.audit.record`)."""

REQUEST_RECEIVED = "acceso.solicitud.recibida"
REQUEST_CORRECTED = "acceso.solicitud.corregida"
REQUEST_OBSERVED = "acceso.solicitud.observada"
REQUEST_APPROVED = "acceso.solicitud.aprobada"
REQUEST_REJECTED = "acceso.solicitud.rechazada"
REQUEST_VIEWED = "acceso.solicitud.ver"  # an administrator opens a request
TRAY_VIEWED = "acceso.bandeja.ver"  # an administrator lists the requests of their UGELs
TRAY_EXPORTED = "acceso.bandeja.exportar"  # the filtered tray as CSV or Excel
HELP_ANSWERED = "acceso.ayuda.respondida"
HELP_PASSWORD_MAIL = "acceso.ayuda.correo_clave"  # noqa: S105  (an action name, not a secret)
HELP_EMAIL_CHANGED = "acceso.ayuda.correo_cambiado"
HELP_UNLOCKED = "acceso.ayuda.desbloqueo"
ATTACHMENT_VIEWED = "acceso.adjunto.ver"  # an administrator opens the identity document
ATTACHMENT_DELETED = "acceso.adjunto.eliminado"  # the retention purge
RATE_LIMITED = "acceso.limite"
