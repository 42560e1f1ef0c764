"""Template packs: one folder per house style, found by name.

Search order: folders given with `--templates`, then the built-in packs. Each pack has a
`pack.yaml` saying whose style it is and how that organisation writes its figures.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator

from arendegen import codes
from arendegen.diagnostics import Diagnostic, Rule, diagnostic
from arendegen.layout.model import KINDS, HouseRules, Layout
from arendegen.loader import load_file
from arendegen.money import Unit
from arendegen.paths import resolves_inside
from arendegen.patterns import compile_untrusted
from arendegen.schema.case import SECTION_KEYS
from arendegen.schema.common import Person
from arendegen.schema.messages import diagnostics_from
from arendegen.schema.types import (
    Flag,
    Line,
    Markdown,
    Model,
    PositiveInteger,
    PropertyLine,
    fail,
)

BUILTIN = Path(__file__).parent / "templates"


class Headings(Model):
    """The headings and labels a house writes; a case may override a section's heading."""

    sammanfattning: Line = Field(description="Rubriken Sammanfattning.")
    förslag_till_beslut: Line = Field(description="Rubriken över förslaget till beslut.")
    bakgrund: Line = Field(description="Bakgrund, Ärendet, Beskrivning av ärendet …")
    överväganden: Line = Field(description="Överväganden, Motivering, Bedömning …")
    konsekvenser: Line = Field(description="Bedömda resultat och konsekvenser.")
    ekonomi: Line = Field(description="Resurser och finansiering, Ekonomiska konsekvenser …")
    konsekvensanalys: Line = Field(description="Barnkonsekvens- och jämställdhetsanalys.")
    ställningstaganden: Line = Field(description="Tillstyrker / avstyrker.")
    beredningsansvariga: Line = Field(description="Beredningsansvariga.")
    beslutsunderlag: Line = Field(description="Beslutsunderlag.")
    bilagor: Line = Field(description="Bilagor.")
    expedieras_till: Line = Field(
        description="Beslutet expedieras till / Styrelsens beslut delges."
    )
    beslut: Line = Field(description="Beslut, i protokollsutdrag.")
    reservation: Line = Field(description="Reservation, i protokollsutdrag.")
    ärendet: Line = Field(description="Ärendet, i protokollsutdrag.")
    beslutsgång: Line = Field(description="Beslutsgång, i protokollsutdrag.")
    utdrag_expedieras_till: Line = Field(
        description="Expedieras till / Skickas till, i protokollsutdrag."
    )
    justering: Line = Field(
        description="Raden för en justerad paragraf, t.ex. 'Paragrafen är justerad'."
    )
    beredning: Line = Field("Ärendets beredning", description="Ärendets beredning.")
    barnkonsekvenser: Line = Field("Barnkonsekvensanalys", description="Barnkonsekvensanalys.")
    sociala_konsekvenser: Line = Field("Sociala konsekvenser", description="Sociala konsekvenser.")
    miljökonsekvenser: Line = Field("Miljökonsekvenser", description="Miljökonsekvenser.")
    jämställdhetskonsekvenser: Line = Field(
        "Konsekvenser för jämställdhet", description="Jämställdhetskonsekvenser."
    )
    barnchecklista: Line = Field(
        "Barnkonsekvensanalys", description="Rubriken över barnkonsekvensanalysens checklista."
    )
    yrkanden: Line = Field("Yrkanden", description="Yrkanden, i protokoll.")
    propositionsordning: Line = Field(
        "Propositionsordning", description="Propositionsordning, i protokoll."
    )
    votering: Line = Field("Votering", description="Votering, i protokoll.")
    jäv: Line = Field("Jäv", description="Jäv, i protokoll.")
    särskilda_yttranden: Line = Field("Särskilt yttrande", description="Särskilt yttrande.")
    protokollsanteckningar: Line = Field(
        "Protokollsanteckning", description="Protokollsanteckning."
    )
    motion: Line = Field("Motionen", description="Rubriken över motionen eller medborgarförslaget.")
    remiss: Line = Field("Remissen", description="Rubriken över remissens uppgifter.")
    synpunkter: Line = Field("Synpunkter", description="Rubriken över remissvarets synpunkter.")
    delegation: Line = Field(
        "Beslut på delegation", description="Rubriken över uppgifterna om delegationen."
    )
    plats_och_tid: Line = Field("Plats och tid", description="Protokollets första sida.")
    ersättare: Line = Field("Ersättare", description="Protokollets första sida.")
    övriga: Line = Field("Övriga närvarande", description="Protokollets första sida.")
    frånvarande: Line = Field("Frånvarande ledamöter", description="Protokollets första sida.")
    närvaro: Line = Field("Närvaro", description="Rubriken över närvarotabellen.")
    ärendelista: Line = Field("Ärenden", description="Rubriken över föredragningslistan.")
    innehållsförteckning: Line = Field(
        "Innehåll", description="Rubriken över innehållsförteckningen."
    )
    tid: Line = Field("Tid", description="Kallelsens tid.")
    plats: Line = Field("Plats", description="Kallelsens plats.")
    kallade: Line = Field("Kallade", description="Kallelsens kallade ledamöter.")
    övriga_kallade: Line = Field("Övriga kallade", description="Kallelsens övriga kallade.")
    för_kännedom: Line = Field("För kännedom", description="Vilka som får kallelsen för kännedom.")
    delegationslista: Line = Field(
        "Delegationsbeslut", description="Rubriken över de anmälda delegationsbesluten."
    )
    mottagna_beslut: Line = Field(
        "Beslut från andra myndigheter", description="Rubriken över mottagna beslut."
    )
    justerare: Line = Field("Justerare", description="Protokollets första sida och underskrifter.")
    justeringens_plats_och_tid: Line = Field(
        "Justeringens plats och tid", description="Protokollets första sida."
    )
    paragrafer: Line = Field("Paragrafer", description="Protokollets första sida.")
    beslutande: Line = Field("Beslutande", description="Rubriken över de beslutande ledamöterna.")
    sekreterare: Line = Field("Sekreterare", description="Protokollets underskrifter.")
    ordförande: Line = Field("Ordförande", description="Protokollets underskrifter.")
    anslag: Line = Field("Bevis om anslag", description="Rubriken över anslaget.")
    syfte: Line = Field("Syfte", description="Förfrågans fråga om syfte.")
    mål: Line = Field("Mål", description="Förfrågans fråga om mål.")
    aktiviteter: Line = Field("Aktiviteter", description="Förfrågans fråga om aktiviteter.")
    tidsplan: Line = Field("Tidsplan", description="Förfrågans fråga om tidsplan.")
    samverkan: Line = Field("Samverkan", description="Förfrågans fråga om samverkan.")
    delaktighet: Line = Field(
        "Delaktighet för patienter, brukare och närstående",
        description="Förfrågans fråga om delaktighet.",
    )
    uppföljning: Line = Field("Uppföljning", description="Förfrågans fråga om uppföljning.")
    effekter: Line = Field("Förväntade effekter", description="Förfrågans fråga om effekter.")
    långsiktig_finansiering: Line = Field(
        "Långsiktig finansiering", description="Förfrågans fråga om långsiktig finansiering."
    )
    övrigt: Line = Field("Övrigt", description="Förfrågans övrigt.")


