"""Template filters and tags every page uses, registered as builtins in settings.TEMPLATES (no
{% load %}): numbers with thousands separators, percentages with two decimals, and a list's query
string without its page (for page links and exports).

One place for how a number reads, so the dashboard, the results, the portal and the uploads all
write 63,145 and 12.50% alike (es-MX: comma for thousands, point for decimals)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

from apoyo.core import pagination

register = template.Library()

_CENT = Decimal("0.01")


def _decimal(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def number(value):
    """63145 -> "63,145"; 1234.5 -> "1,234.5"; a value that is not a number is shown as it is."""
    amount = _decimal(value)
    if amount is None or not amount.is_finite():
        return value
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount.normalize():,f}"


@register.filter
def percent(value):
    """12.5 -> "12.50%", rounded half up to two decimals, thousands separated; empty when there is
    no value."""
    amount = _decimal(value)
    if amount is None or not amount.is_finite():
        return ""
    return f"{amount.quantize(_CENT, rounding=ROUND_HALF_UP):,.2f}%"


@register.simple_tag(takes_context=True)
def query_without_page(context, **changes):
    """The request's query string without `page` (and with `changes` applied): what a page link or
    an export link carries so that it shows the same filtered list."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return ""
    query.pop("page", None)
    for name, value in changes.items():
        query[name] = value
    return query.urlencode()


@register.filter
def page_numbers(page):
    """core.pagination.page_numbers, for the pagination partial."""
    return pagination.page_numbers(page)
