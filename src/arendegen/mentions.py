"""References and figures named in text as `[[id]]`, written out the same way everywhere.

Runs at the context stage: the case comes back as a copy whose every text has its mentions
replaced, so templates, headings and tables all see 'KF 2022-11-28, § 111'.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from arendegen.compute_figures import ComparisonResult
from arendegen.formatting import format_date_as, format_paragraph, labelled_number
from arendegen.money import Money
from arendegen.schema import Case
from arendegen.schema.common import Reference
from arendegen.schema.matters import Comparison
from arendegen.schema.rules_matters import MENTION, case_texts


def reference_text(ref: Reference, dates: str = "iso") -> str:
    """'KF 2022-11-28, § 111', 'SOU 2016:48 Regional indelning'; dates in the house's style
    for running text (`dates`: iso, lång, den_lång, veckodag)."""
    if (ref.organ or ref.förkortning) and (ref.datum or ref.paragraf):
        parts = [
            " ".join(
                x
                for x in (
                    ref.förkortning or ref.organ,
                    ref.datum and format_date_as(ref.datum, dates),
                )
                if x
            )
        ]
        if ref.paragraf:
            parts.append(format_paragraph(ref.paragraf))
        if ref.diarienummer:
            parts.append(labelled_number(ref.diarienummer, "dnr"))
        return ", ".join(parts)
    head = " ".join(x for x in (ref.beteckning, ref.titel) if x)
    tail = ", ".join(x for x in (ref.utgivare, ref.datum and format_date_as(ref.datum, dates)) if x)
    if not head and ref.diarienummer:  # an earlier matter cited by its number alone
        return labelled_number(ref.diarienummer, "dnr") + (f" ({tail})" if tail else "")
    return f"{head} ({tail})" if tail else head


def comparison_text(
    item: Comparison, result: ComparisonResult, money: Callable[[Money], str], style: str
) -> str:
    """'38 mnkr bättre än budget', 'underskott om 74 mnkr' or '−74 mnkr'."""
    change = result.change
    size = money(Money(abs(change.kronor), change.unit, change.decimals))
    if style == "minus":
        return money(change) if change.kronor <= 0 else f"+{money(change)}"
    good = (change.kronor > 0) == (item.högre_är == "bättre")
    if change.kronor == 0:
        return f"i nivå med {item.mot}"
    if style == "överskott/underskott":
        return f"överskott om {size}" if good else f"underskott om {size}"
    return f"{size} {'bättre' if good else 'sämre'} än {item.mot}"


def with_mentions(case: Case, text_of: Callable[[str], str | None]) -> Case:
    """A copy of the case with every `[[id]]` replaced by `text_of(id)`, when it knows it."""
    if not _mentions_anything(case):
        return case

    def replace(text: str) -> str:
        def one(match: Any) -> str:
            found = text_of(match[1].strip())
            return found if found is not None else match[0]

        return MENTION.sub(one, text) if "[[" in text else text

    result = _replaced(case, replace)
    assert isinstance(result, Case)
    return result


def _mentions_anything(case: Case) -> bool:
    """Whether any text of the case has a `[[…]]`: most cases have none, and then the case
    is not copied."""
    return any("[[" in text for _, text in case_texts(case))


def _replaced(value: Any, replace: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, BaseModel):
        changes = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _replaced(old, replace)
            if new is not old:
                changes[name] = new
        return value.model_copy(update=changes) if changes else value
    if isinstance(value, list):
        items = [_replaced(v, replace) for v in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if isinstance(value, dict):
        mapped = {k: _replaced(v, replace) for k, v in value.items()}
        return mapped if any(mapped[k] is not value[k] for k in value) else value
    return value