class DocumentNames(Model):
    """What each kind of document is called at its top."""

    tjänsteskrivelse: Line = Field(description="T.ex. Tjänsteskrivelse.")
    beslutsförslag: Line = Field(description="T.ex. Beslutsförslag.")
    budgetavvikelse: Line = Field(description="T.ex. Tjänsteskrivelse.")
    protokollsutdrag: Line = Field(description="T.ex. Protokollsutdrag.")
    förfrågan_om_utvecklingsmedel: Line = Field(description="T.ex. Förfrågan om utvecklingsmedel.")
    ersättningsmodell: Line = Field(description="T.ex. Ersättningsmodell.")
    tjänsteutlåtande: Line = Field("Tjänsteutlåtande", description="T.ex. Tjänsteutlåtande.")
    ärende: Line = Field("Ärende", description="T.ex. Ärende, eller 'Ärende till'.")
    skrivelse: Line = Field("Skrivelse", description="T.ex. Skrivelse.")
    remissyttrande: Line = Field("Remissyttrande", description="T.ex. Yttrande, Remissvar.")
    sammanträdesprotokoll: Line = Field("Protokoll", description="T.ex. Sammanträdesprotokoll.")
    delegationsbeslut: Line = Field("Delegationsbeslut", description="T.ex. Delegationsbeslut.")
    bilaga: Line = Field("Bilaga", description="T.ex. Bilaga.")
    styrdokument: Line = Field(
        "Styrdokument", description="T.ex. Styrdokument (en handlings `slag` går före: Plan)."
    )
    kallelse: Line = Field("Kallelse", description="T.ex. Kallelse, Föredragningslista.")
    delegationsanmälan: Line = Field(
        "Anmälan av delegationsbeslut", description="T.ex. Delegationsbeslut att anmäla."
    )


