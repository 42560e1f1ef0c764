"""The decision package: the case's PDFs as one, still archival and still tagged.

Pages alone do not make a tagged PDF: every page's marked content is tied to the structure
tree by its /StructParents number and the tree's /ParentTree. So each part's pages are
copied with their structure: the part's tree goes under one /Document as a /Part, its
parent-tree numbers are moved past those of the parts before it (pages and annotations
alike), role maps are joined, and its own bookmarks go under the part's bookmark.

The package is PDF/A-2b only when every part is (the generated documents are; an attached
file is when it says so in its metadata), and PDF/UA only when every part claims it and
arendegen's structure checks pass on the whole (render/tagging.py). What keeps it from
either is said, so the build can warn.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from arendegen.render.pdf import Part, _pdf_date, describe_ua_schema, document_moment, tab_order
from arendegen.render.tagging import problems


@dataclass
class Bundled:
    """The package's bytes, and what it is."""

    pdf: bytes
    archival: bool
    accessible: bool
    not_archival: list[str] = field(default_factory=list)
    """The parts (their bookmark titles) that are not PDF/A, which keep the package from it."""


def bundle(
    parts: Sequence[Part],
    date: dt.date | None,
    title: str,
    *,
    number: str = "",
    author: str = "",
) -> Bundled:
    """One PDF of the parts in order: a bookmark per part with the part's own bookmarks
    under it, pages labelled 'Bilaga N-…', the parts' structure trees as one."""
    import pikepdf

    moment = document_moment(date)
    sources = [pikepdf.open(io.BytesIO(part.pdf)) for part in parts]
    try:
        claims = [_claims(source) for source in sources]
        not_archival = [
            p.title for p, (archival, _) in zip(parts, claims, strict=True) if not archival
        ]
        tagged = [_tagged(source) for source in sources]
        with pikepdf.new() as merged:
            document = merged.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, K=pikepdf.Array()
                )
            )
            root = merged.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=document)
            )
            document.P = root
            nums = pikepdf.Array()
            roles = pikepdf.Dictionary()
            numbers: list[object] = []
            next_key = 0
            with merged.open_outline() as outline:
                for part, source, has_tags in zip(parts, sources, tagged, strict=True):
                    start = len(merged.pages)
                    pages = {page.obj.objgen: start + i for i, page in enumerate(source.pages)}
                    mark = pikepdf.OutlineItem(part.title, start)
                    mark.children.extend(_outline(source, pages))
                    outline.root.append(mark)
                    merged.pages.extend(source.pages)
                    if has_tags:  # after its pages: the tree's /Pg are the pages just copied
                        offset = next_key
                        next_key = _structure(merged, source, document, nums, roles, offset)
                        _shift_pages(merged, start, offset)
                    else:  # numbers into a tree it does not bring would name another's
                        _unnumber_pages(merged, start)
                    label = pikepdf.Dictionary(S=pikepdf.Name.D)
                    if part.label:
                        label.P = pikepdf.String(f"{part.label}-")
                    numbers += [start, label]
            merged.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(numbers))
            if any(tagged):  # an untagged attachment's pages are simply not in the tree
                root.ParentTree = merged.make_indirect(pikepdf.Dictionary(Nums=nums))
                root.ParentTreeNextKey = next_key
                if roles:
                    root.RoleMap = roles
                merged.Root.StructTreeRoot = root
                merged.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
            merged.Root.Lang = pikepdf.String("sv-SE")
            merged.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
            merged.Root.PageMode = pikepdf.Name.UseOutlines
            archival = not not_archival
            intents = sources[0].Root.get("/OutputIntents")
            if archival and intents is not None:
                merged.Root.OutputIntents = _copy(merged, intents)
            accessible = all(tagged) and all(ua for _, ua in claims) and not problems(merged)
            _metadata(merged, (title, number, author), moment, archival, accessible)
            tab_order(merged)
            describe_ua_schema(merged)
            version = max(source.pdf_version for source in sources)
            first = hashlib.sha256(b"".join(hashlib.sha256(p.pdf).digest() for p in parts))
            identity = pikepdf.String(first.digest()[:16])
            merged.trailer.ID = pikepdf.Array([identity, identity])
            out = io.BytesIO()
            merged.save(out, deterministic_id=True, compress_streams=True, min_version=version)
    finally:
        for source in sources:
            source.close()
    return Bundled(out.getvalue(), archival, accessible, not_archival)


def _claims(source: Any) -> tuple[bool, bool]:
    """Whether a part says it is PDF/A (any part 2 or 3, or 1) and PDF/UA."""
    meta = source.open_metadata()
    return meta.get("pdfaid:part") in ("1", "2", "3"), meta.get("pdfuaid:part") == "1"


