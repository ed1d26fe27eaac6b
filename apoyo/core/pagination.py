"""One page of a list, of APOYO_PAGE_SIZE rows, as every list page shows it, and the page numbers
its partial (templates/pagination.html) links to."""

from django.conf import settings
from django.core.paginator import Paginator

# Pages linked around the current one and at each end; the rest are an ellipsis.
ON_EACH_SIDE = 2
ON_ENDS = 1


def paginate(request, queryset):
    """The page named by ?page= (the first on a missing or wrong number, the last past the end)."""
    return Paginator(queryset, settings.APOYO_PAGE_SIZE).get_page(request.GET.get("page"))


def page_numbers(page):
    """The numbers the partial links to, with Paginator.ELLIPSIS where pages are left out:
    1 … 4 5 [6] 7 8 … 20."""
    return list(
        page.paginator.get_elided_page_range(
            page.number, on_each_side=ON_EACH_SIDE, on_ends=ON_ENDS
        )
    )
