"""The one-time notice after login for a servant without a current legajo.

Not for a servant who ceased: their legajo is closed, not missing, and there is nothing
to ask their UGEL/DRE for (the legajo pages say what they still can do).
"""

from ayni.legajo.selectors import has_current_or_closed_legajo

SESSION_KEY = "legajo_notice"
TEXT = "USTED NO TIENE LEGAJO CREADO O VIGENTE, SOLICITAR LA ACTUALIZACIÓN A SU DRE/UGEL"


def flag_missing_legajo(sender, request, user, **kwargs):
    if getattr(user, "servant_id", None) is not None and not has_current_or_closed_legajo(user):
        request.session[SESSION_KEY] = True
