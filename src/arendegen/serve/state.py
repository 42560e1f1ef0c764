"""What the browser is told about an open case after each change: its text, the tree the
form is drawn from, every diagnostic (in `validate`'s words), and the computed figures of
its tables, formatted as the document prints them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from arendegen import editing
from arendegen.results import CaseResult
from arendegen.serve.workspace import Buffer, diagnostics_json, tree


def case_state(relative: str, buffer: Buffer, result: CaseResult, path: Path) -> dict[str, Any]:
    """`path`: the case file, as verified to be the one that was opened."""
    from arendegen.loader import MAX_FILE_BYTES

    try:
        with path.open("rb") as handle:
            disk: str | None = handle.read(MAX_FILE_BYTES + 1).decode("utf-8", "replace")
    except OSError:
        disk = None
    changed = disk is None or editing.digest(disk) != buffer.opened.digest
    return {
        "fil": relative,
        "text": buffer.text,
        "träd": tree(buffer.text),
        "diagnostik": diagnostics_json(result.diagnostics),
        "fel": len(result.errors),
        "varningar": len(result.warnings),
        "tabeller": figures(result),
        "handlingar": _documents(result),
        "osparad": buffer.dirty,
        "version": buffer.version,
        "ändrad_på_disk": changed,
        "på_disk": disk if changed else None,
    }


def _documents(result: CaseResult) -> list[dict[str, Any]]:
    if result.case is None:
        return []
    return [
        {"typ": doc.typ, "rubrik": f"{number}. {doc.typ}"}
        for number, doc in enumerate(result.case.handlingar, start=1)
    ]


def figures(result: CaseResult) -> dict[str, Any]:
    """Each computed table's figures under their printed names ('Summa 2026': '1 200 tkr'),
    and for a budget its row sums, column sums and total, which the grid shows beside the
    cells typed."""
    from arendegen.compute import BudgetResult
    from arendegen.formatting import format_money, format_number
    from arendegen.money import decimals_of
    from arendegen.review_figures import figures as named
    from arendegen.schema.tables import BudgetTable

    if result.case is None or result.computed is None:
        return {}
    labels = result.pack.config.unit_labels if result.pack is not None else None

    def shown(value: Any, suffix: str | None = None) -> str:
        if suffix is None:
            return format_money(value, labels=labels)
        number = value.kronor / value.unit.factor
        return format_number(number, max(value.decimals, decimals_of(number.normalize()))) + suffix

    out: dict[str, Any] = {}
    for key, computed in result.computed.tables.items():
        table = result.case.tabeller.get(key)
        listed = named(table, computed) if table is not None else None
        entry: dict[str, Any] = {
            "tal": [[name, shown(value, suffix)] for name, value, suffix in listed or []]
        }
        if isinstance(computed, BudgetResult) and isinstance(table, BudgetTable):
            entry["budget"] = {
                "radsummor": [shown(v) for v in computed.row_sums],
                "kolumnsummor": {
                    str(c): shown(computed.column_sums[c])
                    for c in table.kolumner
                    if c in computed.column_sums
                },
                "summa": shown(computed.total),
            }
        out[str(key)] = entry
    return out
