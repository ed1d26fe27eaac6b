"""The portal filtered by a state alone pages through the summary's count of that state (kept in
the tally) instead of counting the aspirant's supports again."""

import pytest
from django.urls import reverse

from apoyo.supports import views
from apoyo.supports.models import Status, Support
from apoyo.supports.states import SupportState, filter_state, with_state
from apoyo.testing.factories import make_aspirant, make_office, precaptured

pytestmark = pytest.mark.django_db


@pytest.fixture
def aspirant():
    """Four pending supports, one of them then withdrawn."""
    aspirant = make_aspirant(make_office(), with_user=True)
    names = {"NOMBRE": "ANA", "APELLIDO_PATERNO": "PEREZ", "APELLIDO_MATERNO": ""}
    first, *_ = precaptured(aspirant, range(1, 5), **names)
    Support.objects.filter(pk=first.pk).update(status=Status.WITHDRAWN)
    return aspirant


@pytest.mark.parametrize("state", [*SupportState.values, "", "no-such-state"])
def test_the_portal_pages_a_state_by_as_many_supports_as_the_state_lists(client, aspirant, state):
    client.force_login(aspirant.user)
    response = client.get(reverse("supports:portal"), {"state": state})
    listed = filter_state(with_state(Support.objects.filter(aspirant=aspirant)), state)
    assert response.context["page"].paginator.count == listed.count()


def test_the_portal_filtered_by_a_state_alone_takes_its_count_from_the_summary(
    client, aspirant, monkeypatch
):
    counts = []
    paginate = views.paginate

    def recording(request, queryset, count=None, **options):
        counts.append(count)
        return paginate(request, queryset, count=count, **options)

    monkeypatch.setattr(views, "paginate", recording)
    client.force_login(aspirant.user)
    client.get(reverse("supports:portal"), {"state": SupportState.WITHDRAWN})
    client.get(reverse("supports:portal"), {"state": SupportState.PENDING, "q": "perez"})
    assert counts == [1, None]
