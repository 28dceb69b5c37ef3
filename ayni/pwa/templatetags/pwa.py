from django import template

from ayni.pwa.selectors import cache_tag
from ayni.pwa.views import BRAND

register = template.Library()


@register.inclusion_tag("pwa/head.html", takes_context=True)
def pwa_head(context):
    """The manifest, the service worker's installer and, for a signed-in person, the opaque
    tag that names their offline cache."""
    user = context.get("user")
    signed_in = user is not None and user.is_authenticated
    return {"cache_tag": cache_tag(user) if signed_in else "", "theme_color": BRAND}
