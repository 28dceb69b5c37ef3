"""The audit actions of accounts (`ayni.core.audit.record`), searchable in the admin."""

LOGIN_OK = "ingreso.correcto"
LOGIN_FAILED = "ingreso.fallido"
LOGIN_LOCKED = "ingreso.bloqueado"
LOGOUT = "ingreso.salida"
SESSION_CLOSED = "sesion.cerrada"  # ended from another session of the same account
SESSIONS_ENDED = "sesion.cerradas_por_administrador"  # every session of an account, by an admin
SESSION_EXPIRED = "sesion.vencida"  # signed out at the end of the absolute lifetime
ACCOUNT_CREATED = "cuenta.creada"
ACCOUNTS_EXPORTED = "cuenta.exportar"  # the search of servants and accounts, as a file
ACCOUNT_UNLOCKED = "cuenta.desbloqueada"
ADDRESS_UNLOCKED = "ingreso.ip_desbloqueada"
EMAIL_CHANGED = "cuenta.correo_cambiado"
PASSWORD_MAIL_SENT = "contrasena.correo_enviado"  # noqa: S105  (an action name, not a secret)
PASSWORD_MAIL_LIMITED = "contrasena.correo_limitado"  # noqa: S105  (an action name, not a secret)
PASSWORD_GENERATED = "contrasena.generada"  # noqa: S105  (an action name, not a secret)
PASSWORD_RESET = "contrasena.restablecida"  # noqa: S105  (an action name, not a secret)
PASSWORD_CHANGED = "contrasena.cambiada"  # noqa: S105  (an action name, not a secret)
SIGN_INS_VIEWED = "cuenta.accesos_vistos"

SIGN_IN_ACTIONS = (LOGIN_OK, LOGIN_FAILED, LOGIN_LOCKED)
ACTION_REFUSED = "cuenta.accion_rechazada"  # a staff action on an account outside the actor's rank
SERVANTS_SEARCHED = "cuenta.busqueda"  # a UGEL administrator searches the unit's servants

# The second sign-in step (ayni.accounts.mfa)
MFA_OK = "verificacion.correcta"
MFA_FAILED = "verificacion.fallida"
MFA_ENROLLED = "verificacion.dispositivo_agregado"
MFA_ENROLL_FAILED = "verificacion.configuracion_fallida"
MFA_RECOVERY_CODES = "verificacion.codigos_generados"
MFA_TURNED_OFF = "verificacion.desactivada"
MFA_RESET = "verificacion.restablecida"  # the level above removed an account's devices
