"""apoyo.core.display: how numbers, percentages and list links read on every page."""

from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from apoyo.core.display import number, percent


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (63145, "63,145"),
        (0, "0"),
        (1234567, "1,234,567"),
        (Decimal("1234.50"), "1,234.5"),
        ("2500", "2,500"),
        (None, None),
        ("—", "—"),
    ],
)
def test_numbers_have_thousands_separators(value, shown):
    assert number(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("12.5"), "12.50%"),
        (3, "3.00%"),
        (Decimal("0.005"), "0.01%"),
        (1234.567, "1,234.57%"),
        (None, ""),
    ],
)
def test_percentages_have_two_decimals_and_the_sign(value, shown):
    assert percent(value) == shown


def render_pagination(query, count=500, size=10):
    request = RequestFactory().get("/lista/", query)
    page = Paginator(list(range(count)), size).get_page(request.GET.get("page"))
    template = Template('{% include "pagination.html" %}')
    return template.render(Context({"page": page, "request": request}))


def test_the_pagination_links_page_numbers_around_the_current_one_keeping_the_filters():
    html = render_pagination({"q": "muñoz", "page": "20"})
    assert 'aria-current="page"' in html and ">20</a>" in html
    for shown in ("1", "18", "19", "21", "22", "50"):
        assert f'aria-label="Página {shown}"' in html, shown
    assert 'aria-label="Página 10"' not in html and "…" in html
    assert "?q=mu%C3%B1oz&amp;page=21" in html
    assert "(500 registros)" in html


def test_the_jump_to_page_form_keeps_the_filters_and_bounds_the_number():
    html = render_pagination({"q": "munoz", "estado": "pending", "page": "3"})
    assert '<input type="hidden" name="q" value="munoz">' in html
    assert '<input type="hidden" name="estado" value="pending">' in html
    assert 'name="page" min="1" max="50"' in html
    assert 'type="hidden" name="page"' not in html


def test_a_single_page_shows_no_pagination():
    assert render_pagination({}, count=5).strip() == ""


def test_large_counts_read_with_separators():
    assert "Página 1 de 6,315 (63,145 registros)" in render_pagination({}, count=63145)
