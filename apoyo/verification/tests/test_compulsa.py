import datetime
import math

import pytest
from django.db import connection

from apoyo.supports.models import Channel, Status, Support
from apoyo.testing.factories import (
    SECTIONS_LN,
    citizen,
    elector_key,
    make_aspirant,
    make_cut,
    make_office,
    make_process,
    make_sections,
    nominal_list,
    office_ready_for_compulsa,
    support,
)
from apoyo.verification.models import AspirantResult, SupportResult, UnitResult
from apoyo.verification.services import CheckError, run_check

pytestmark = pytest.mark.django_db

LN = SECTIONS_LN


@pytest.fixture
def office():
    return office_ready_for_compulsa()


def outcome(run, s):
    r = SupportResult.objects.get(run=run, support=s)
    return r.registry_status, r.duplicity, r.valid, r.motive


def test_each_registry_status_and_motive(office):
    a = make_aspirant(office)
    ln, baja, padron = elector_key(), elector_key(), elector_key()
    citizen(ln)
    citizen(baja, situation="BAJA", cause="DEFUNCION")
    citizen(padron, situation="PADRON")
    citizen(outside := elector_key(), state=14, section=5)
    s_ln = support(a, ln)
    s_baja = support(a, baja)
    s_padron = support(a, padron)
    s_missing = support(a, elector_key())
    s_outside = support(a, outside)
    run = run_check(office)
    assert outcome(run, s_ln) == ("LN", "", True, "")
    assert outcome(run, s_baja) == ("BAJA", "", False, "BAJA")
    assert SupportResult.objects.get(run=run, support=s_baja).removal_cause == "DEFUNCION"
    assert outcome(run, s_padron) == ("PADRON", "", False, "PADRON")
    assert outcome(run, s_missing) == ("NO_ENCONTRADO", "", False, "NO_ENCONTRADO")
    assert outcome(run, s_outside) == ("FUERA_AMBITO", "", False, "FUERA_AMBITO")


def test_inconsistency_takes_precedence_over_every_other_motive(office):
    a = make_aspirant(office)
    s = support(a, elector_key(), inconsistency="FOTOCOPIA")  # also not found in the roll
    run = run_check(office)
    assert outcome(run, s) == ("NO_ENCONTRADO", "", False, "INCONSISTENCIA")


def test_ocr_match_is_reported_but_does_not_invalidate(office):
    a = make_aspirant(office)
    k = elector_key()
    citizen(k, ocr="9999999999999")
    s = support(a, k)
    run = run_check(office)
    result = SupportResult.objects.get(run=run, support=s)
    assert result.ocr_match is False and result.valid
    missing = support(a, elector_key(), reference="F-2")
    run = run_check(office)
    assert SupportResult.objects.get(run=run, support=missing).ocr_match is None


def test_first_support_wins_across_aspirants_of_the_same_office(office):
    a, b = make_aspirant(office), make_aspirant(office)
    k = elector_key()
    citizen(k)
    later = support(a, k, day=datetime.date(2020, 12, 21))
    earlier = support(b, k, day=datetime.date(2020, 12, 20))
    run = run_check(office)
    assert outcome(run, earlier) == ("LN", "", True, "")
    assert outcome(run, later) == ("LN", "DUPLICADO_OTRO", False, "DUPLICADO_OTRO")


def test_ties_on_date_are_broken_by_capture_order(office):
    a, b = make_aspirant(office), make_aspirant(office)
    k = elector_key()
    citizen(k)
    first = support(b, k)
    second = support(a, k)
    run = run_check(office)
    assert outcome(run, first)[2] is True
    assert outcome(run, second)[3] == "DUPLICADO_OTRO"


def test_same_citizen_twice_for_one_aspirant_and_once_for_another(office):
    a, b = make_aspirant(office), make_aspirant(office)
    k = elector_key()
    citizen(k)
    a1 = support(a, k, day=datetime.date(2020, 12, 16), reference="F-1")
    a2 = support(a, k, day=datetime.date(2020, 12, 18), reference="F-2")
    b1 = support(b, k, day=datetime.date(2020, 12, 17))
    run = run_check(office)
    assert outcome(run, a1)[2:] == (True, "")
    assert outcome(run, a2)[1:] == ("DUPLICADO_MISMO", False, "DUPLICADO_MISMO")
    assert outcome(run, b1)[1:] == ("DUPLICADO_OTRO", False, "DUPLICADO_OTRO")


