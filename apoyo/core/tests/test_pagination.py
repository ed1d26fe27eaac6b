"""core.pagination: a page read by ids (ids first, then the rows) and a count the caller knows."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from apoyo.core.pagination import paginate
from apoyo.supports.models import Channel, Status, Support
from apoyo.supports.states import with_state
from apoyo.testing.factories import make_aspirant

pytestmark = pytest.mark.django_db


def make_supports(count):
    aspirant = make_aspirant()
    start = timezone.now() - datetime.timedelta(days=1)
    for n in range(count):
        Support.objects.create(
            aspirant=aspirant,
            channel=Channel.MANUAL,
            name=f"NOMBRE {n}",
            elector_key=f"GRLPJN{n:08d}H100",
            support_date=datetime.date(2021, 1, 10),
            # Some supports share a capture time, so the id breaks the tie in the order.
            captured_at=start + datetime.timedelta(minutes=n // 2),
            status=Status.PRELIMINARY,
        )
    return with_state(Support.objects.all())


def page_of(queryset, number, **options):
    request = RequestFactory().get("/", {"page": number})
    return paginate(request, queryset, **options)


@override_settings(APOYO_PAGE_SIZE=4)
def test_a_page_read_by_ids_holds_the_same_rows_in_the_same_order_as_a_plain_page():
    supports = make_supports(11)
    for number in (1, 2, 3):
        plain = [support.pk for support in page_of(supports, number)]
        by_ids = page_of(supports, number, by_ids=True)
        assert [support.pk for support in by_ids] == plain
    last = page_of(supports, 3, by_ids=True)
    assert len(last) == 3
    assert last.start_index() == 9
    assert not last.has_next()


@override_settings(APOYO_PAGE_SIZE=4)
def test_rows_read_by_ids_keep_their_annotations_and_related_rows():
    supports = make_supports(5).select_related("aspirant")
    page = page_of(supports, 1, by_ids=True)
    with CaptureQueriesContext(connection) as queries:
        names = [(support.aspirant.code, support.awaiting) for support in page]
    assert len(names) == 4
    assert all(awaiting is False for _, awaiting in names)
    assert len(queries) == 0


@override_settings(APOYO_PAGE_SIZE=4)
def test_a_count_the_caller_knows_is_not_counted_again():
    supports = make_supports(9)
    with CaptureQueriesContext(connection) as queries:
        page = page_of(supports, 2, count=9, by_ids=True)
        rows = list(page)
    assert len(rows) == 4
    assert page.paginator.num_pages == 3
    assert not any("COUNT(" in query["sql"].upper() for query in queries)


@override_settings(APOYO_PAGE_SIZE=4)
def test_without_a_known_count_the_list_is_counted():
    supports = make_supports(6)
    with CaptureQueriesContext(connection) as queries:
        page = page_of(supports, 9, by_ids=True)
    assert page.number == 2  # past the end: the last page
    assert any("COUNT(" in query["sql"].upper() for query in queries)


@override_settings(APOYO_PAGE_SIZE=4)
def test_rows_given_apart_are_read_by_id_without_the_lists_filters_in_the_lists_order():
    supports = make_supports(8)
    listed = supports.filter(name__endswith="1") | supports.filter(name__endswith="2")
    listed = listed.order_by("-captured_at", "-id")
    withdrawn = supports.get(name="NOMBRE 2")
    Support.objects.filter(pk=withdrawn.pk).update(status=Status.WITHDRAWN)
    rows = supports.exclude(status=Status.WITHDRAWN)
    with CaptureQueriesContext(connection) as queries:
        page = page_of(listed, 1, rows=rows)
        names = [support.name for support in page]
    # The withdrawn one left `rows` after it was listed: left out, as a row decided meanwhile.
    assert names == ["NOMBRE 1"]
    rows_query = queries[-1]["sql"]
    assert "NOMBRE" not in rows_query and "%1" not in rows_query


def ids_query(queries):
    """The query that read the page's ids (it selects nothing else)."""
    return next(q["sql"] for q in queries if q["sql"].startswith('SELECT "supports_support"."id"'))


@override_settings(APOYO_PAGE_SIZE=4)
@pytest.mark.parametrize("size", [1, 4, 5, 11, 12])
def test_every_page_read_from_either_end_holds_the_rows_of_a_plain_page(size):
    supports = make_supports(size)
    pages = -(-size // 4)
    for number in range(1, pages + 1):
        plain = [support.pk for support in page_of(supports, number)]
        from_ids = page_of(supports, number, count=size, by_ids=True)
        assert [support.pk for support in from_ids] == plain, f"página {number} de {pages}"


@override_settings(APOYO_PAGE_SIZE=4)
def test_the_last_page_skips_no_rows_it_reads_them_from_the_end_of_the_list():
    supports = make_supports(11)
    with CaptureQueriesContext(connection) as queries:
        list(page_of(supports, 3, count=11, by_ids=True))
    sql = ids_query(queries.captured_queries)
    assert "OFFSET" not in sql.upper()
    assert '"captured_at" ASC' in sql  # the list is newest first: read oldest first


@override_settings(APOYO_PAGE_SIZE=4)
def test_a_capped_count_is_not_taken_for_the_lists_end():
    supports = make_supports(11)  # a search shows at most its first 8 here
    plain = [support.pk for support in page_of(supports, 2)]
    page = page_of(supports, 2, count=8, by_ids=True, capped=True)
    assert [support.pk for support in page] == plain


@override_settings(APOYO_PAGE_SIZE=4)
def test_an_order_that_can_tie_is_read_from_its_start():
    supports = make_supports(11).order_by("support_date")  # every row ties
    with CaptureQueriesContext(connection) as queries:
        list(page_of(supports, 3, count=11, by_ids=True))
    assert "OFFSET 8" in ids_query(queries.captured_queries).upper()
