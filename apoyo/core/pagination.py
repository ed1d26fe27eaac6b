"""One page of a list, of APOYO_PAGE_SIZE rows, as every list page shows it, and the page numbers
its partial (templates/pagination.html) links to.

At a million supports two things a plain Paginator does cost seconds (issue 15): the COUNT of the
whole list, which a page showing the list's totals has already counted, and reading the page from
a queryset annotated per row (the support's state: four subqueries), which SQLite evaluates for
every row of the list before it sorts and keeps 50. So a page is read in two steps: the ids of
its rows, from the list's ordering alone (an index walk), then those rows with everything they
show. Only the lists that need it ask for this (`by_ids`): it needs a model queryset.

The second step need not apply the list's filters again: the ids came from the list. A list whose
filter costs more than its 50 rows (a broad search, whose matches SQLite gathers anew in every
query: 70 ms at a million supports) passes `rows`, the same list without its filters, to read
them from.

A page in the far half of a list is read from its other end: its ids through the list's order
reversed, skipping the rows after it rather than those before. The last page of a million
supports walked a million index entries before its 50 (1.2 s on SQLite); now it walks 50. This
needs the list's exact count (not a capped one) and an order that ends in the id, whose reverse
is the mirror of the list.
"""

from django.conf import settings
from django.core.paginator import Paginator

# Pages linked around the current one and at each end; the rest are an ellipsis.
ON_EACH_SIDE = 2
ON_ENDS = 1


class ListPaginator(Paginator):
    """A Paginator that may read each page's ids first and may be told the list's count."""

    def __init__(self, object_list, per_page, count=None, by_ids=False, rows=None, capped=False):
        super().__init__(object_list, per_page)
        self.by_ids = by_ids or rows is not None
        self.rows = object_list if rows is None else rows
        # A capped count (count_up_to) is not where the list ends.
        self.count_is_exact = not capped
        if count is not None:
            # Paginator.count is a cached_property: a known count is simply stored.
            self.__dict__["count"] = count

    def page(self, number):
        if not self.by_ids:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        total = self.count if self.count_is_exact else None
        page = page_rows(self.object_list, bottom, top, self.rows, total)
        return self._get_page(page, number, self)


def page_rows(queryset, bottom, top, rows, total=None):
    """Rows bottom..top of the ordered `queryset`: their ids through a query that selects nothing
    else, then those rows by id from `rows` (the list itself, or the list without its filters),
    in the list's order. Given the list's exact `total`, a page nearer the end is read from it."""
    if top <= bottom:
        return []
    ids = page_ids(queryset, bottom, top, total)
    by_id = {row.pk: row for row in rows.filter(pk__in=ids)}
    # A row may have left `rows` between the two reads (decided in the mesa de control, say).
    return [by_id[pk] for pk in ids if pk in by_id]


def page_ids(queryset, bottom, top, total):
    """The ids of rows bottom..top, read from whichever end of the list is nearer."""
    from_end = total is not None and total - top < bottom and ends_in_id(queryset)
    if not from_end:
        return list(queryset.values_list("pk", flat=True)[bottom:top])
    mirrored = queryset.reverse().values_list("pk", flat=True)[total - top : total - bottom]
    return list(mirrored)[::-1]


def ends_in_id(queryset):
    """Whether the list's order ends in its id: then no two rows tie, and the reversed order
    lists exactly the same rows backwards."""
    query = queryset.query
    order = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    if not order or not isinstance(order[-1], str):
        return False
    return order[-1].lstrip("-") in {"pk", queryset.model._meta.pk.attname}


def count_up_to(queryset, limit):
    """(how many rows, at most `limit`; whether there are more): the rows are counted no further
    than one past `limit`, by id and without the list's order, so that the database may stop at
    the first rows it finds instead of counting millions."""
    count = queryset.order_by().values("pk")[: limit + 1].count()
    return min(count, limit), count > limit


def paginate(request, queryset, count=None, by_ids=False, rows=None, capped=False):
    """The page named by ?page= (the first on a missing or wrong number, the last past the end).
    `count`, when the caller already knows how many rows the list has, spares counting them;
    `by_ids` reads the page in two steps, `rows` says where its rows are read from (see
    module); `capped` says that `count` stops short of the list's end."""
    paginator = ListPaginator(
        queryset, settings.APOYO_PAGE_SIZE, count=count, by_ids=by_ids, rows=rows, capped=capped
    )
    return paginator.get_page(request.GET.get("page"))


def page_numbers(page):
    """The numbers the partial links to, with Paginator.ELLIPSIS where pages are left out:
    1 … 4 5 [6] 7 8 … 20."""
    return list(
        page.paginator.get_elided_page_range(
            page.number, on_each_side=ON_EACH_SIDE, on_ends=ON_ENDS
        )
    )
