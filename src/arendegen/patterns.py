"""Regular expressions that come from a template pack, run with RE2.

A pack is untrusted input (CI builds whatever a pull request holds), and Python's `re`
backtracks: `(a+)+$` against a 43-character diarienummer runs for minutes. RE2 matches in
time linear in the text, whatever the pattern; what it cannot match so (backreferences,
lookaround) it refuses when the pattern is compiled, which is when the pack is read.
"""

from __future__ import annotations

import functools
import re
from typing import Any

ENGINE = "RE2"

_WHY = [
    (re.compile(r"invalid escape sequence: \\[1-9]"), "bakåtreferenser som \\1"),
    (re.compile(r"\(\?P$"), "bakåtreferenser som (?P=namn)"),
    (re.compile(r"\(\?<?[=!]"), "lookahead och lookbehind ((?=, (?!, (?<=, (?<!)"),
    (re.compile(r"invalid repetition size"), "upprepningar med fler än 1000 ({n,m})"),
]
"""RE2's English messages (short, ours) and what they mean for a pattern's author."""


@functools.lru_cache(maxsize=64)
def compile_untrusted(pattern: str) -> Any:
    """The pattern compiled by RE2; ValueError in Swedish when RE2 cannot take it."""
    import re2  # here, not at the top: most packs have no pattern and `validate` starts fast

    options = re2.Options()
    options.log_errors = False  # RE2 would print its own English line on standard error
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        raw = exc.args[0] if exc.args else ""
        detail = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        for found, lacks in _WHY:
            if found.search(detail):
                raise ValueError(
                    f"mallarnas mönster körs med {ENGINE}, som matchar i linjär tid och "
                    f"därför saknar {lacks}; skriv mönstret utan dem ({ENGINE}: {detail})"
                ) from None
        raise ValueError(f"mönstret går inte att tolka med {ENGINE}: {detail}") from None


def full_match(pattern: str, text: str) -> bool:
    """Whether all of `text` matches the pack's `pattern`, in time linear in the text."""
    return compile_untrusted(pattern).fullmatch(text) is not None
