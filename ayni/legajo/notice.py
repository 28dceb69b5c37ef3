"""The one-time notice after login for a servant without a current legajo."""

from ayni.legajo.selectors import has_current_legajo

SESSION_KEY = "legajo_notice"
TEXT = "USTED NO TIENE LEGAJO CREADO O VIGENTE, SOLICITAR LA ACTUALIZACIÓN A SU DRE/UGEL"


def flag_missing_legajo(sender, request, user, **kwargs):
    if getattr(user, "servant_id", None) is not None and not has_current_legajo(user):
        request.session[SESSION_KEY] = True