def test_an_invalid_earlier_support_does_not_beat_a_valid_later_one(office):
    a, b = make_aspirant(office), make_aspirant(office)
    k = elector_key()
    citizen(k)
    bad = support(a, k, day=datetime.date(2020, 12, 16), inconsistency="SIN_FIRMA")
    good = support(b, k, day=datetime.date(2020, 12, 20))
    run = run_check(office)
    assert outcome(run, bad)[3] == "INCONSISTENCIA" and outcome(run, bad)[1] == ""
    assert outcome(run, good)[2] is True


def test_supports_for_another_office_are_not_duplicates(office):
    other = make_office(office.process, code="AYTO-49", scope_type="municipality", scope_number=49)
    k = elector_key()
    citizen(k, section=900)
    a = support(make_aspirant(office), k)
    b = support(make_aspirant(other), k)
    assert outcome(run_check(office), a)[2] is True
    assert outcome(run_check(other), b)[2] is True


@pytest.mark.parametrize(
    ("scope_type", "number", "inside", "outside"),
    [
        ("state", None, 3, None),
        ("municipality", 49, 901, 1),
        ("local_district", 18, 2, 3),
        ("federal_district", 3, 900, 901),
    ],
)
def test_territory_of_each_scope_type(scope_type, number, inside, outside):
    make_sections()
    nominal_list(LN)
    make_cut()
    office = make_office(scope_type=scope_type, scope_number=number)
    a = make_aspirant(office)
    k_in, k_out, k_state = elector_key(), elector_key(), elector_key()
    citizen(k_in, section=inside)
    citizen(k_state, state=14, section=inside)
    s_in, s_state = support(a, k_in), support(a, k_state, reference="F-3")
    if outside:
        citizen(k_out, section=outside)
        s_out = support(a, k_out, reference="F-2")
    run = run_check(office)
    assert outcome(run, s_in)[0] == "LN"
    assert outcome(run, s_state)[0] == "FUERA_AMBITO"
    if outside:
        assert outcome(run, s_out)[0] == "FUERA_AMBITO"


def test_paper_regime_applies_to_paper_channels_only():
    make_sections()
    nominal_list(LN)
    make_cut()
    process = make_process(has_paper_regime=True)
    process.paper_regime_municipalities.set(process.state.municipalities.filter(number=1))
    office = make_office(process)
    a = make_aspirant(office)
    keys = [elector_key() for _ in range(3)]
    citizen(keys[0], section=1)
    citizen(keys[1], section=3)
    citizen(keys[2], section=3)
    inside = support(a, keys[0])
    outside = support(a, keys[1], channel=Channel.BULK)
    app = support(a, keys[2], channel=Channel.APP)
    run = run_check(office)
    assert outcome(run, inside)[3] == ""
    assert outcome(run, outside) == ("LN", "", False, "FUERA_REGIMEN_EXCEPCION")
    assert outcome(run, app)[3] == ""


def test_no_paper_regime_accepts_paper_from_the_whole_territory(office):
    a = make_aspirant(office)
    k = elector_key()
    citizen(k, section=3)
    paper = support(a, k)
    assert outcome(run_check(office), paper)[2] is True


def test_withdrawn_and_pending_supports_are_left_out(office):
    a = make_aspirant(office)
    k1, k2 = elector_key(), elector_key()
    citizen(k1)
    citizen(k2)
    support(a, k1, status=Status.WITHDRAWN)
    support(a, k2, status=Status.PENDING_REVIEW, reference="F-2")
    run = run_check(office)
    assert not SupportResult.objects.filter(run=run).exists()
    assert AspirantResult.objects.get(run=run).captured == 0


