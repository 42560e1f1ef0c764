"""click's own words in Swedish: "Usage:", "Options", "Show this message and exit.", its error
messages. Every module of click looks its words up through a `_` (and `ngettext`) bound from
gettext when it was imported; `install` binds them to this table instead, whatever the
machine's locale, so that help and errors read as one language. A test finds every word click
asks for and fails when one has no Swedish here (a new click version)."""

from __future__ import annotations

import importlib

import click

WORDS = {
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "(dynamic)": "(beräknas)",
    "Aborted!": "Avbrutet.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": (
        "Ett argument deklareras med exakt ett namn, inte {length}: {decls}."
    ),
    "Boolean option {decl!r} cannot use the same flag for true/false.": (
        "Flaggan {decl!r} kan inte vara både sann och falsk."
    ),
    "Choice({choices})": "Val({choices})",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "Commands": "Kommandon",
    "Confirm the action without prompting.": "Bekräfta utan att fråga.",
    "Could not determine name for option with declarations {decls!r}": (
        "Flaggan {decls!r} har inget namn"
    ),
    "Could not open file {filename!r}: {message}": "Filen {filename!r} kan inte öppnas: {message}",
    "Couldn't detect Bash version, shell completion is not supported.": (
        "Bash-versionen kunde inte avgöras; komplettering i skalet stöds inte."
    ),
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Varning: kommandot {name!r} ska inte användas längre.{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Varning: {param_type} {name!r} ska inte användas längre.{extra_message}"
    ),
    "Do you want to continue?": "Vill du fortsätta?",
    "Error: The two entered values do not match.": "Fel: de två värdena är inte lika.",
    "Error: invalid input": "Fel: ogiltigt svar",
    "Error: {message}": "Fel: {message}",
    "Invalid start character for option ({option})": "Flaggan börjar med fel tecken ({option})",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Missing argument": "Argument saknas",
    "Missing command.": "Kommando saknas.",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Värde saknas",
    "Missing parameter: {param_name}": "Värde saknas: {param_name}",
    "Missing {param_type}": "{param_type} saknas",
    "Name '{name}' defined twice": "Namnet '{name}' finns två gånger",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?": (
        "Inga flaggor är deklarerade men ett namn är givet ({name}); menade du '--{name}'?"
    ),
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Options": "Flaggor",
    "Positional arguments": "Argument",
    "Press any key to continue...": "Tryck på en tangent för att fortsätta …",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Shell completion is not supported for Bash versions older than 4.4.": (
        "Komplettering i skalet kräver Bash 4.4 eller senare."
    ),
    "Show the version and exit.": "Visa versionen och avsluta.",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Unknown color {colour!r}": "Okänd färg {colour!r}",
    "Unknown standard stream '{name}'": "Okänd standardström '{name}'",
    "Usage:": "Användning:",
    "Value must be an iterable.": "Värdet ska vara en lista.",
    "Windows error: {error}": "Fel i Windows: {error}",
    "d": "d",
    "default: {default}": "förval: {default}",
    "deprecated": "ska inte användas",
    "directory": "mapp",
    "env var: {var}": "miljövariabel: {var}",
    "file": "fil",
    "path": "sökväg",
    "unknown error": "okänt fel",
    "{editor}: Editing failed": "{editor}: redigeringen misslyckades",
    "{editor}: Editing failed: {e}": "{editor}: redigeringen misslyckades: {e}",
    "{name} {filename!r} does not exist.": "{filename!r} finns inte.",
    "{name} {filename!r} is a directory.": "{filename!r} är en mapp.",
    "{name} {filename!r} is a file.": "{filename!r} är en fil.",
    "{name} {filename!r} is not executable.": "{filename!r} är inte körbar.",
    "{name} {filename!r} is not readable.": "{filename!r} kan inte läsas.",
    "{name} {filename!r} is not writable.": "{filename!r} kan inte skrivas.",
    "{value!r} is not a valid UUID.": "{value!r} är inte ett giltigt UUID.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} är inte ett sanningsvärde; giltiga värden: {states}"
    ),
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett tal.",
    "{value} is not in the range {range}.": "{value} ligger inte inom {range}.",
}
"""click's words, in Swedish; the '{…}' fields are click's, filled in by click."""

PLURALS = {
    "Got unexpected extra argument ({args})": (
        "Ett argument för mycket ({args})",
        "Argument för mycket ({args})",
    ),
    "Takes {nargs} values but 1 was given.": (
        "Tar {nargs} värden men fick 1.",
        "Tar {nargs} värden men fick {len}.",
    ),
    "Did you mean {possibility}?": (
        "Menade du {possibility}?",
        "(Menade du en av: {possibilities}?)",
    ),
    "Option {name!r} requires an argument.": (
        "Flaggan {name!r} behöver ett värde.",
        "Flaggan {name!r} behöver {nargs} värden.",
    ),
    "{value!r} is not {choice}.": (
        "{value!r} är inte {choice}.",
        "{value!r} är inte en av {choices}.",
    ),
    "{value!r} does not match the format {format}.": (
        "{value!r} har inte formen {format}.",
        "{value!r} har inte någon av formerna {formats}.",
    ),
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} värden behövs, men {len_value} gavs.",
        "{len_type} värden behövs, men {len_value} gavs.",
    ),
}
"""click's words that depend on a count, by their singular: the Swedish singular and plural."""

MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "shell_completion",
    "termui",
    "types",
    "utils",
    "_termui_impl",
)
"""The modules of click that look words up."""


def gettext(message: str) -> str:
    return WORDS.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    swedish = PLURALS.get(singular)
    if swedish is None:
        return singular if n == 1 else plural
    return swedish[0] if n == 1 else swedish[1]


def install() -> None:
    """Make click speak Swedish in this process."""
    for name in MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # a module click has dropped or that this platform lacks
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def localise(command: click.Command) -> None:
    """Name the placeholders of `command`'s usage line, and its subcommands', in Swedish."""
    command.options_metavar = "[FLAGGOR]"
    if isinstance(command, click.Group):
        command.subcommand_metavar = "KOMMANDO [ARGUMENT]..."
        for sub in command.commands.values():
            localise(sub)
