"""A list of values as one parameter of a statement, for `field__in` with any number of values:
SQLite takes at most 32,766 parameters in a statement in its default build, and Django compiles
each parameter in Python for every query that uses the list."""

import json

from django.db.models.expressions import RawSQL


def as_one_parameter(values, vendor, sql_type):
    """`values` as the right side of `field__in` on a database of `vendor`: an array of
    `sql_type` (a constant of the caller's, "bigint" or "text") on PostgreSQL, a JSON array on
    SQLite, the plain list elsewhere."""
    values = list(values)
    if vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{sql_type}[])", [values])  # noqa: S611 - a constant type
    if vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])  # noqa: S611
    return values
