"""What a template may rely on: the context's top-level names and the styles blocks use.

Kept apart from context.py so that checking a pack's templates (packs.py, on every
`validate`) does not import the whole context builder.
"""

from __future__ import annotations

CONTEXT_KEYS = frozenset(
    {
        "org",
        "dokument",
        "handläggare",
        "mottagare",
        "rubriker",
        "förslag",
        "avsnitt",
        "ställningstaganden",
        "beredningsansvariga",
        "underskrifter",
        "beslutsunderlag",
        "bilagor",
        "expedieras_till",
        "efterföljande_beslut",
        "protokoll",
        "förfrågan",
        "ersättning",
        "logo",
        "personer",
        "remiss",
        "motion",
        "delegation",
        "sammanträde",
        "egna_avsnitt",
        "kallelse",
        "delegationsanmälan",
        "antagen",
        "innehållsförteckning",
        "innehåll",
        "sida",
    }
)
"""The top-level names a template may use."""

STYLES = (
    "Normal",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "List Bullet 2",
    "List Number",
    "List Number 2",
    "Table Grid",
)
"""Paragraph and table styles the generated blocks use; every template must define them."""
