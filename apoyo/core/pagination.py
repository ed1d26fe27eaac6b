"""One page of a list, of APOYO_PAGE_SIZE rows, as every list page shows it."""

from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset):
    """The page named by ?page= (the first on a missing or wrong number, the last past the end)."""
    return Paginator(queryset, settings.APOYO_PAGE_SIZE).get_page(request.GET.get("page"))
