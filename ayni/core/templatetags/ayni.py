from django import template

from ayni.core import formats

register = template.Library()

register.filter("soles", formats.money)
register.filter("fecha", formats.date_dmy)
register.filter("fecha_hora", formats.datetime_dmy)
register.filter("periodo", formats.period_label)


@register.simple_tag
def export_note() -> str:
    from ayni.core.exports import limit_note

    return limit_note()