class PackConfig(Model):
    """The settings of one template pack (its pack.yaml)."""

    namn: Line = Field(
        description="Paketets namn: detsamma som mappens, som ärendefilens `mall` anger."
    )
    organisation: PropertyLine = Field(
        description="Organisationens namn, om ärendet inte anger något."
    )
    beskrivning: Markdown | None = Field(None, description="Vad paketet är till för.")
    miljonenhet: Literal["mnkr", "mkr", "Mkr"] = Field(
        "mnkr", description="Hur organisationen skriver miljoner kronor: mnkr, mkr eller Mkr."
    )
    diarienummer_mönster: Line | None = Field(
        None,
        description="Reguljärt uttryck som varje diarienummer i ärenden med denna mall måste "
        "matcha, i RE2:s syntax (körs i linjär tid; bakåtreferenser och lookaround finns inte, "
        "och \\d är bara 0–9).",
    )
    diarienummer_exempel: list[Line] = Field(
        default_factory=list, description="Exempel på giltiga diarienummer, för felmeddelanden."
    )
    rubriker: Headings = Field(description="Rubriker och etiketter i husets ordalydelse.")
    dokumentnamn: DocumentNames = Field(description="Vad varje sorts handling heter överst.")
    stilmall: Line | None = Field(
        None,
        description="Word-mallen med husets stil (formatmallar, sidformat, sidhuvud, sidfot) "
        "för alla sorters handlingar; brödtexten är ett enda stycke `{{p innehåll }}`.",
    )
    mallar: dict[str, Line] = Field(
        default_factory=dict,
        description="Egen Word-mall per sorts handling, om en sort ska ha en annan än "
        "`stilmall` (utan `stilmall`: tjansteskrivelse.docx, protokollsutdrag.docx …).",
    )
    kräver: dict[str, list[Literal[SECTION_KEYS]]] = Field(  # type: ignore[valid-type]
        default_factory=dict,
        description="Avsnitt som varje sorts handling måste ha, t.ex. "
        "`tjänsteskrivelse: [sammanfattning, konsekvensanalys]`.",
    )
    att_som_lista: Flag = Field(
        False, description="true: att-satserna står alltid som punktlista, även när det är en."
    )
    underskrifter: list[Person] = Field(
        default_factory=list, description="Underskrifter när ärendet inte anger några."
    )
    logo: Line | None = Field(
        None, description="Logotyp (PNG eller JPEG) i paketets mapp, överst på första sidan."
    )
    logo_höjd_mm: PositiveInteger = Field(15, description="Logotypens höjd i millimeter.")
    layouter: dict[Literal[KINDS], Layout] = Field(  # type: ignore[valid-type]
        default_factory=dict,
        description="Per sorts handling: huvudet överst och blocken i brödtexten, i ordning. "
        "En sort som inte nämns får arendegens standardlayout (`arendegen pack visa`).",
    )
    husregler: HouseRules = Field(
        default_factory=HouseRules,
        description="Hur huset skriver beslutspunkter, sidnummer, datum, sidhuvud och sidfot.",
    )
    jämförelse_uttryck: Literal["bättre/sämre", "överskott/underskott", "minus"] = Field(
        "bättre/sämre",
        description="Hur belopp mot en bas skrivs när ärendet inte säger det: "
        "'38 mnkr bättre än budget', 'underskott om 74 mnkr' eller '−74 mnkr'.",
    )

    @field_validator("layouter")
    @classmethod
    def _paragraphs_in_protocols(cls, layouts: dict[str, Layout]) -> dict[str, Layout]:
        for kind, layout in layouts.items():
            if layout.paragraf_block is not None and kind != "sammanträdesprotokoll":
                raise fail(
                    f"{kind}: `paragraf_block` gäller bara sammanträdesprotokoll (ett "
                    "protokollsutdrag är en paragraf: dess block står i `block`)",
                    codes.PARAGRAPH_BLOCKS_KIND,
                )
        return layouts

    @field_validator("diarienummer_mönster")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                compile_untrusted(value)
            except ValueError as exc:
                raise fail(f"'{value}': {exc}", codes.BAD_PATTERN) from None
        return value

    @property
    def unit_labels(self) -> dict[Unit, str]:
        """How this organisation writes each money unit."""
        return {Unit.KR: "kr", Unit.TKR: "tkr", Unit.MNKR: self.miljonenhet, Unit.MDKR: "mdkr"}