def _tagged(source: Any) -> bool:
    root = source.Root.get("/StructTreeRoot")
    return root is not None and "/ParentTree" in root and "/K" in root


def _structure(
    merged: Any, source: Any, document: Any, nums: Any, roles: Any, next_key: int
) -> int:
    """The part's structure tree under `document` as a /Part, its parent tree's entries
    moved up by `next_key`; the next free key after them."""
    import pikepdf

    tree = source.Root.StructTreeRoot
    offset = next_key
    kids = tree.K if isinstance(tree.K, pikepdf.Array) else pikepdf.Array([tree.K])
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/P" in kid:
            del kid["/P"]  # copied without the part's own root
    copied = [_copy(merged, kid) for kid in kids]
    for kid in copied:
        if kid.get("/S") == pikepdf.Name.Document:
            kid.S = pikepdf.Name.Part
        kid.P = document
        document.K.append(kid)
    for key, value in _number_tree(tree.ParentTree):
        nums.append(key + offset)
        nums.append(_copy(merged, value))
        next_key = max(next_key, key + offset + 1)
    for name, role in (tree.get("/RoleMap") or {}).items():
        if name not in roles:
            roles[name] = role
    return max(next_key, offset + int(tree.get("/ParentTreeNextKey", 0)))


def _copy(merged: Any, value: Any, depth: int = 0) -> Any:
    """A value of the part in the package: an indirect object copied (once, pages and all,
    QPDF keeps the map), a direct array or dictionary rebuilt around its copies."""
    import pikepdf

    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return merged.copy_foreign(value)
    if depth > 64:
        return pikepdf.Null()
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy(merged, item, depth + 1) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({k: _copy(merged, v, depth + 1) for k, v in value.items()})
    return value


def _shift_pages(merged: Any, start: int, offset: int) -> None:
    """The copied pages' and annotations' parent-tree numbers moved up by `offset`."""
    if not offset:
        return
    for page in list(merged.pages)[start:]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset


def _unnumber_pages(merged: Any, start: int) -> None:
    for page in list(merged.pages)[start:]:
        if "/StructParents" in page.obj:
            del page.obj["/StructParents"]
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                del annotation["/StructParent"]


def _number_tree(node: Any, depth: int = 0) -> list[tuple[int, Any]]:
    """A number tree's (key, value) pairs, leaves and kids alike."""
    found: list[tuple[int, Any]] = []
    nums = node.get("/Nums")
    if nums is not None:
        found += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
    for kid in node.get("/Kids", []) if depth < 32 else []:
        found += _number_tree(kid, depth + 1)
    return found


def _outline(source: Any, pages: dict[tuple[int, int], int]) -> list[Any]:
    """The part's own bookmarks (its headings), pointing at its pages in the package."""
    import pikepdf

    def items(children: Any, depth: int) -> list[Any]:
        made = []
        for item in children:
            page = _page_of(item, pages)
            copy = pikepdf.OutlineItem(item.title, page) if page is not None else None
            if copy is None:
                continue
            if depth < 16:
                copy.children.extend(items(item.children, depth + 1))
            made.append(copy)
        return made

    with source.open_outline() as outline:
        return items(outline.root, 0)


def _page_of(item: Any, pages: dict[tuple[int, int], int]) -> int | None:
    import pikepdf

    target = item.destination
    if target is None and item.action is not None:
        target = item.action.get("/D")
    if (
        isinstance(target, pikepdf.Array)
        and len(target)
        and isinstance(target[0], pikepdf.Dictionary)
    ):
        return pages.get(target[0].objgen)
    return None


def _metadata(
    merged: Any, said: tuple[str, str, str], moment: dt.datetime, archival: bool, accessible: bool
) -> None:
    """Title, diarienummer (subject and keywords, whole) and author, in the Info dictionary
    and the XMP alike, as PDF/A asks."""
    import pikepdf

    title, number, author = said
    iso = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    merged.docinfo["/Title"] = pikepdf.String(title)
    if number:
        merged.docinfo["/Subject"] = merged.docinfo["/Keywords"] = pikepdf.String(number)
    if author:
        merged.docinfo["/Author"] = pikepdf.String(author)
    merged.docinfo["/CreationDate"] = merged.docinfo["/ModDate"] = _pdf_date(moment)
    with merged.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = title
        meta["dc:language"] = ["sv-SE"]
        if number:
            meta["dc:description"] = number
            meta["pdf:Keywords"] = number
        if author:
            meta["dc:creator"] = [author]
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            meta[key] = iso
        if archival:
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "B"
        if accessible:
            meta["pdfuaid:part"] = "1"
