from django import template

from ayni.legajo.sections import section_title

register = template.Library()

register.filter("section_label", section_title)
