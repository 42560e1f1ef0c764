"""The command line: options → keyword arguments → one library call; exit codes in one place.

Exit codes: 0 all is well, 1 a case has errors (or warnings, with --strict),
2 the command was used wrongly or a file could not be read or written.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from arendegen import __version__, click_sv
from arendegen.diagnostics import printable
from arendegen.errors import ArendegenError

if TYPE_CHECKING:
    from arendegen.render.remote import Pool
    from arendegen.shards import Shard

click_sv.install()  # click's own words (Usage, Options, its errors) in Swedish

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

F = TypeVar("F", bound=Callable[..., Any])


def _handle_errors(func: F) -> F:
    """Turn arendegen's own errors into a message and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ArendegenError as exc:
            click.echo(f"arendegen: {exc}", err=True)  # paths in it are printable()
            sys.exit(EXIT_USAGE)

    return wrapper  # type: ignore[return-value]


def _diagnostic_options(func: F) -> F:
    """The options `validate` and `build` share: how to print diagnostics, where packs are."""
    func = click.option(
        "-q",
        "--quiet",
        "chatter",
        flag_value=-1,
        help="Skriv bara diagnoserna (ingen sammanfattning, inga förloppsrader).",
    )(func)
    func = click.option(
        "-v",
        "--verbose",
        "chatter",
        flag_value=1,
        default=0,
        help="Skriv också varje ärende som kontrolleras och hur det gick; build också varje "
        "fil som skrivs, lämnas orörd eller tas bort.",
    )(func)
    func = click.option(
        "--templates",
        "templates",
        multiple=True,
        type=click.Path(path_type=Path, file_okay=False, exists=True),
        help="Mapp med egna mallpaket; söks före de inbyggda. Kan anges flera gånger.",
    )(func)
    return click.option(
        "--output-format",
        type=click.Choice(["text", "json", "github"]),
        default=lambda: "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text",
        show_default="text; github när GITHUB_ACTIONS=true",
        help="Hur diagnoserna skrivs ut; github ger ::error-rader som visas i pull requesten.",
    )(func)


def _shard_option(func: F) -> F:
    """--shard K/N, which `validate` and `build` share."""
    return click.option(
        "--shard",
        metavar="K/N",
        default=None,
        callback=lambda _ctx, _param, value: None if value is None else _shard(value),
        help="Bara del K av N av ärendena (1 ≤ K ≤ N ≤ 256), för N jobb i en CI-matris. "
        "Delen bestäms av ärendefilens sökväg, så ett ärende stannar i sin del när andra "
        "läggs till.",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="arendegen")
@click.pass_context
@_handle_errors
def cli(ctx: click.Context) -> None:
    """Beslutsunderlag ur YAML: kontrollerade, beräknade och i organisationens mall.

    I ett ärenderepo med arendegen.yaml gäller dess inställningar där inget annat anges.
    """
    if os.path.lexists("arendegen.yaml"):  # imported only then: --help and --version stay fast
        from arendegen.repo import command_defaults, read_config

        config = read_config()
        if config is not None:
            ctx.default_map = command_defaults(config)


@cli.command()
@click.argument("folder", metavar="MAPP", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--existing", is_flag=True, help="Lägg till det som saknas i en mapp som inte är tom."
)
@click.option(
    "--mall",
    "pack",
    default="region",
    show_default=True,
    metavar="NAMN",
    help="Mallpaket för ärendena och exemplen (kommun, region, … eller ett eget).",
)
@_handle_errors
def init(folder: Path, existing: bool, pack: str) -> None:
    """Gör ett ärenderepo i MAPP: inställningar, exempelärenden, CI-flöde och README."""
    from arendegen.repo import init as make_repo
    from arendegen.repo import install_spec

    for path in make_repo(folder, existing=existing, pack=pack):
        click.echo(f"skrev {path}", err=True)
    spec, warning = install_spec()
    click.echo(f"CI installerar {spec} (arendegen.yaml, nyckeln arendegen)", err=True)
    if warning:
        click.echo(f"arendegen: {warning}", err=True)
    click.echo(f"klart; gå till {folder} och kör: arendegen validate && arendegen build", err=True)


