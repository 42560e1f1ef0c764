"""Case repositories: `arendegen init`, and the settings file `arendegen.yaml`."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from arendegen import codes
from arendegen.diagnostics import Diagnostic, printable, render
from arendegen.errors import InputError, PathError, UsageError, reason
from arendegen.loader import Loaded, load_file
from arendegen.paths import inside, resolves_inside
from arendegen.schema.messages import diagnostics_from
from arendegen.schema.types import Flag, Line, Model, fail

CONFIG = "arendegen.yaml"
SCHEMA = "arendegen.schema.json"
"""The case format's JSON Schema, at the top of a case repository, for editors."""
TEMPLATE = Path(__file__).parent / "repo_template"


def example_name(kind: str) -> str:
    """A kind's example file name in ASCII: 'förfrågan_om_utvecklingsmedel.yaml'."""
    return kind.replace("å", "a").replace("ä", "a").replace("ö", "o") + ".yaml"


PINNED = re.compile(
    r"arendegen\s*==\s*[0-9][0-9A-Za-z.+!-]*"
    r"|arendegen\s*@\s*git\+(?:https|ssh)://\S+@[0-9a-f]{40}"
    r"|arendegen\s*@\s*https://\S+\.whl#sha256=[0-9a-f]{64}"
)
"""What `arendegen:` in arendegen.yaml may say: one version from a package index, one git
commit, or one wheel on https with its SHA-256, as the workflow's install step also demands.
Never a bare name or a range, which whoever publishes next would fill, nor a file: a pull
request could name one it brings along."""


class RepoConfig(Model):
    """The settings of a case repository (arendegen.yaml); the command line goes first."""

    mall: Line = Field("region", description="Mallpaketet nya ärenden får.")
    ut: Line = Field("output", description="Mappen dokumenten skrivs till.")
    format: Line = Field(
        "docx,pdf",
        description="Vilka format dokumenten görs i, med komma: docx, pdf och odt.",
    )
    pdf: Literal["archive", "plain"] = Field("archive", description="archive eller plain.")
    mallar: Line | None = Field(None, description="Mapp med egna mallpaket.")
    utkast: Flag = Field(
        False,
        description="true: bygg ärenden med uppgifter som inte är kända ännu som utkast "
        "(som --utkast).",
    )
    arendegen: Line | None = Field(
        None,
        description="Den arendegen CI installerar, som pip skriver det: 'arendegen==0.1.0', "
        "'arendegen @ git+https://…@<commit>' eller en adress till ett hjul. Sätts av "
        "`arendegen init` till den som gjorde repot.",
    )

    @field_validator("arendegen")
    @classmethod
    def _pinned(cls, value: str | None) -> str | None:
        if value is not None and not PINNED.fullmatch(value.strip()):
            raise fail(
                f"'{value}' låser inte vilken arendegen CI installerar; skriv en version "
                "('arendegen==0.1.0'), en git-commit ('arendegen @ git+https://…@<40 tecken "
                "commit>') eller ett hjul med sin kontrollsumma ('arendegen @ "
                "https://…/arendegen-0.1.0-py3-none-any.whl#sha256=…')",
                codes.NOT_ALLOWED,
            )
        return value

    @field_validator("format")
    @classmethod
    def _known_formats(cls, value: str) -> str:
        from arendegen.output import parse_formats

        try:
            parse_formats(value)
        except ValueError as exc:
            raise fail(str(exc), codes.NOT_ALLOWED) from None
        return value


def read_config(folder: Path = Path()) -> RepoConfig | None:
    """The repository's settings, or None when it has no arendegen.yaml."""
    path = folder / CONFIG
    if not os.path.lexists(path):
        return None
    if not resolves_inside(path, folder):
        # never read: its text would be quoted in the messages (a link to /etc/passwd)
        raise UsageError(
            f"{printable(path)} är en länk som leder ut ur ärenderepot "
            f"(till {printable(path.resolve())}); inställningarna läses inte"
        )
    if not path.is_file():
        raise UsageError(f"{printable(path)} är ingen vanlig fil; inställningarna läses inte")
    loaded = load_file(path)
    if not loaded.ok:
        raise UsageError(
            "inställningarna går inte att läsa:\n" + render(loaded.diagnostics, "text")
        )
    try:
        config = RepoConfig.model_validate(loaded.data or {})
    except ValidationError as exc:
        problems = diagnostics_from(exc, RepoConfig, loaded)
        raise UsageError("fel i inställningarna:\n" + render(problems, "text")) from None
    problems = _folders_outside(config, folder, loaded)
    if problems:
        raise UsageError("fel i inställningarna:\n" + render(problems, "text"))
    return config


_FOLDER_OPTIONS = {"ut": "--out", "mallar": "--templates"}
"""The settings that name a folder, and the option that may name any folder instead."""


def _folders_outside(config: RepoConfig, folder: Path, loaded: Loaded) -> list[Diagnostic]:
    """A folder named in the settings must lie inside the repository (links resolved): the
    settings file is part of the repository, which a pull request may change."""
    problems = []
    for key, option in _FOLDER_OPTIONS.items():
        value = getattr(config, key)
        if value is None:
            continue
        try:
            inside(folder.resolve(), value, links=True)
        except PathError as exc:
            problems.append(
                loaded.diagnostic(
                    (key,),
                    f"{exc}; här godtas bara en mapp inom ärenderepot "
                    f"(på kommandoraden kan {option} ange vilken mapp som helst)",
                    codes.SETTING_OUTSIDE,
                )
            )
    return problems