@dataclass(frozen=True)
class Pack:
    """A pack found on disk."""

    name: str
    folder: Path
    config: PackConfig


def search_path(extra: Sequence[Path] = ()) -> list[Path]:
    """Where packs are looked for: `--templates` folders, `./templates` of a case repository,
    then the built-in packs."""
    local = Path("templates")
    return [*extra, *([local] if local.is_dir() else []), BUILTIN]


def available(search: Sequence[Path] = ()) -> dict[str, Path]:
    """Every pack name that can be found, mapped to its folder; earlier folders win."""
    return _discover(search)[0]


def _discover(search: Sequence[Path]) -> tuple[dict[str, Path], dict[str, tuple[Path, str]]]:
    """The packs found, and the names of those refused with the reason.

    A pack in a case repository's `templates/` or a `--templates` folder whose folder or
    pack.yaml is a link leading out of that folder is refused (as attached files leading
    out of the repository are), and so is every pack of a `templates/` that is itself a
    link out of the repository. A refused pack still takes its name: a case naming it gets
    the refusal, never a pack of the same name found later.
    """
    found: dict[str, Path] = {}
    refused: dict[str, tuple[Path, str]] = {}
    for root in search_path(search):
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if folder.name in found or folder.name in refused:
                continue
            if not (folder / "pack.yaml").is_file():
                continue
            problem = None if root == BUILTIN else _leads_out(folder, root, root not in search)
            if problem is None:
                found[folder.name] = folder
            else:
                refused[folder.name] = (folder, problem)
    return found, refused


def _leads_out(folder: Path, root: Path, in_repository: bool) -> str | None:
    """Why a pack folder found in `root` may not be used, if it may not."""
    if in_repository and not resolves_inside(root, Path.cwd()):
        return f"mallmappen {root} är en länk till {os.path.realpath(root)}, utanför ärenderepot"
    for path in (folder, folder / "pack.yaml"):
        if not resolves_inside(path, root):
            link = path if path.is_symlink() else folder
            return (
                f"{link} är en länk till {os.path.realpath(link)}, utanför {root}; arendegen "
                "använder inte mallpaket utanför mallmappen"
            )
    return None


def suggest(name: str, search: Sequence[Path] = ()) -> str:
    """A Swedish message for an unknown pack name, with the nearest known one."""
    names = sorted(available(search))
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"; menade du '{close[0]}'?" if close else ""
    return f"okänd mall '{name}'; tillgängliga mallar: {', '.join(names)}{hint}"


_LOADED: dict[tuple[Path, bytes], tuple[Pack | None, list[Diagnostic]]] = {}


def load_pack(name: str, search: Sequence[Path] = ()) -> tuple[Pack | None, list[Diagnostic]]:
    """Read the named pack's pack.yaml; problems come back as diagnostics in that file.

    A pack.yaml read before with the same bytes is not parsed again (a build reads the same
    pack for every case).
    """
    found, refused = _discover(search)
    if name in refused:
        where, problem = refused[name]
        message = f"mallpaketet '{name}' används inte: {problem}"
        return None, [diagnostic(codes.PACK_REFUSED, str(where / "pack.yaml"), message)]
    folder = found.get(name)
    if folder is None:
        return None, []
    path = folder / "pack.yaml"
    try:
        key = (folder, path.read_bytes())
    except OSError:
        return None, load_file(path).diagnostics
    if key not in _LOADED:
        if len(_LOADED) >= 64:
            _LOADED.clear()
        _LOADED[key] = _read_pack(name, folder)
    pack, problems = _LOADED[key]
    return pack, list(problems)


