from django.apps import AppConfig

from ayni.core.menu import MenuItem


def _is_admin_ugel(user):
    from ayni.accounts.selectors import is_admin_ugel

    return is_admin_ugel(user)


def _signed_in(user):
    return user.is_authenticated


class AccountsConfig(AppConfig):
    name = "ayni.accounts"
    verbose_name = "Cuentas"
    menu_items = [
        MenuItem("Cuentas de servidores", "accounts:manage", order=500, icon="users",
                 visible=_is_admin_ugel),
        MenuItem("Carga masiva de cuentas", "accounts:bulk", order=510, icon="upload",
                 visible=_is_admin_ugel),
        MenuItem("Bloqueos de ingreso", "accounts:lockouts", order=520, icon="lock",
                 visible=_is_admin_ugel),
        MenuItem("Mis accesos", "accounts:sign-ins", order=900, icon="clock",
                 visible=_signed_in),
        MenuItem("Cambiar contraseña", "accounts:password-change", order=910, icon="lock",
                 visible=_signed_in),
    ]  # fmt: skip

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
        from django.contrib.auth.models import update_last_login

        import ayni.accounts.checks  # noqa: F401  (registers the deploy check)
        from ayni.accounts import sessions, signals

        # Our receiver keeps the previous login for the header's "Último acceso".
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(signals.shift_last_login, dispatch_uid="ayni_shift_last_login")
        user_logged_in.connect(signals.audit_login, dispatch_uid="ayni_audit_login")
        user_logged_out.connect(signals.audit_logout, dispatch_uid="ayni_audit_logout")
        user_logged_in.connect(sessions.open_session, dispatch_uid="ayni_open_session")
        user_logged_out.connect(sessions.forget_session, dispatch_uid="ayni_forget_session")
        user_login_failed.connect(signals.audit_login_failure, dispatch_uid="ayni_audit_failure")
        user_locked_out.connect(signals.audit_lockout, dispatch_uid="ayni_audit_lockout")