@cli.command()
@click.argument("paths", nargs=-1, metavar="[SÖKVÄG]...", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Låt varningar räknas som fel (exit 1).")
@_shard_option
@_diagnostic_options
@_handle_errors
def validate(
    paths: Sequence[Path],
    strict: bool,
    shard: Shard | None,
    output_format: str,
    templates: Sequence[Path],
    chatter: int,
) -> None:
    """Kontrollera ärendefiler (förval: cases/) och räkna deras summor."""
    from arendegen.diagnostics import render
    from arendegen.validate import check_part

    results, elsewhere = check_part(
        paths or [Path("cases")], templates=templates, shard=shard, out=_settings_out()
    )
    diagnostics = list(dict.fromkeys(d for r in results for d in r.diagnostics))
    if output_format == "json" or diagnostics:
        click.echo(render(diagnostics, output_format))
    errors = sum(len(r.errors) for r in results)
    warnings = sum(len(r.warnings) for r in results)
    failed = sum(1 for r in results if r.errors or (strict and r.warnings))
    if chatter > 0:
        for r in results:
            state = "fel" if r.errors else "varningar" if r.warnings else "godkänt"
            click.echo(f"{state}: {printable(r.file)}", err=True)
    if chatter < 0:
        if not results and not elsewhere:
            sys.exit(EXIT_USAGE)
        sys.exit(EXIT_INVALID if failed else EXIT_OK)
    click.echo(
        f"{count(len(results), 'ärende kontrollerat', 'ärenden kontrollerade')}: "
        f"{count(len(results) - failed, 'godkänt', 'godkända')}, "
        f"{count(failed, 'underkänt', 'underkända')} "
        f"({errors} fel, {count(warnings, 'varning', 'varningar')})" + _elsewhere(shard, elsewhere),
        err=True,
    )
    if not results and not elsewhere:
        click.echo("arendegen: inga ärendefiler (.yaml) hittades", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_INVALID if failed else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1, metavar="[SÖKVÄG]...", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("output"),
    show_default=True,
    help="Mappen dokumenten skrivs till.",
)
@click.option(
    "--format",
    "formats",
    default="docx,pdf",
    show_default=True,
    metavar="FORMAT[,FORMAT]...",
    callback=lambda _ctx, _param, value: _formats(value),
    help="Vilka format dokumenten görs i, med komma: docx, pdf och odt (OpenDocument). PDF "
    "och ODT görs av LibreOffice ur samma .docx.",
)
@click.option(
    "--pdf",
    "pdf_kind",
    default="archive",
    show_default=True,
    type=click.Choice(["archive", "plain"]),
    help="archive: PDF/A-2b, taggad och PDF/UA (för arkiv och publicering); plain: vanlig PDF.",
)
@click.option(
    "--jobs",
    "-j",
    metavar="ANTAL",
    type=click.IntRange(1, 64),
    default=None,
    help="Antal LibreOffice-processer samtidigt (förval: antalet kärnor).",
)
@click.option(
    "--timeout",
    metavar="SEKUNDER",
    type=click.FloatRange(1, 3600),
    default=60.0,
    show_default=True,
    help="Sekunder per dokument innan en hängd LibreOffice avbryts.",
)
@click.option(
    "--converter",
    metavar="lokal|unoserver://VÄRD:PORT[,VÄRD:PORT]...",
    default="lokal",
    show_default=True,
    callback=lambda _ctx, _param, value: _converter(value),
    help="Var .docx blir PDF: lokal (LibreOffice på den här datorn, --jobs åt gången) eller "
    "en eller flera körande unoserver; dokumenten delas mellan dem, och en som slutar svara "
    "används inte mer i bygget. Samma inställningar och samma bytes. ODT görs alltid lokalt.",
)
@click.option(
    "--bundle",
    is_flag=True,
    help="Gör också, per ärende, en PDF med huvudhandlingen följd av bilagorna (med bokmärken).",
)
@click.option("--force", is_flag=True, help="Bygg om allt, även ärenden som inte har ändrats.")
@click.option("--strict", is_flag=True, help="Bygg inte ärenden som har varningar (exit 1).")
@click.option(
    "--utkast",
    "drafts",
    is_flag=True,
    help="Bygg ärenden med uppgifter som inte är kända ännu (okänd) som utkast: UTKAST på "
    "varje sida, luckorna markerade, ingen PDF/A. Utan flaggan byggs de inte (en varning).",
)
@click.option(
    "--wait",
    metavar="SEKUNDER",
    type=click.FloatRange(0, 86400),
    default=600.0,
    show_default=True,
    help="Sekunder att vänta medan ett annat bygge skriver i samma --out (sedan exit 2).",
)
@_shard_option
@_diagnostic_options
@_handle_errors
def build(
    paths: Sequence[Path],
    out: Path,
    formats: tuple[str, ...],
    pdf_kind: str,
    jobs: int | None,
    timeout: float,
    converter: Pool | None,
    bundle: bool,
    force: bool,
    strict: bool,
    drafts: bool,
    wait: float,
    shard: Shard | None,
    output_format: str,
    templates: Sequence[Path],
    chatter: int,
) -> None:
    """Kontrollera ärendena (förval: cases/) och gör deras dokument i --out (förval: output/)."""
    from arendegen.diagnostics import render
    from arendegen.pipeline import Options
    from arendegen.pipeline import build as run_build

    _default_out_inside(out)
    options = Options(
        formats=formats,
        archive_pdf=pdf_kind == "archive",
        jobs=jobs or os.cpu_count() or 1,
        timeout=timeout,
        converter=converter,
        bundle=bundle,
        force=force,
        drafts=drafts,
    )
    started = time.monotonic()
    with _progress(chatter >= 0) as progress:
        report = run_build(
            list(paths) or [Path("cases")],
            out,
            templates=templates,
            strict=strict,
            options=options,
            progress=progress,
            wait=wait,
            waiting=lambda folder: click.echo(
                f"arendegen: ett annat bygge skriver i {folder}; väntar (högst {wait:g} s) …",
                err=True,
            ),
            shard=shard,
        )
    if not report.results and not report.elsewhere:
        click.echo("arendegen: inga ärendefiler (.yaml) hittades", err=True)
        sys.exit(EXIT_USAGE)
    found = (d for r in report.results for d in r.diagnostics)
    diagnostics = list(dict.fromkeys([*report.warnings, *found]))
    if output_format == "json":  # what was found, and what the build did with the files
        listed = json.loads(render(diagnostics, "json"))
        click.echo(json.dumps(_build_json(report, out, listed), ensure_ascii=False, indent=2))
    elif diagnostics:
        click.echo(render(diagnostics, output_format))
    if output_format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _step_summary(Path(os.environ["GITHUB_STEP_SUMMARY"]), report, out)
    failed = len(report.failed)
    if chatter < 0:
        sys.exit(EXIT_INVALID if failed else EXIT_OK)
    for note in report.notes:
        click.echo(f"arendegen: {note}", err=True)
    if chatter > 0 or not sys.stderr.isatty():
        listed = [("skrev", report.written), ("tog bort", report.removed)]
        if chatter > 0:
            listed.insert(1, ("oförändrad", report.unchanged))
        for verb, names in listed:
            for name in names:
                click.echo(f"{verb} {printable(out / name)}", err=True)
    click.echo(
        f"{count(len(report.results), 'ärende', 'ärenden')}: "
        f"{count(len(report.written), 'fil skriven', 'filer skrivna')}, "
        f"{count(len(report.unchanged), 'oförändrad', 'oförändrade')}, "
        f"{count(len(report.removed), 'borttagen', 'borttagna')}, "
        f"{count(failed, 'ärende', 'ärenden')} med fel"
        + (
            f", {count(len(report.incomplete), 'utkast inte byggt', 'utkast inte byggda')}"
            " (--utkast)"
            if report.incomplete
            else ""
        )
        + _elsewhere(shard, report.elsewhere)
        + f" ({time.monotonic() - started:.1f} s)",
        err=True,
    )
    sys.exit(EXIT_INVALID if failed else EXIT_OK)


def _elsewhere(shard: Shard | None, elsewhere: int) -> str:
    """', del 2/4; 7 ärenden i andra delar': what a sharded run left to the others."""
    if shard is None:
        return ""
    return f"; del {shard}, {count(elsewhere, 'ärende', 'ärenden')} i andra delar"


def _settings_out() -> Path:
    """The output folder a build here writes to by default: the settings' (ut:), else
    output/. A sharded validate names the cases as a build into it does."""
    root = click.get_current_context().find_root()
    out = (root.default_map or {}).get("build", {}).get("out")
    return Path(out) if out else Path("output")


@cli.command("merge-manifests")
@click.argument(
    "out", metavar="[UTMAPP]", required=False, type=click.Path(path_type=Path, file_okay=False)
)
@_handle_errors
def merge_manifests(out: Path | None) -> None:
    """Slå ihop manifestdelarna från byggen med --shard i UTMAPP (förval: inställningarnas
    ut:, annars output/) till ett manifest, t.ex. när matrisjobbens dokument har samlats i en
    mapp. Exit 1 om två ärenden i olika delar gör samma fil."""
    from arendegen.output import MANIFEST
    from arendegen.output import merge_manifests as merge

    out = out if out is not None else _settings_out()
    merged = merge(out)
    if merged.damaged is not None:
        click.echo(f"arendegen: varning: en manifestdel är skadad ({merged.damaged})", err=True)
    for name, first, second in merged.clashes:
        click.echo(
            f"arendegen: {printable(out / name)} görs av både {first} och {second}; ge "
            "handlingen ett annat id eller ärendet ett annat diarienummer",
            err=True,
        )
    if not merged.parts:
        click.echo(f"inga manifestdelar i {printable(out)}; inget att slå ihop", err=True)
    else:
        parts = count(len(merged.parts), "manifestdel", "manifestdelar")
        click.echo(f"slog ihop {parts} till {printable(out / MANIFEST)}", err=True)
        if not merged.signed:
            click.echo(
                "arendegen: manifestet är inte signerat här (delarna är gjorda på andra maskiner, "
                "eller ändrade): nästa bygge bygger och jämför varje ärende och tar inte bort något",
                err=True,
            )
    sys.exit(EXIT_INVALID if merged.clashes else EXIT_OK)


def _build_json(report: Any, out: Path, diagnostics: list[Any]) -> dict[str, Any]:
    """`build --output-format json`: the diagnostics, and each file written, left as it
    was, or removed (paths under --out), and the drafts not built."""
    return {
        "diagnostics": diagnostics,
        "written": [printable(out / n) for n in report.written],
        "unchanged": [printable(out / n) for n in report.unchanged],
        "removed": [printable(out / n) for n in report.removed],
        "not_built_drafts": list(report.incomplete),
        "failed": [r.file for r in report.failed],
    }


def _step_summary(summary: Path, report: Any, out: Path) -> None:
    """The job's summary on GitHub: what was built, what failed and why (Markdown)."""
    from arendegen.review_output import md

    lines = [
        "## arendegen",
        "",
        f"{count(len(report.results), 'ärende', 'ärenden')}, "
        f"{count(len(report.failed), 'med fel', 'med fel')}; "
        f"{count(len(report.written), 'fil skriven', 'filer skrivna')}, "
        f"{count(len(report.unchanged), 'oförändrad', 'oförändrade')}, "
        f"{count(len(report.removed), 'borttagen', 'borttagna')}.",
        "",
    ]
    if report.failed:
        lines += ["| ärende | fel |", "|---|---|"]
        for result in report.failed:  # names and messages quote the case: literal Markdown
            first = result.errors[0].as_text() if result.errors else ""
            lines.append(f"| {md(result.file)} | {md(first)} |")
        lines.append("")
    if report.written:
        lines += ["<details><summary>Skrivna filer</summary>", ""]
        lines += [f"- {md(str(out / name))}" for name in report.written]
        lines += ["", "</details>", ""]
    try:
        with summary.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    except OSError as exc:
        click.echo(f"arendegen: sammanfattningen kunde inte skrivas: {exc}", err=True)


def _default_out_inside(out: Path) -> None:
    """The default output folder is the repository's `output`, which a pull request can make
    a link out of the repository: then only `--out` (the person running the command) may
    send the outputs there. (A folder from the settings is checked when they are read.)"""
    from click.core import ParameterSource

    from arendegen.errors import UsageError
    from arendegen.paths import resolves_inside

    source = click.get_current_context().get_parameter_source("out")
    if source is ParameterSource.DEFAULT and not resolves_inside(out, Path.cwd()):
        raise UsageError(
            f"utmappen {printable(out)} leder ut ur ärenderepot (till {printable(out.resolve())}); "
            "ange --out om dokumenten ska skrivas där"
        )


@contextlib.contextmanager
def _progress(shown: bool = True) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress bar on a terminal; nothing (plain lines come after) elsewhere."""
    if not shown or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), transient=True
    ) as bar:
        task = bar.add_task("ärenden", total=None)

        def update(done: int, total: int, case: str) -> None:
            bar.update(task, completed=done, total=total, description=Path(case).name)

        yield update


class _KindsListed(click.Command):
    """A command whose help ends with the kinds of document TYP may be (read when asked)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from arendegen.schema.documents import DOCUMENT_KINDS

        formatter.write_paragraph()
        formatter.write_text("TYP är en av: " + ", ".join(DOCUMENT_KINDS) + ".")


@cli.command(cls=_KindsListed)
@click.argument("kind", metavar="TYP")
@click.argument("path", metavar="FIL", type=click.Path(path_type=Path, dir_okay=False))
@_handle_errors
def new(kind: str, path: Path) -> None:
    """Skriv ett kommenterat skelett för en handling av TYP till FIL (skriver aldrig över)."""
    from arendegen.repo import read_config
    from arendegen.skeleton import write_skeleton

    config = read_config() if os.path.lexists("arendegen.yaml") else None
    write_skeleton(kind, path, config.mall if config else None)
    click.echo(f"skrev {path}; fyll i det och kontrollera med: arendegen validate {path}", err=True)


@cli.command()
@click.option("--markdown", is_flag=True, help="Skriv fältreferensen som Markdown i stället.")
@_handle_errors
def schema(markdown: bool) -> None:
    """Skriv ut ärendeformatets JSON Schema (för redigerare med yaml-language-server)."""
    if markdown:
        from arendegen.docs import field_reference

        click.echo(field_reference(), nl=False)
        return
    from arendegen.schema.jsonschema import case_schema

    click.echo(json.dumps(case_schema(), ensure_ascii=False, indent=2))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[A B | SÖKVÄG...]")
@click.option(
    "--git",
    "revisions",
    nargs=2,
    metavar="A B",
    help="Jämför ärendefilerna (förval: cases/) vid två git-revisioner, t.ex. "
    "--git origin/main HEAD; SÖKVÄG väljer mappar eller filer.",
)
@click.option(
    "--output-format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="markdown passar som kommentar i en pull request eller som jobbsammanfattning.",
)
@click.option(
    "--templates",
    "templates",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Mapp med egna mallpaket; söks före de inbyggda. Kan anges flera gånger.",
)
@_handle_errors
def diff(
    paths: Sequence[Path],
    revisions: tuple[str, str] | None,
    output_format: str,
    templates: Sequence[Path],
) -> None:
    """Visa vad som ändrats i sak mellan två versioner: A och B (filer eller mappar), eller
    --git A B. Att-satser, belopp och summor (före → efter, med skillnaden), personer,
    mottagare, bilagor, datum. Exit 0 med eller utan ändringar."""
    from arendegen.errors import UsageError
    from arendegen.review_output import render
    from arendegen.review_sources import diff_files, diff_revisions

    if revisions:
        review = diff_revisions(*revisions, paths, templates=templates)
    elif len(paths) == 2:
        review = diff_files(*paths, templates=templates)
    else:
        raise UsageError("ange två filer (eller mappar) att jämföra, eller --git A B [SÖKVÄG...]")
    click.echo(render(review, output_format), nl=False)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `arendegen` console script."""
    # pydantic looks for plugins among every installed package's entry points on first use
    # (a tenth of a second); the command line has none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    cli.main(args=list(argv) if argv is not None else None, prog_name="arendegen")


def _shard(value: str) -> Shard:
    from arendegen.shards import parse_shard

    try:
        return parse_shard(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _converter(value: str) -> Pool | None:
    from arendegen.render.remote import parse_converter

    try:
        return parse_converter(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _formats(value: str) -> tuple[str, ...]:
    from arendegen.output import parse_formats

    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def count(n: int, one: str, many: str) -> str:
    """'1 ärende kontrollerat', '3 ärenden kontrollerade': Swedish agrees in number, even with 0."""
    return f"{n} {one if n == 1 else many}"


@cli.group()
def pack() -> None:
    """Mallpaket: gör ett eget ur ett befintligt, och visa vad ett pakets layouter är."""


@pack.command("ny")
@click.argument("name", metavar="NAMN")
@click.option(
    "--från",
    "base",
    default="region",
    show_default=True,
    metavar="NAMN",
    help="Paketet att utgå från.",
)
@click.option(
    "--mapp",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Mappen paketet skrivs i (förval: ärenderepots templates/).",
)
@click.option(
    "--templates",
    "templates",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Mapp med egna mallpaket att utgå från; söks före de inbyggda.",
)
@click.option(
    "--från-word",
    "word",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Organisationens Word-mall eller en färdig handling: sidformat, formatmallar, "
    "sidhuvud och sidfot (med logotyp) blir paketets Word-mall.",
)
@_handle_errors
def pack_new(
    name: str, base: str, folder: Path | None, templates: tuple[Path, ...], word: Path | None
) -> None:
    """Skriv ett nytt mallpaket NAMN, en kopia av --från med alla layouter utskrivna."""
    from arendegen.layout.forking import fork, repository_templates

    folder = folder if folder is not None else repository_templates()
    target, notes = fork(name, base, folder, templates, word)
    for note in notes:
        click.echo(
            f"behöll text i sidhuvud/sidfot: {printable(note)!r}; ta bort det i Word om det "
            "hör till en enskild handling",
            err=True,
        )
    click.echo(
        f"skrev {printable(target)}; ändra pack.yaml (layouter, rubriker, husregler) och "
        f"husmallen i Word, ange `mall: {name}` i ärendena och kontrollera med: "
        "arendegen validate",
        err=True,
    )


@pack.command("visa")
@click.argument("name", metavar="NAMN")
@click.argument("kinds", nargs=-1, metavar="[TYP]...")
@click.option(
    "--templates",
    "templates",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Mapp med egna mallpaket; söks före de inbyggda.",
)
@_handle_errors
def pack_show(name: str, kinds: tuple[str, ...], templates: tuple[Path, ...]) -> None:
    """Visa paketets layout för varje sorts handling (eller de TYP som anges), med varifrån
    varje del kommer: paketet eller arendegens standard."""
    from arendegen.layout.forking import show

    click.echo(show(name, kinds, templates), nl=False)


@cli.command()
@click.argument(
    "folder",
    metavar="[MAPP]",
    required=False,
    default=Path(),
    type=click.Path(path_type=Path, file_okay=False, exists=True),
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    metavar="PORT",
    help="Porten på 127.0.0.1 (förval: en ledig).",
)
@click.option("--no-browser", is_flag=True, help="Öppna inte webbläsaren.")
@_handle_errors
def serve(folder: Path, port: int, no_browser: bool) -> None:
    """Skriv och granska ärendena i MAPP (förval: den här) i webbläsaren: ett formulär
    bredvid den färdiga handlingen. Bara den här datorn når sidan (127.0.0.1)."""
    from arendegen.serve import serve as run

    def announce(url: str) -> None:
        click.echo(f"arendegen serve: öppna {url}\n(Ctrl+C avslutar)", err=True)

    run(folder, port=port, open_browser=not no_browser, announce=announce)


click_sv.localise(cli)  # last, when every command is defined