def _read_pack(name: str, folder: Path) -> tuple[Pack | None, list[Diagnostic]]:
    loaded = load_file(folder / "pack.yaml")
    if not loaded.ok:
        return None, loaded.diagnostics
    try:
        config = PackConfig.model_validate(loaded.data)
    except ValidationError as exc:
        return None, diagnostics_from(exc, PackConfig, loaded)
    problems = []
    if config.namn != folder.name:  # `mall:` names the folder: a different namn misleads
        message = (
            f"namn är '{config.namn}' men mappen heter '{folder.name}'; ärendenas `mall:` "
            f"anger mappens namn, så skriv namn: {folder.name}"
        )
        problems.append(loaded.diagnostic(("namn",), message, codes.PACK_NAME_MISMATCH))
    return Pack(name, folder, config), problems


TEMPLATE_FILES = {
    "tjänsteskrivelse": "tjansteskrivelse.docx",
    "beslutsförslag": "tjansteskrivelse.docx",
    "budgetavvikelse": "budgetavvikelse.docx",
    "protokollsutdrag": "protokollsutdrag.docx",
    "förfrågan_om_utvecklingsmedel": "utvecklingsmedel.docx",
    "ersättningsmodell": "ersattningsmodell.docx",
    "tjänsteutlåtande": "tjansteskrivelse.docx",
    "ärende": "tjansteskrivelse.docx",
    "skrivelse": "tjansteskrivelse.docx",
    "remissyttrande": "remissyttrande.docx",
    "sammanträdesprotokoll": "sammantradesprotokoll.docx",
    "delegationsbeslut": "delegationsbeslut.docx",
    "bilaga": "bilaga.docx",
    "styrdokument": "bilaga.docx",
    "kallelse": "kallelse.docx",
    "delegationsanmälan": "delegationsanmalan.docx",
}
"""The template file of each kind of document, unless a pack's `mallar` says otherwise."""


def template_path(pack: Pack, kind: str) -> Path:
    """The .docx template this pack uses for `kind`: its own for the kind, else the pack's
    style template, else the file named after the kind."""
    name = pack.config.mallar.get(kind) or pack.config.stilmall or TEMPLATE_FILES[kind]
    return pack.folder / name


def uses_layout(pack: Pack, kind: str) -> bool:
    """Whether `kind` is arranged by the pack's layout (its style template holds only
    `{{p innehåll }}`), not by a hand-written template of its own."""
    return bool(pack.config.stilmall) and kind not in pack.config.mallar


def logo_path(pack: Pack) -> Path | None:
    """The pack's logo, if it has one."""
    return pack.folder / pack.config.logo if pack.config.logo else None


def _cache_file() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "arendegen" / "template-checks.json"


_CHECKED: dict[str, list[tuple[str, Rule]]] = {}


@functools.cache
def _checks() -> str:
    """The code that checks a template, as a hash: an answer remembered by other code (an
    older or newer arendegen of the same version number) is never reused."""
    render = Path(__file__).parent / "render"
    code = b"".join(
        (render / name).read_bytes()
        for name in ("package.py", "sandbox.py", "docx.py", "compiled.py")
    )
    return hashlib.sha256(code).hexdigest()


