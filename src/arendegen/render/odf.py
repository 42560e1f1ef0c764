"""LibreOffice's OpenDocument text (.odt) made the same bytes for the same document.

LibreOffice gives every list a random `xml:id` and the document a random revision seed
(`Rsid`, `RsidRoot` in settings.xml), and dates each zip member by the clock. Here the lists
are numbered in the order they appear, the seed is fixed, and every member is dated by the
document's own date, as its PDF is. The mimetype stays the first member, stored, as ODF
requires; the rest keep LibreOffice's order and compression."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from arendegen.render.pdf import document_moment

_LIST_ID = re.compile(r'((?:xml:id|text:continue-list|text:list-id)=")(list\d+)(")')
_SEED = re.compile(r'(<config:config-item config:name="Rsid(?:Root)?" config:type="int">)\d+')


def reproducible_odt(data: bytes, date: dt.date | None) -> bytes:
    """The same .odt, with LibreOffice's random numbers and clock times replaced."""
    moment = document_moment(date).timetuple()[:6]
    numbers: dict[str, str] = {}

    def renumber(m: re.Match[str]) -> str:
        number = numbers.setdefault(m.group(2), f"list{len(numbers) + 1}")
        return m.group(1) + number + m.group(3)

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        members = old.infolist()
        if not members or members[0].filename != "mimetype":
            raise ValueError("filen är ingen OpenDocument-fil (mimetype saknas först)")
        for member in members:
            body = old.read(member)
            if member.filename.endswith(".xml"):
                text = _LIST_ID.sub(renumber, body.decode("utf-8"))
                if member.filename == "settings.xml":
                    text = _SEED.sub(r"\g<1>1", text)
                body = text.encode("utf-8")
            info = zipfile.ZipInfo(member.filename, date_time=moment)
            info.compress_type = member.compress_type
            info.external_attr = member.external_attr
            new.writestr(info, body)
    return out.getvalue()
