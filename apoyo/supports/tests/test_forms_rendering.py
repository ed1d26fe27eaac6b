from datetime import date

import pytest
from django import forms
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.test.html import parse_html
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from apoyo.accounts.models import Role
from apoyo.review.forms import ConfirmationForm, InconsistencyDecisionForm, ReviewFilterForm
from apoyo.supports.forms import (
    CedulaOpenForm,
    CedulaRegisterForm,
    CorrectionForm,
    SupportFilterForm,
    SupportRowForm,
    WithdrawForm,
)
from apoyo.supports.forms_rendering import RENDERER, Form
from apoyo.testing.factories import make_aspirant, make_office, make_user

DJANGO = DjangoTemplates()


def rendered(form_class, *args, renderer, **kwargs):
    form = form_class(*args, renderer=renderer, **kwargs)
    form.is_valid()
    groups = "".join(field.as_field_group() for field in form)
    return parse_html(groups + str(form))


def templates_rendered(render):
    names = []

    def seen(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(seen)
    try:
        render()
    finally:
        template_rendered.disconnect(seen)
    return names


class Sample(Form):
    """One field of each widget the inlined templates replace, with help, choices and attributes."""

    name = forms.CharField(label="Nombre", max_length=5, help_text="En <b>mayúsculas</b>.")
    key = forms.CharField(required=False, widget=forms.TextInput(attrs={"class": "mono"}))
    kind = forms.ChoiceField(choices=[("", "Todos"), ("a", "A & B"), ("b", "B")])
    grouped = forms.ChoiceField(
        required=False, choices=[("Grupo", [("x", "X"), ("y", "Y")]), ("z", "Z")]
    )
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    n = forms.IntegerField(required=False)
    q = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    mail = forms.EmailField(required=False)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    agree = forms.BooleanField(required=False)
    secret = forms.CharField(required=False, widget=forms.HiddenInput)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": "DEMASIADO", "kind": "a", "grouped": "y", "n": "x", "note": "<i>", "agree": "on"},
        {"name": "ANA", "kind": "b", "day": "2021-01-02", "secret": "s", "mail": "no"},
    ],
)
def test_the_inlined_templates_render_the_same_html_as_djangos(data):
    assert rendered(Sample, data=data, renderer=RENDERER) == rendered(
        Sample, data=data, renderer=DJANGO
    )


def test_a_select_renders_in_one_template_whatever_its_options():
    def select(n):
        class Choice(Form):
            c = forms.ChoiceField(choices=[(i, i) for i in range(n)])

        return templates_rendered(lambda: Choice(data={"c": "1"})["c"].as_field_group())

    assert len(select(40)) == len(select(2)) <= 3


def test_an_empty_error_list_renders_no_template():
    names = templates_rendered(lambda: Sample()["name"].as_field_group())

    assert not any("errors" in name for name in names)


@pytest.mark.django_db
def test_the_forms_of_the_lists_and_the_capture_render_as_with_djangos_templates():
    office = make_office()
    aspirant = make_aspirant(office)
    user = make_user(Role.OPL_ADMIN)
    state = office.process.state_id
    row = {"NOMBRE": "ANA", "CLAVE_ELECTOR": "X", "OCR": "1", "TIPO_INCONSISTENCIA": "NO"}
    cases = [
        (SupportFilterForm, (user,), {"data": {"office": office.pk, "channel": "zzz"}}),
        (ReviewFilterForm, (user,), {"data": {"aspirant": aspirant.pk, "date_from": "x"}}),
        (CedulaOpenForm, (user,), {"data": {"process": office.process_id, "office": office.pk}}),
        (SupportRowForm, (state,), {"data": row}),
        (CorrectionForm, (state,), {"data": row, "outcome_locked": True}),
        (InconsistencyDecisionForm, (state,), {"data": {"comment": "x"}}),
        (ConfirmationForm, (), {"data": {"decision": "overturn"}}),
        (WithdrawForm, (), {}),
        (CedulaRegisterForm, (), {"initial": {"date": date(2021, 1, 2)}}),
    ]
    for form_class, args, kwargs in cases:
        ours = rendered(form_class, *args, renderer=RENDERER, **kwargs)
        assert ours == rendered(form_class, *args, renderer=DJANGO, **kwargs), form_class


@pytest.mark.django_db
def test_the_filter_forms_read_their_choices_without_joining_what_the_options_do_not_show():
    office = make_office()
    make_aspirant(office)
    user = make_user(Role.OPL_ADMIN)
    office_field = SupportFilterForm(user)["office"]
    aspirant_field = ReviewFilterForm(user)["aspirant"]

    with CaptureQueriesContext(connection) as queries:
        office_field.as_widget()
        aspirant_field.as_widget()

    offices, aspirants = (query["sql"].split(" FROM ")[0] for query in queries.captured_queries)
    assert '"processes_process".' not in offices
    assert '"processes_office".' not in aspirants