def _template_problems(path: Path, *, style_only: bool = False) -> list[tuple[str, Rule]]:
    """A template's problems, remembered across runs by the hash of its bytes.

    Reading a .docx template needs python-docx and docxtpl (a third of a second to import);
    a template whose bytes, and arendegen's version, are unchanged was checked before. The
    cache file is read once per process.
    """
    from arendegen import __version__
    from arendegen.contract import CONTEXT_KEYS, STYLES

    if not path.is_file():
        return [("mallfilen finns inte", codes.TEMPLATE_MISSING)]
    from arendegen.layout.wordimport import LAYOUT_STYLES

    styles, body = (LAYOUT_STYLES, ("innehåll",)) if style_only else (STYLES, ())
    seed = "\0".join([__version__, _checks(), *sorted(CONTEXT_KEYS), *styles, *body]).encode()
    key = hashlib.sha256(seed + path.read_bytes()).hexdigest()
    if key in _CHECKED:
        return list(_CHECKED[key])
    cache_file = _cache_file()
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
        if not isinstance(cache, dict):
            cache = {}
    except (OSError, ValueError):
        cache = {}
    _CHECKED.update((k, found) for k, v in cache.items() if (found := _remembered(v)) is not None)
    if key in _CHECKED:
        return list(_CHECKED[key])
    from arendegen.render.docx import template_problems

    problems = template_problems(path, CONTEXT_KEYS, styles, body)
    _CHECKED[key] = problems
    cache[key] = [[message, rule.code] for message, rule in problems]
    with contextlib.suppress(OSError):
        from arendegen.output import write_atomic

        write_atomic(cache_file, json.dumps(cache, ensure_ascii=False).encode("utf-8"))
    return list(problems)


def _remembered(value: object) -> list[tuple[str, Rule]] | None:
    """A cached answer, [[message, code], …], or None for one not of this shape (another
    version's, or edited)."""
    if not isinstance(value, list):
        return None
    found = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
            return None
        rule = codes.RULES.get(item[1]) if isinstance(item[1], str) else None
        if rule is None:
            return None
        found.append((item[0], rule))
    return found


def pack_problems(pack: Pack, kinds: Sequence[str]) -> list[Diagnostic]:
    """Problems with the templates this pack uses for `kinds`, one diagnostic each."""
    found = []
    named = [template_path(pack, kind) for kind in kinds]
    logo = logo_path(pack)
    for path in [*named, *([logo] if logo else [])]:
        if not _inside(path, pack.folder):
            found.append(
                _pack_error(
                    pack, path, "filen ligger utanför mallpaketets mapp", codes.PACK_FILE_OUTSIDE
                )
            )
    if logo is not None and not logo.is_file():
        found.append(_pack_error(pack, logo, "logotypen finns inte", codes.LOGO_MISSING))
    if found:
        return found
    if logo is not None:
        found += [
            _pack_error(pack, logo, message, codes.LOGO_PROBLEM) for message in _logo_problems(logo)
        ]
    laid_out = {template_path(pack, kind) for kind in kinds if uses_layout(pack, kind)}
    for path in sorted(set(named)):
        problems = _template_problems(path, style_only=path in laid_out)
        found += [_pack_error(pack, path, message, rule) for message, rule in problems]
    return found


MAX_LOGO_BYTES = 5 * 1024 * 1024


def _logo_problems(logo: Path) -> list[str]:
    """A logo is a PNG, JPEG or GIF of sensible size (LibreOffice spends seconds and a
    gigabyte a document on a picture of 30 000 × 30 000 pixels)."""
    from arendegen.render.package import image_problems

    if logo.stat().st_size > MAX_LOGO_BYTES:
        return [f"logotypen är större än {MAX_LOGO_BYTES // 1_048_576} MB"]
    return image_problems(logo.name, logo.read_bytes(), kinds=("png", "jpeg", "gif"))


@functools.lru_cache(maxsize=256)
def _inside(path: Path, folder: Path) -> bool:
    """Whether the file stays in the pack's folder, links resolved (asked once per build)."""
    return path.resolve().is_relative_to(folder.resolve())


def forget_resolved() -> None:
    """Resolve the packs' files again: a build or a check starts by calling this, since a
    template may have become a link out of its pack since the last one in this process."""
    _inside.cache_clear()


def template_error(pack: Pack, path: Path, message: str, rule: Rule) -> Diagnostic:
    """A problem of one of the pack's files, reported at that file."""
    return _pack_error(pack, path, message, rule)


def is_builtin(pack: Pack) -> bool:
    """Whether the pack is one of arendegen's own (tested, so trusted to render every case)."""
    return pack.folder.resolve().parent == BUILTIN.resolve()


def _pack_error(pack: Pack, path: Path, message: str, rule: Rule) -> Diagnostic:
    return diagnostic(rule, str(path), f"mallpaketet '{pack.name}': {message}")
