"""A review as text (a terminal), Markdown (a pull request's comment, a job's summary) or
JSON (a program). The text of a case is untrusted: Markdown escapes it, so that a title
cannot add a link, a mention or HTML to a comment."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

from arendegen.diagnostics import printable
from arendegen.review import CaseDiff, Change, Review, on_each, prose_counts

NO_CHANGES = "Inga ändringar i sak."
MAX_MARKDOWN = 60_000
"""Longest Markdown written, in characters: a GitHub comment holds 65 536."""
MAX_DIFF_LINES = 200
"""Most lines of one text's diff shown in Markdown."""
LONG = 90
"""A change whose old and new value are together longer than this is written on two lines."""


def render(review: Review, output_format: str) -> str:
    """The review in `output_format`: text, markdown or json."""
    if output_format == "json":
        return json.dumps(as_json(review), ensure_ascii=False, indent=2) + "\n"
    if output_format == "markdown":
        return as_markdown(review)
    return as_text(review)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _overview(review: Review) -> str:
    changed = review.changed
    form = len(review.cases) - len(changed)
    words = [_count(len(changed), "ärende ändrat", "ärenden ändrade")]
    if form:
        words.append(
            _count(form, "ändrat bara i form", "ändrade bara i form") + " (kommentarer, skrivsätt)"
        )
    return ", ".join(words) + "."


def _state(case: CaseDiff) -> Iterator[str]:
    """What the reader must know about the versions before their changes."""
    if case.status == "tillagt":
        yield "nytt ärende" + _errors(case.new_errors, " (med {} fel)")
    elif case.status == "borttaget":
        yield "ärendet är borttaget"
    else:
        for side, errors in (("den gamla", case.old_errors), ("den nya", case.new_errors)):
            if errors:
                yield f"{side} versionen har {_count(errors, 'fel', 'fel')} (se arendegen validate)"
        if case.unreadable:
            yield "går inte att jämföra: en version kan inte läsas in (se felet)"
        if case.as_written:
            yield "jämfört så som YAML-filen lyder, eftersom en version inte är giltig"


def _errors(errors: int | None, form: str) -> str:
    return form.format(errors) if errors else ""


def _heading(case: CaseDiff) -> str:
    parts = [case.file]
    if case.diarienummer:
        parts.append(f"({case.diarienummer})")
    if case.title:
        parts.append(case.title if len(case.title) <= 160 else case.title[:159] + "…")
    return printable(" ".join(parts))


# --- text ----------------------------------------------------------------------------------


def as_text(review: Review) -> str:
    """For a terminal: a case per paragraph, a change per line."""
    changed = review.changed
    others = [f"Också ändrat, inte jämfört i sak: {printable(name)}" for name in review.others]
    if not changed:
        return "\n".join([NO_CHANGES, *others]) + "\n"
    lines = [f"Jämför {printable(review.old)} med {printable(review.new)}: {_overview(review)}"]
    for case in changed:
        lines += ["", f"{case.status}: {_heading(case)}"]
        lines += [f"  {printable(note)}" for note in _state(case)]
        for section, changes in on_each(case.changes, lambda c: c.section).items():
            if len(changes) == 1 and not changes[0].label:
                lines += _text_change(changes[0], section, "  ")
                continue
            lines.append(f"  {printable(section)}")
            for change in changes:
                lines += _text_change(change, change.label or section, "    ")
    if others:
        lines += ["", *others]
    return "\n".join(lines) + "\n"


def _text_change(change: Change, name: str, indent: str) -> list[str]:
    name = printable(name)
    old, new = printable(change.old or ""), printable(change.new or "")
    if change.kind in ("tillagd", "borttagen"):
        sign = "+" if change.kind == "tillagd" else "\u2212"
        if change.lines:  # a whole text
            return [f"{indent}{sign} {name} ({_count(len(change.lines), 'rad', 'rader')})"]
        value = new or old
        own = printable(change.where[-1]) if change.where else ""
        if value.startswith(own) and name.endswith(own):  # 'Lena Ås, Ekonomichef': once
            return [f"{indent}{sign} {name[: len(name) - len(own)]}{value}"]
        return [f"{indent}{sign} {name}: {value}"]
    if change.kind == "flyttad":
        return [f"{indent}{name} flyttad från {old} till {new}"]
    if change.kind == "text":
        return [f"{indent}{name} ändrad ({prose_counts(change)})"]
    after = f" ({change.difference})" if change.difference else ""
    if len(old) + len(new) <= LONG:
        return [f"{indent}{name}: {old} → {new}{after}"]
    return [
        f"{indent}{name} ändrad{after}:",
        f"{indent}  före:  {old}",
        f"{indent}  efter: {new}",
    ]


# --- Markdown ------------------------------------------------------------------------------


_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_AT_START = re.compile(r"^(?:([+>-])|(\d+)([.)]))")  # '#' is an entity, everywhere