def test_threshold_and_dispersion_round_up():
    make_sections()
    nominal_list(LN)
    make_cut()
    office = make_office(
        threshold_percent=3,
        dispersion_unit="municipality",
        dispersion_min_units_fraction="0.5",
        dispersion_min_percent=1,
    )
    a = make_aspirant(office)
    # Municipality 1 (LN 1500): needs ceil(15) = 15; municipality 49 (LN 3100): needs 31.
    for n in range(15):
        k = elector_key()
        citizen(k, section=1)
        support(a, k, reference=f"F-{n}")
    run = run_check(office)
    result = AspirantResult.objects.get(run=run, aspirant=a)
    assert result.nominal_list == 6600
    assert result.required == math.ceil(0.03 * 6600) == 198
    assert (result.valid, result.units_met, result.units_required) == (15, 1, 2)
    assert str(result.percent) == "0.23"
    assert not result.meets
    units = {
        u.unit_number: (u.nominal_list, u.required, u.valid, u.met)
        for u in UnitResult.objects.filter(run=run)
    }
    assert units == {1: (1500, 15, 15, True), 2: (2000, 20, 0, False), 49: (3100, 31, 0, False)}


def test_min_units_count_and_meeting_both_rules():
    make_sections()
    nominal_list({1: 100, 2: 100, 3: 100, 900: 100, 901: 100})
    make_cut()
    office = make_office(
        threshold_percent=1,
        dispersion_unit="section",
        dispersion_min_units=2,
        dispersion_min_percent=1,
    )
    a = make_aspirant(office)
    for n, section in enumerate([1, 3, 3]):
        k = elector_key()
        citizen(k, section=section)
        support(a, k, reference=f"F-{n}")
    result = AspirantResult.objects.get(run=run_check(office))
    assert (result.required, result.valid, result.units_met, result.units_required) == (5, 3, 2, 2)
    assert not result.meets  # the dispersion is met, the support count is not


def test_running_twice_gives_the_same_results_and_keeps_both_runs(office):
    a, b = make_aspirant(office), make_aspirant(office)
    for n in range(20):
        k = elector_key(n % 7 + 500)
        if n < 7:
            citizen(
                k,
                section=[1, 3, 900][n % 3],
                situation=["LN", "LN", "BAJA"][n % 3],
                cause="DEFUNCION" if n % 3 == 2 else "",
            )
        support([a, b][n % 2], k, reference=f"F-{n}", day=datetime.date(2020, 12, 15 + n % 5))
    first, second = run_check(office), run_check(office)

    def snapshot(run):
        rows = SupportResult.objects.filter(run=run).values_list(
            "support_id", "registry_status", "duplicity", "valid", "motive"
        )
        return sorted(rows)

    assert snapshot(first) == snapshot(second)
    assert first.pk != second.pk


def test_missing_statistics_or_cut_fail_with_a_spanish_reason():
    make_sections()
    office = make_office()
    support(make_aspirant(office), elector_key())
    with pytest.raises(CheckError, match="No hay corte del padrón"):
        run_check(office)
    nominal_list(LN)
    make_cut()
    run_check(office)
    nominal_list({1: 1}, cut_date=datetime.date(2021, 8, 31))
    office.process.roll_cut_date = datetime.date(2022, 8, 31)
    office.process.save()
    with pytest.raises(CheckError, match="No hay corte del padrón|estadísticas"):
        run_check(office)


def test_a_compulsa_records_its_verdict_as_a_result_and_leaves_the_support_row_alone(office):
    a = make_aspirant(office)
    k = elector_key()
    citizen(k)
    s = support(a, k)
    before = Support.objects.filter(pk=s.pk).values().get()
    run = run_check(office)
    assert Support.objects.filter(pk=s.pk).values().get() == before
    assert SupportResult.objects.get(run=run, support=s).valid


def test_on_postgresql_the_results_have_fresh_statistics_when_the_run_ends(office):
    """Right after a compulsa its results are read in bulk (the judged supports of the tally, the
    results pages): with the statistics of an empty table PostgreSQL looked each support up one
    by one (4.7 s at a million)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statistics; SQLite's plans for those reads do not use them")
    a = make_aspirant(office)
    for _ in range(3):
        support(a, elector_key())
    run_check(office)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = 'verification_supportresult'"
        )
        assert cursor.fetchone()[0] == 3
