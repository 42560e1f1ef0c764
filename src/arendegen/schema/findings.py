"""A broken rule at a key path, and the helpers rules share to word it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from arendegen import codes
from arendegen.diagnostics import KeyPath, Rule, Severity
from arendegen.formatting import format_number
from arendegen.money import Amount, decimals_of
from arendegen.schema.tables import TableBase


@dataclass(frozen=True)
class Finding:
    """One broken rule, at a key path: the message says what, `rule` which rule."""

    path: KeyPath
    message: str
    rule: Rule

    @property
    def severity(self) -> Severity:
        assert self.rule.severity is not None
        return self.rule.severity


def unknown(what: str, key: str, known: Iterable[str]) -> str:
    """'det finns ingen tabell \'x\'; menade du \'y\'?' and the like."""
    names = sorted(known)
    close = difflib.get_close_matches(key, names, n=1)
    if close:
        return f"det finns ingen {what} '{key}'; menade du '{close[0]}'?"
    listed = ", ".join(names) if names else "inga"
    return f"det finns ingen {what} '{key}' (det finns: {listed})"


def no_unit(path: KeyPath, amount: Amount, *, in_table: bool = True) -> Finding:
    """An amount written without a unit where none applies."""
    typed = format_number(amount.number, decimals_of(amount.number)).replace("\u00a0", " ")
    where = ", eller ange tabellens `enhet`" if in_table else ""
    return Finding(path, f"'{typed}' saknar enhet; skriv t.ex. '{typed} kr'{where}", codes.NO_UNIT)


def amounts_need_unit(
    table: TableBase, items: Iterable[tuple[KeyPath, Amount]]
) -> Iterator[Finding]:
    """Every amount without a unit in a table that names none."""
    if table.enhet is not None:
        return
    for path, amount in items:
        if amount.unit is None:
            yield no_unit(path, amount)


def duplicates(values: list[str], path: KeyPath, what: str, rule: Rule) -> Iterator[Finding]:
    """Every value that appeared before it in the list."""
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            yield Finding((*path, i), f"{what} '{value}' finns två gånger", rule)
        seen.add(value)
