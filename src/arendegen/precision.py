"""How many decimals a printed figure gets: the one rule, for every table and every figure in text.

A table (or a comparison named in the text) is printed in one unit, at the precision of its
own figures: the most decimals that any figure the case gives for it (a cell, a declared sum)
needs in that unit after conversion. 500 tkr in a mnkr table is 0,5: one decimal; 10,0 typed
in the table's own unit keeps its one. Every figure of the table is printed with that many
decimals, so its columns line up. Sums and differences of the given figures never need
more, so every printed sum is its exact value. A product (hours × rate, a percentage of a
frame) may need more: it gets them, so no printed figure is a rounded one and no small
amount is printed as 0. Kronor with öre get two decimals. The one figure that cannot be
exact, a quotient that does not end (a frame depreciated over years that do not divide it),
is rounded half away from zero to the table's decimals, at least one, and never to zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel

from arendegen.formatting import round_half_up
from arendegen.money import Amount, Money, Unit, decimals_of

NOT_GIVEN = frozenset({"tolerans"})
"""Amounts of a table that are not figures of it: the tolerance is never printed in it."""

MOST_DECIMALS = 30
"""Most decimals a rounded quotient is given so that it does not print as 0."""


@dataclass(frozen=True)
class Precision:
    """The unit a table is printed in and the decimals of its figures."""

    unit: Unit
    decimals: int

    def shown(self, value: Money) -> Money:
        """`value` as printed in this table: in its unit, with the decimals the rule gives."""
        exact = value.kronor / self.unit.factor
        if value.exact:
            places = max(self.decimals, decimals_of(exact.normalize()))
        else:
            places = max(self.decimals, 1)
            while exact and not round_half_up(exact, places) and places < MOST_DECIMALS:
                places += 1  # a depreciation of 0,004 mnkr a year is not 'none'
        if self.unit is Unit.KR and places == 1:
            places = 2  # kronor and öre: 537,50 kr
        return Money(value.kronor, self.unit, places, value.exact)


def precision(unit: Unit, figures: Iterable[Money | None]) -> Precision:
    """The precision of a table in `unit` whose own figures are `figures`."""
    decimals = max((f.decimals_in(unit) for f in figures if f is not None), default=0)
    return Precision(unit, 2 if unit is Unit.KR and decimals == 1 else decimals)


def given(model: object, unit: Unit | None) -> list[Money]:
    """Every amount a table (or a comparison) gives, resolved in `unit` when it names none.

    The whole model is walked, so a new field of a table counts without a change here.
    """
    found: list[Money] = []

    def walk(value: object) -> None:
        if isinstance(value, Amount):
            resolved = value.resolve(unit)
            if resolved is not None:
                found.append(resolved)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                if name not in NOT_GIVEN:
                    walk(getattr(value, name))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(model)
    return found
