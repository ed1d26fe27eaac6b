"""{{ support|support_state }}: the derived state of a support (supports.states), as one badge."""

from django import template
from django.utils.html import format_html

from apoyo.supports.states import state_of

register = template.Library()


@register.filter
def support_state(support):
    view = state_of(support)
    return format_html('<span class="badge state-{}">{}</span>', view.state, str(view))