def md(text: str) -> str:
    """Untrusted text as literal Markdown: no emphasis, link, HTML, table cell, heading,
    list or mention."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(printable(text).split("\n")))
    escaped = _AT_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped)
    # no mention (@namn) and no reference to an issue (#12, owner/repo#12, GH-12) that would
    # notify people or other repositories from a comment
    escaped = escaped.replace("#", "&#35;").replace("@", "&#64;")
    return re.sub(r"(?i)\bGH-(?=\d)", "GH&#45;", escaped)


def as_markdown(review: Review) -> str:
    """For a pull request's comment or a job's summary: a heading per case, a table of the
    figures, each att-sats as before and after, each text's diff folded."""
    lines = [f"## Ändringar i sak: {md(review.old)} → {md(review.new)}", ""]
    changed = review.changed
    others = _markdown_others(review.others)
    if not changed:
        return "\n".join([*lines, NO_CHANGES, "", *others])
    lines += [md(_overview(review)), ""]
    for case in changed:
        lines += [f"### {md(case.status.capitalize())}: {md(_heading(case))}", ""]
        notes = list(_state(case))
        if notes:
            lines += [f"> {md(note[:1].upper() + note[1:])}." for note in notes] + [""]
        sections = on_each(case.changes, lambda c: c.section)
        facts = [c[0] for c in sections.values() if len(c) == 1 and not c[0].label]
        facts = [c for c in facts if _fact(c)]
        if facts:  # the case's own facts (title, date …) changed: one table
            lines += _markdown_table(facts)
        for section, changes in sections.items():
            if changes[0] in facts:
                continue
            if any(c.label or not c.lines for c in changes):  # not only its own text
                lines += [f"**{md(section)}**", ""]
            lines += _markdown_section(changes)
    lines += others
    text = "\n".join(lines) + "\n"
    if len(text) > MAX_MARKDOWN:
        cut = text.rfind("\n", 0, MAX_MARKDOWN)
        text = text[:cut] + "\n\n_… förkortat; kör `arendegen diff` för hela listan._\n"
    return text


def _fact(change: Change) -> bool:
    """A value changed that fits a table's cell: a figure, a date, a name, a short title."""
    short = all(len(v or "") <= 100 for v in (change.old, change.new))
    return change.kind == "ändrad" and (bool(change.difference) or short)


def _markdown_table(changes: list[Change]) -> list[str]:
    with_difference = any(c.difference for c in changes)
    head = ["| | Före | Efter |" + (" Skillnad |" if with_difference else "")]
    head.append("|---|---|---|" + ("---:|" if with_difference else ""))
    rows = [
        f"| {md(c.label or c.section)} | {md(c.old or '')} | {md(c.new or '')} |"
        + (f" {md(c.difference or '')} |" if with_difference else "")
        for c in changes
    ]
    return [*head, *rows, ""]


def _markdown_section(changes: list[Change]) -> list[str]:
    figures = [c for c in changes if _fact(c)]
    rest = [c for c in changes if c not in figures]
    lines: list[str] = _markdown_table(figures) if figures else []
    items = [c for c in rest if c.kind != "text" and not c.lines]
    for change in items:
        lines += _markdown_item(change)
    if items:
        lines.append("")
    for change in (c for c in rest if c.kind == "text" or c.lines):
        lines += _markdown_prose(change)
    return lines


def _markdown_item(change: Change) -> list[str]:
    name = md(change.label or change.section)
    old, new = md(change.old or ""), md(change.new or "")
    own = md(change.where[-1]) if change.where else ""
    if change.kind in ("tillagd", "borttagen"):
        value, mark = (new, "**") if change.kind == "tillagd" else (old, "~~")
        if value.startswith(own) and name.endswith(own):  # 'Lena Ås, Ekonomichef': once
            shown = f"{name[: len(name) - len(own)]}{mark}{value}{mark}"
        else:
            shown = f"{name}: {mark}{value}{mark}"
        return [f"- {change.kind.capitalize()}: {shown}"]
    if change.kind == "flyttad":
        return [f"- {name}: flyttad från {old} till {new}"]
    return [f"- {name}:", f"  - Före: ~~{old}~~", f"  - Efter: **{new}**"]


def _markdown_prose(change: Change) -> list[str]:
    shown = list(change.lines[:MAX_DIFF_LINES])
    if len(change.lines) > MAX_DIFF_LINES:
        shown.append(f"… ({len(change.lines) - MAX_DIFF_LINES} rader till)")
    longest = max((len(m) for line in shown for m in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    what = {"tillagd": "tillagd", "borttagen": "borttagen"}.get(change.kind, "ändrad")
    summary = html.escape(f"{change.label or change.section} {what} ({prose_counts(change)})")
    return [
        f"<details><summary>{printable(summary).replace('@', '&#64;')}</summary>",
        "",
        f"{fence}diff",
        *(printable(line) for line in shown),
        fence,
        "",
        "</details>",
        "",
    ]


# --- JSON ----------------------------------------------------------------------------------


def _markdown_others(others: list[str]) -> list[str]:
    """The files changed beside the cases, for the reviewer to look at themselves."""
    if not others:
        return []
    listed = [f"- `{name}`" if "`" not in name else f"- {md(name)}" for name in others]
    return [
        f"**Också ändrat, inte jämfört i sak** ({len(others)}): länkar, bifogade filer, "
        "mallpaket, inställningar. Granska dem själv.",
        "",
        *listed,
        "",
    ]


def as_json(review: Review) -> dict[str, object]:
    """Every case compared, each change with its place, before, after and difference."""
    return {
        "old": review.old,
        "new": review.new,
        "changed": len(review.changed),
        "others": review.others,
        "cases": [
            {
                "file": case.file,
                "status": case.status,
                "title": case.title,
                "diarienummer": case.diarienummer,
                "old_errors": case.old_errors,
                "new_errors": case.new_errors,
                "as_written": case.as_written,
                "unreadable": case.unreadable,
                "changes": [
                    {
                        "kind": c.kind,
                        "section": c.section,
                        "label": c.label,
                        "path": c.path,
                        "old": c.old,
                        "new": c.new,
                        "difference": c.difference,
                        **(
                            {
                                "added_lines": c.added_lines,
                                "removed_lines": c.removed_lines,
                                "diff": list(c.lines),
                            }
                            if c.kind == "text"
                            else {}
                        ),
                    }
                    for c in case.changes
                ],
            }
            for case in review.cases
        ],
    }
