from django import template

from ayni.notifications.vapid import application_server_key

register = template.Library()


@register.inclusion_tag("notifications/control.html", takes_context=True)
def push_control(context):
    """ "Recibir avisos en este dispositivo": shown by avisos.js where the browser can."""
    return {"csrf_token": context.get("csrf_token"), "key": application_server_key()}