def command_defaults(config: RepoConfig) -> dict[str, dict[str, Any]]:
    """Click default_map for the subcommands, from the repository's settings."""
    templates = (config.mallar,) if config.mallar and Path(config.mallar).is_dir() else ()
    return {
        "build": {
            "out": config.ut,
            "formats": config.format,
            "pdf_kind": config.pdf,
            "templates": templates,
            "drafts": config.utkast,
        },
        "validate": {"templates": templates},
        "diff": {"templates": templates},
    }


def install_spec() -> tuple[str, str | None]:
    """What pip should install in CI to get this very arendegen, and a warning when that
    cannot come from anywhere but this machine.

    Installed from a git repository at a commit, or from a wheel at an address, that is
    pinned as it was (PEP 610's direct_url.json); installed from a package index, the
    version. Installed from a folder on this machine (a checkout, `pip install -e .`),
    there is nothing CI could fetch: the version is written, with a warning to change it."""
    import json
    from importlib import metadata

    from arendegen import __version__

    pinned = f"arendegen=={__version__}"
    try:
        text = metadata.distribution("arendegen").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        text = None
    if not text:
        return pinned, None
    try:
        origin = json.loads(text)
    except ValueError:
        return pinned, None
    url = str(origin.get("url", ""))
    vcs = origin.get("vcs_info") or {}
    if vcs.get("commit_id") and url.startswith(("https://", "ssh://", "git@")):
        return f"arendegen @ git+{url}@{vcs['commit_id']}", None
    archive = origin.get("archive_info") or {}
    hashes = archive.get("hashes") or {}
    digest = f"sha256={hashes['sha256']}" if "sha256" in hashes else archive.get("hash") or ""
    if url.startswith("https://") and url.endswith(".whl") and digest.startswith("sha256="):
        return f"arendegen @ {url}#{digest}", None
    return pinned, (
        f"arendegen är installerad från {url or 'en mapp på den här datorn'}, som CI inte kan "
        f"hämta; arendegen.yaml säger '{pinned}', som bara fungerar när den versionen finns på "
        "PyPI. Ändra annars nyckeln arendegen före första push till något CI når: ett hjul på "
        "https med sin kontrollsumma ('arendegen @ https://…/arendegen-0.1.0-py3-none-any.whl"
        "#sha256=<sha256sum av hjulet>'), eller en git-commit ('arendegen @ "
        "git+https://…/arendegen.git@<hela commit-id:t>')"
    )


def files_for(pack: str) -> dict[str, str]:
    """Every file a new case repository gets, by path: settings, CI workflow, pre-commit
    hook, the case format's schema with editor settings that use it, and an example case of
    every kind of document."""
    import json

    from arendegen.schema.documents import DOCUMENT_KINDS
    from arendegen.schema.jsonschema import case_schema
    from arendegen.skeleton import skeleton

    spec, _ = install_spec()
    files = {
        CONFIG: (TEMPLATE / "arendegen.yaml")
        .read_text(encoding="utf-8")
        .replace("mall: region", f"mall: {pack}")
        + f"arendegen: {json.dumps(spec, ensure_ascii=False)}  # den arendegen CI installerar\n",
        ".gitignore": (TEMPLATE / "gitignore").read_text(encoding="utf-8"),
        ".github/workflows/arendegen.yml": (TEMPLATE / "arendegen-workflow.yml").read_text(
            encoding="utf-8"
        ),
        ".pre-commit-config.yaml": (TEMPLATE / "pre-commit-config.yaml").read_text(
            encoding="utf-8"
        ),
        "README.md": (TEMPLATE / "README.md").read_text(encoding="utf-8"),
        "templates/.gitkeep": "",
        SCHEMA: json.dumps(case_schema(), ensure_ascii=False, indent=2) + "\n",
        ".vscode/settings.json": json.dumps(
            {"yaml.schemas": {f"./{SCHEMA}": ["cases/**/*.yaml", "cases/**/*.yml"]}}, indent=2
        )
        + "\n",
        ".vscode/extensions.json": json.dumps({"recommendations": ["redhat.vscode-yaml"]}, indent=2)
        + "\n",
    }
    for number, kind in enumerate(DOCUMENT_KINDS, start=1):
        text = skeleton(kind, schema=f"../../{SCHEMA}", pack=pack)
        # each example its own diarienummer, so their documents' names never meet
        text = re.sub(r"(?m)^(diarienummer: \S+ )\S+$", rf"\g<1>2026/{100 + number}", text)
        files[f"cases/exempel/{example_name(kind)}"] = text
    return files


def init(folder: Path, *, existing: bool = False, pack: str = "region") -> list[Path]:
    """Make a case repository in `folder`; never overwrite a file. Returns what it wrote."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: är en fil, inte en mapp")
    if folder.is_dir() and any(folder.iterdir()) and not existing:
        raise UsageError(
            f"{folder} är inte tom; använd --existing för att lägga till det som saknas "
            "(inget som finns skrivs över)"
        )
    written = []
    for relative, text in files_for(pack).items():
        path = folder / relative
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise InputError.unreadable(path=path, reason=reason(exc)) from None
        written.append(path)
    return written
