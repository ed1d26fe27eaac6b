"""The shortcuts apoyo.core.identity takes for a carga masiva's already normalised rows give what
the general path gives. Pure Python: no database."""

import datetime
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apoyo.core import identity
from apoyo.core.identity import (
    ELECTOR_KEY_RE,
    elector_key_birth_date,
    elector_key_warnings,
    normalize_key,
)

rules_settings = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=500
)


class _Clock:
    """Stands for both date.today() and time.time() in apoyo.core.identity; counts the reads."""

    def __init__(self, monkeypatch, now):
        self.now, self.today_reads = now, 0
        clock = self

        class FrozenDate(datetime.date):
            @classmethod
            def today(cls):
                clock.today_reads += 1
                return clock.now.date()

        monkeypatch.setattr(identity, "date", FrozenDate)
        monkeypatch.setattr(identity, "time", SimpleNamespace(time=self.timestamp))
        monkeypatch.setattr(identity, "_two_digit_year", identity._TwoDigitYear())

    def timestamp(self):
        return self.now.timestamp()


def test_the_century_of_a_birth_date_follows_the_year_after_midnight(monkeypatch):
    clock = _Clock(monkeypatch, datetime.datetime(2026, 12, 31, 23, 59, 59))
    key = "GMVLMR27010101M100"
    assert elector_key_birth_date(key) == datetime.date(1927, 1, 1)
    clock.now = datetime.datetime(2027, 1, 1, 0, 0, 1)
    assert elector_key_birth_date(key) == datetime.date(2027, 1, 1)


def test_the_year_is_read_from_the_clock_once_a_day(monkeypatch):
    clock = _Clock(monkeypatch, datetime.datetime(2026, 6, 1, 8, 0))
    elector_key_warnings("GMVLMR80070501M100", "MARIA", "GOMEZ", "VALDEZ")
    clock.now = datetime.datetime(2026, 6, 1, 23, 59)
    elector_key_birth_date("GMVLMR90070501M100")
    assert clock.today_reads == 1
    clock.now = datetime.datetime(2026, 6, 2, 0, 0)
    elector_key_birth_date("GMVLMR90070501M100")
    assert clock.today_reads == 2


def test_warnings_of_an_already_normalised_key_do_not_normalise_it_again(monkeypatch):
    def fail(value):
        raise AssertionError("normalize_key called")

    monkeypatch.setattr(identity, "normalize_key", fail)
    warnings = elector_key_warnings("GMVLMR80023001M100", "MARIA", "GOMEZ", "VALDEZ")
    assert warnings == [
        "Los dígitos de fecha de nacimiento de la clave de elector (800230, AAMMDD) "
        "no forman una fecha real."
    ]


def test_a_key_still_to_normalise_gives_the_warnings_of_its_normalised_form():
    names = ("MARIA", "GOMEZ", "VALDEZ")
    assert elector_key_warnings(" gmvlmr-800230 01 m100 ", *names) == elector_key_warnings(
        "GMVLMR80023001M100", *names
    )


KEY_CHARACTERS = "ABGMXZagmxz0123456789HM -\u2013\u00a0ñÑáÁ\u0301"
keys = st.one_of(
    st.from_regex(r"[A-Za-zÑ ]{6,7}[0-9 \-]{8,9}[HMhm][0-9]{3}", fullmatch=True),
    st.text(alphabet=KEY_CHARACTERS, min_size=16, max_size=22),
    st.text(max_size=20),
)


@pytest.mark.parametrize("shaped", ["GMVLMR80070501M100", "AAAAAA00000000H000"])
def test_a_key_of_the_right_shape_is_well_formed_as_it_is(shaped):
    assert identity._well_formed_key(shaped) == shaped


@rules_settings
@given(keys)
def test_well_formed_key_is_the_normalised_key_when_it_has_the_shape(value):
    key = normalize_key(value)
    expected = key if ELECTOR_KEY_RE.fullmatch(key) else None
    assert identity._well_formed_key(value) == expected


def _birth_date_as_first_written(digits):
    """The rule as it read before the caches: the century that makes the date past."""
    year = int(digits[:2])
    century = 1900 if year > datetime.date.today().year % 100 else 2000
    try:
        return datetime.date(century + year, int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return None


@rules_settings
@given(st.from_regex(r"[0-9]{6}", fullmatch=True))
def test_cached_birth_date_equals_the_rule_for_any_digits(digits):
    assert elector_key_birth_date(f"GMVLMR{digits}01M100") == _birth_date_as_first_written(digits)
