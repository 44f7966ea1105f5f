"""Model instances from rows of SQL written by hand, as the ORM makes them.

The reads every results page makes are SQL strings built once (their querysets cost
more to build than the queries to run: bench/README.md); these two helpers are the
one way their rows become instances. ``Model.from_db`` does not apply the fields'
converters, so only models whose read fields convert nothing may be read this way
(tests/searches/test_briefs.py checks them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections
from django.db.models import Model


def fields(model: type[Model], names: Sequence[str] | None = None) -> list[str]:
    """The attribute names of ``model``'s columns (those in ``names`` if given), in the
    model's order, which Model.from_db expects."""
    return [f.attname for f in model._meta.concrete_fields if names is None or f.attname in names]


def select_columns(
    alias: str, table: str, model: type[Model], names: Sequence[str] | None = None
) -> list[str]:
    """fields() as ``table``.column, for a SELECT list."""
    quote = connections[alias].ops.quote_name
    chosen = fields(model, names)
    return [
        f"{table}.{quote(str(f.column))}"
        for f in model._meta.concrete_fields
        if f.attname in chosen
    ]


def from_row(
    alias: str, row: Sequence[Any], *parts: tuple[type[Model], Sequence[str] | None]
) -> list[Any]:
    """An instance of each (model, names) of ``parts`` from a row holding their
    select_columns() in turn; the values after them are left to the caller."""
    made, at = [], 0
    for model, names in parts:
        chosen = fields(model, names)
        made.append(model.from_db(alias, chosen, row[at : at + len(chosen)]))
        at += len(chosen)
    return made
