import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone


def render(source, **context):
    return Template("{% load rows %}" + source).render(Context(context))


# Every name the templates pass to {% pk_url %}: its pattern must be a prefix, the pk and a slash.
PK_URL_NAMES = ("supports:detail", "supports:portal_support", "supports:cedula", "review:support")


@pytest.mark.parametrize("name", PK_URL_NAMES)
def test_pk_url_builds_the_same_url_as_reverse(name):
    pks = [7, 12345, 7]

    html = render("{% for pk in pks %}{% pk_url name pk %} {% endfor %}", name=name, pks=pks)

    assert html.split() == [reverse(name, args=[pk]) for pk in pks]


def test_every_name_the_templates_pass_to_pk_url_is_checked():
    root = Path(__file__).resolve().parents[2]
    used = set()
    for path in root.glob("**/templates/**/*.html"):
        used.update(re.findall(r"{% pk_url '([^']+)'", path.read_text()))

    assert used and used <= set(PK_URL_NAMES)


DATETIMES = [
    datetime.datetime(2021, 3, 4, 5, 6, tzinfo=datetime.UTC),
    datetime.datetime(2021, 12, 31, 23, 59, tzinfo=datetime.UTC),
    timezone.now(),
]


@pytest.mark.parametrize("value", [datetime.date(2021, 1, 2), *DATETIMES, None, ""])
def test_dmy_writes_what_the_date_filter_writes_in_local_time(value):
    assert render("{{ v|dmy }}", v=value) == render('{{ v|date:"d/m/Y" }}', v=value)


@pytest.mark.parametrize("value", [*DATETIMES, None, ""])
def test_dmy_hm_writes_what_the_date_filter_writes_in_local_time(value):
    assert render("{{ v|dmy_hm }}", v=value) == render('{{ v|date:"d/m/Y H:i" }}', v=value)
