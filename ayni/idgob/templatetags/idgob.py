from django import template

from ayni.idgob import provider
from ayni.idgob.views import STAFF_LEVEL

register = template.Library()


@register.inclusion_tag("idgob/boton.html")
def idgob_button(next_url=""):
    """ "Ingresar con ID GOB.PE" on the login page, only when ID GOB.PE is configured."""
    return {"enabled": provider.enabled(), "next": next_url, "staff_level": STAFF_LEVEL}
