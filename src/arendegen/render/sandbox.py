"""The one place untrusted templates run: a sandbox that sees plain data, within bounds.

A template pack comes from a case repository, so it is as untrusted as a pull request. Jinja's
own sandbox keeps templates away from Python internals; this module adds what it leaves open:

- **Plain data only.** Attributes are looked up only on plain values (text, numbers, lists,
  dicts) and Jinja's own loop helpers, and only the methods that read: a template cannot
  reach an object that does I/O, and cannot change the data it is given.
- **No second pass.** Rendered text is never rendered again (render/compiled.py renders each
  part once), so template syntax in case text stays text.
- **Bounds before work.** Powers, repetition, joins, replacements, widths and ranges are
  refused before they are computed when their result would be too large; a part's output has
  a size bound and a document's rendering a time bound (`deadline`). Each bound has its own
  message.
- **Nothing from elsewhere.** `include`, `import` and `extends` are refused when a template is
  checked (there is no loader either), and so is `autoescape`, which would let case text
  into the XML unescaped; filters that could print case text raw (`safe`) or are slow on
  hostile text are not offered.
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import TemplateError
from jinja2.runtime import Context, LoopContext, Macro, Undefined
from jinja2.sandbox import SandboxedEnvironment, is_internal_attribute
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

MAX_VALUE = 2_000_000
"""Characters (or items) in any one value a template computes."""
MAX_WORK = 50_000_000
"""Characters and items one document's template may compute in all (each function's,
filter's and operator's result counted): what bounds the memory a template can take."""
MAX_OUTPUT = 64_000_000
"""Characters one part of a document may render to."""
MAX_ARGUMENT = 1_000_000
"""The largest whole number a template may pass to a function or filter."""
MAX_WIDTH = 10_000
"""The largest width a template may ask of a filter (center, indent, truncate) or a format."""
MAX_RANGE = 100_000
"""Items in a `range()`."""
MAX_POWER_BITS = 100_000
"""Bits in the result of `**`."""
RENDER_SECONDS = 10.0
"""Time one document's rendering may take."""


class TemplateLimit(TemplateError):
    """A template asked for more than a document may take; the message names the bound."""


# ---------------------------------------------------------------------------------------------
# What a template may look at


_STR_METHODS = frozenset(
    [
        "capitalize",
        "casefold",
        "count",
        "endswith",
        "find",
        "index",
        "isalnum",
        "isalpha",
        "isdecimal",
        "isdigit",
        "islower",
        "isnumeric",
        "isspace",
        "istitle",
        "isupper",
        "join",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "replace",
        "rfind",
        "rindex",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
    ]
)
_READ_METHODS: dict[type, frozenset[str]] = {
    str: _STR_METHODS,
    dict: frozenset({"get", "items", "keys", "values"}),
    list: frozenset({"count", "index"}),
    tuple: frozenset({"count", "index"}),
}
_LOOP = frozenset(
    [
        "index",
        "index0",
        "first",
        "last",
        "length",
        "revindex",
        "revindex0",
        "cycle",
        "depth",
        "depth0",
        "previtem",
        "nextitem",
        "changed",
    ]
)
PLAIN_TYPES: tuple[type, ...] = (str, int, bool, Decimal, type(None), list, tuple, dict)
"""What a template's context is made of, besides the renderer's ready XML and images."""


class _Generator(CodeGenerator):
    """Jinja's code generator, with every `~` concatenation and every list, tuple and dict
    the template writes weighed as it is made (nested literals of one long text would
    otherwise reach C code, a comparison or `tojson`, too large to stop)."""

    def visit_Concat(self, node: nodes.Concat, frame: Any) -> None:
        self.write("environment.checked_value(")
        super().visit_Concat(node, frame)
        self.write(")")

    def _output_child_pre(self, node: nodes.Expr, frame: Any, finalize: Any) -> None:
        # Each printed value counts as it is made: output captured by `{% set %}` blocks and
        # macros is held in a list until joined, and could fill memory before the join.
        self.write("environment.checked_value(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Any, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    def visit_List(self, node: nodes.List, frame: Any) -> None:
        self.write("environment.checked_value(")
        super().visit_List(node, frame)
        self.write(")")

    def visit_Dict(self, node: nodes.Dict, frame: Any) -> None:
        self.write("environment.checked_value(")
        super().visit_Dict(node, frame)
        self.write(")")

    def visit_Tuple(self, node: nodes.Tuple, frame: Any) -> None:
        if node.ctx != "load":  # a target to assign to (`{% for a, b in … %}`)
            super().visit_Tuple(node, frame)
            return
        self.write("environment.checked_value(")
        super().visit_Tuple(node, frame)
        self.write(")")


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, narrowed to plain data and bounded; see the module's docstring."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "+", "%", "/", "//"})

    def __init__(self) -> None:
        super().__init__(
            autoescape=True,
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            optimized=False,  # no constant folding: `{{ 10**10**9 }}` must not run when parsed
        )
        self.globals.pop("lipsum", None)
        self.globals["range"] = _range
        self.filters = {name: _bounded(name, f) for name, f in _allowed_filters(self.filters)}
        self.concat = _bounded_join  # type: ignore[method-assign]
        self.compiled: dict[str, Any] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        """Jinja's, remembering each compiled source: docxtpl compiles every part of a
        template again for every document, and a compiled template holds no state of a
        rendering (bench/RESULTS.md: compiling was the largest share of a document's time)."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self.compiled.get(source)
        if template is None:
            if len(self.compiled) >= 256:
                self.compiled.clear()
            template = self.compiled[source] = super().from_string(source)
        return template

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_") or is_internal_attribute(obj, attr):
            return False
        if isinstance(obj, Namespace):
            return True
        if isinstance(obj, LoopContext):
            return attr in _LOOP
        if isinstance(obj, Cycler):
            return attr in {"current", "next", "reset"}
        kind = next((k for k in _READ_METHODS if type(obj) is k), None)
        return kind is not None and attr in _READ_METHODS[kind]

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, Macro | Joiner) or _is_plain_callable(obj):
            return True
        if any(obj is g for g in self.globals.values()):
            return True
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if isinstance(owner, LoopContext):
            return name in {"cycle", "changed"}
        return isinstance(owner, Cycler) and name in {"next", "reset"}

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_arguments(args, kwargs)
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if type(owner) is str and name == "replace" and len(args) >= 2:
            _check_replace(owner, args[0], args[1])
        if type(owner) is str and name == "join" and args:
            items = list(args[0]) if not isinstance(args[0], list | tuple) else args[0]
            _check_size(len(items), "listan")
            _check_size(sum(len(str(i)) for i in items), "texten")
            args = (items, *args[1:])
        return _spent(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _check_binop(operator, left, right)
        return _spent(self.binop_table[operator](left, right))

    def checked_value(self, value: Any) -> Any:
        """A value the template computed (a `~` concatenation), refused when it is too large."""
        return _spent(value)


def _is_plain_callable(obj: Any) -> bool:
    """The read-only methods of plain values, and the sandbox's own globals."""
    owner = getattr(obj, "__self__", None)
    if owner is not None and type(owner) in _READ_METHODS:
        return getattr(obj, "__name__", "") in _READ_METHODS[type(owner)]
    return False


_SANDBOX: list[Sandbox] = []


def sandbox() -> Sandbox:
    """The only environment templates ever run in (one per process)."""
    if not _SANDBOX:
        _SANDBOX.append(Sandbox())
    return _SANDBOX[0]


# ---------------------------------------------------------------------------------------------
# Bounds


def _check_size(size: int, what: str) -> None:
    if size > MAX_VALUE:
        raise TemplateLimit(
            f"{what} skulle bli {size:,} tecken eller element lång; gränsen är {MAX_VALUE:,}".replace(
                ",", " "
            )
        )


def weight(value: Any, limit: int = MAX_VALUE) -> int:
    """Characters and items in a value, all the way down, counted until `limit` is passed
    (a list of one long text repeated weighs the text times the repetitions)."""
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, list | tuple):
            total += len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            total += len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, Namespace):
            attributes = item._Namespace__attrs  # what it holds
            total += len(attributes)
            stack.extend(attributes.values())
        elif hasattr(type(item), "__len__"):
            total += 1 + len(item)  # the renderer's ready XML, weighed as its text
        else:
            total += 1
    return total


def _spent(value: Any) -> Any:
    """Count a computed value against its document's bounds: MAX_VALUE for it alone,
    MAX_WORK for all the document's template computes."""
    size = weight(value)
    _check_size(size, "värdet")
    left = getattr(_DEADLINE, "work", None)
    if left is not None:
        _DEADLINE.work = left - size
        if _DEADLINE.work < 0:
            raise TemplateLimit(
                f"mallen räknar fram mer än {MAX_WORK // 1_000_000} miljoner tecken och element "
                "för ett dokument"
            )
    return value


def _check_whole(value: Any, what: str, bound: int) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > bound:
        raise TemplateLimit(
            f"{what} {_short(value)} är för stort; gränsen är {bound:,}".replace(",", " ")
        )


def _short(value: int) -> str:
    bits = abs(value).bit_length()
    return str(value) if bits < 64 else f"(ett tal med omkring {int(bits * 0.30103)} siffror)"


def _check_arguments(args: Iterable[Any], kwargs: dict[str, Any]) -> None:
    for value in [*args, *kwargs.values()]:
        _check_whole(value, "talet", MAX_ARGUMENT)


_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d*)(?:\.(\*|\d*))?")


def _check_format(text: str) -> None:
    """A %-format may not ask for widths that build huge text, one by one or together."""
    total = len(text)
    for match in _PRINTF.finditer(text):
        for part in match.groups():
            if part == "*" or (part and int(part) > MAX_WIDTH):
                raise TemplateLimit(
                    f"formatet '{match.group(0)[:20]}' ber om en bredd över {MAX_WIDTH}"
                )
            total += int(part) if part else 0
    _check_size(total, "formatet")


def _check_replace(text: str, old: Any, new: Any) -> None:
    if isinstance(old, str) and isinstance(new, str):
        count = len(text) + 1 if old == "" else text.count(old)
        _check_size(len(text) + count * max(0, len(new) - len(old)), "texten")


def _check_binop(op: str, left: Any, right: Any) -> None:
    sequence = (str, list, tuple)
    if op == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
        bits = max(1, abs(left).bit_length() - 1) * right if abs(left) > 1 else 0
        if bits > MAX_POWER_BITS:
            raise TemplateLimit(
                f"{_short(left)} ** {_short(right)} blir ett för stort tal "
                f"(över {MAX_POWER_BITS} bitar)"
            )
    elif op == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, sequence) and isinstance(times, int):
                _check_size(weight(seq) * max(0, times), "upprepningen")
        whole = isinstance(left, int) and isinstance(right, int)
        if whole and left.bit_length() + right.bit_length() > MAX_POWER_BITS:
            raise TemplateLimit(f"produkten blir ett för stort tal (över {MAX_POWER_BITS} bitar)")
    elif op == "+" and isinstance(left, sequence) and isinstance(right, sequence):
        _check_size(weight(left) + weight(right), "sammanfogningen")
    elif op == "%" and isinstance(left, str):
        _check_format(left)
        _check_size(len(left) + weight(right), "formatets värden")


def _range(*args: int) -> range:
    """`range`, at most MAX_RANGE items."""
    _check_arguments(args, {})
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(f"range() med {len(numbers)} tal; gränsen är {MAX_RANGE}")
    return numbers


def _bounded_join(chunks: Iterable[str]) -> str:
    """A part's output, refused when it grows past MAX_OUTPUT or its document's time."""
    parts: list[str] = []
    size = 0
    for count, chunk in enumerate(chunks):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise TemplateLimit(
                f"en del av dokumentet blir över {MAX_OUTPUT // 1_000_000} miljoner tecken"
            )
        if count & 1023 == 0:
            _check_time()
        parts.append(chunk)
    return "".join(parts)


# Filters: those that read plain data, with their size arguments bounded. Left out: `safe`
# (case text raw into the XML), `random` (a different document each time), `pprint`, and those
# that run regular expressions over text with quadratic worst cases (`striptags`, `urlize`,
# `wordwrap`, `xmlattr`).
_FILTERS = frozenset(
    [
        "abs",
        "attr",
        "batch",
        "capitalize",
        "center",
        "count",
        "d",
        "default",
        "dictsort",
        "e",
        "escape",
        "filesizeformat",
        "first",
        "float",
        "forceescape",
        "format",
        "groupby",
        "indent",
        "int",
        "items",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "map",
        "max",
        "min",
        "reject",
        "rejectattr",
        "replace",
        "reverse",
        "round",
        "select",
        "selectattr",
        "slice",
        "sort",
        "string",
        "sum",
        "title",
        "tojson",
        "trim",
        "truncate",
        "unique",
        "upper",
        "urlencode",
        "wordcount",
    ]
)
_WIDTHS = {"center": 1, "indent": 1, "truncate": 1, "batch": 1, "slice": 1}


def _allowed_filters(filters: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    return ((name, f) for name, f in filters.items() if name in _FILTERS)


def _bounded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """The filter, refusing arguments and results over the bounds before they are built."""
    position = _WIDTHS.get(name)

    def run(*args: Any, **kwargs: Any) -> Any:
        _check_arguments(args, kwargs)
        values = [a for a in args if not isinstance(a, Context | Undefined)]
        if position is not None and len(values) > position:
            _check_whole(values[position], f"bredden i |{name}", MAX_WIDTH)
        for key in ("width", "length", "linecount", "slices"):
            if key in kwargs:
                _check_whole(kwargs[key], f"bredden i |{name}", MAX_WIDTH)
        if name == "indent" and len(values) >= 2:
            lines = values[0].count("\n") + 1 if isinstance(values[0], str) else 1
            width = values[1] if isinstance(values[1], int) else len(str(values[1]))
            _check_size(len(str(values[0])) + lines * width, "texten")
        if name == "format" and values and isinstance(values[0], str):
            _check_format(values[0])
            _check_size(
                len(values[0]) + weight([*values[1:], *kwargs.values()]), "formatets värden"
            )
        if name == "replace" and len(values) >= 3 and isinstance(values[0], str):
            _check_replace(values[0], values[1], values[2])
        if name == "join" and values:
            items = list(values[0])
            _check_size(len(items), "listan")
            _check_size(sum(len(str(i)) for i in items), "texten")
        return _spent(function(*args, **kwargs))

    for attribute in ("jinja_pass_arg",):
        if hasattr(function, attribute):
            setattr(run, attribute, getattr(function, attribute))
    run.__name__ = getattr(function, "__name__", name)
    return run


# ---------------------------------------------------------------------------------------------
# Time


_DEADLINE = threading.local()


def _check_time() -> None:
    end = getattr(_DEADLINE, "end", None)
    if end is not None and time.monotonic() > end:
        raise TemplateLimit(_too_slow())


def _too_slow() -> str:
    seconds = getattr(_DEADLINE, "seconds", RENDER_SECONDS)
    return f"dokumentet tog längre än {seconds:g} sekunder att fylla i och avbröts"


class _Timeout(BaseException):
    """Raised by the alarm; BaseException so that no template-level handler swallows it."""


@contextlib.contextmanager
def deadline(seconds: float | None = None) -> Iterator[None]:
    """Bound the time of the rendering inside; a template that takes longer raises
    TemplateLimit. In the main thread an alarm interrupts even a loop that prints nothing;
    elsewhere the output is checked as it grows. Inside another deadline, the outer one holds.
    """
    if getattr(_DEADLINE, "end", None) is not None:
        yield
        return
    seconds = RENDER_SECONDS if seconds is None else seconds
    _DEADLINE.end = time.monotonic() + seconds
    _DEADLINE.seconds = seconds
    _DEADLINE.work = MAX_WORK
    main = threading.current_thread() is threading.main_thread()
    previous: Any = None
    if main:

        def alarm(signum: int, frame: Any) -> None:
            if getattr(_DEADLINE, "end", None) is not None:
                raise _Timeout

        previous = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Timeout:
        raise TemplateLimit(_too_slow()) from None
    finally:
        _DEADLINE.end = None  # first, so that an alarm arriving now does nothing
        _DEADLINE.work = None
        if main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------------------------------
# Checking a template before it runs


_FORBIDDEN: dict[type[nodes.Node], str] = {
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from … import %}",
    nodes.Extends: "{% extends %}",
    nodes.ScopedEvalContextModifier: "{% autoescape %}",
    nodes.EvalContextModifier: "{% autoescape %}",
}


def source_problems(source: str) -> list[tuple[int, str]]:
    """What is wrong with one part's template source, as (line, message) pairs.

    Syntax, unknown filters, constructs the sandbox refuses, and expressions without
    variables that fail when evaluated (`{{ 1/0 }}`, `{{ [].pop() }}`, `{{ 10**10**9 }}`).
    """
    env = sandbox()
    try:
        tree = env.parse(source)
        env.compile(tree)
    except TemplateError as exc:
        return [(getattr(exc, "lineno", 0) or 0, describe(exc))]
    except (RecursionError, SyntaxError, MemoryError):  # Python's own limits on nesting
        return [(0, "malltaggarna är för djupt nästlade för att kunna läsas")]
    problems = [
        (
            node.lineno,
            f"{what} är inte tillåtet i en mall: mallen får inte hämta något utifrån "
            "eller skriva ärendets text oskyddad",
        )
        for kind, what in _FORBIDDEN.items()
        for node in tree.find_all(kind)
    ]
    problems += _constant_problems(env, tree)
    return sorted(set(problems))


_EVALUATED = (
    nodes.BinExpr,
    nodes.UnaryExpr,
    nodes.Call,
    nodes.Filter,
    nodes.Test,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Compare,
    nodes.CondExpr,
    nodes.Concat,
)
CHECK_SECONDS = 5.0
"""Time for trying all of one part's expressions that use no variable."""


def _constant_problems(env: Sandbox, tree: nodes.Template) -> list[tuple[int, str]]:
    """Evaluate each largest expression that uses no variable, as rendering would, all of
    them within one time bound (a template of a thousand slow expressions is one problem)."""
    found: list[tuple[int, str]] = []
    known = set(env.globals)
    stack: list[nodes.Node] = [tree]
    try:
        with deadline(CHECK_SECONDS):
            while stack:
                node = stack.pop()
                constant = isinstance(node, _EVALUATED) and all(
                    name.name in known for name in node.find_all(nodes.Name)
                )
                if not constant:
                    stack.extend(node.iter_child_nodes())
                    continue
                template = nodes.Template([nodes.Output([node])], lineno=node.lineno)
                try:
                    env.from_string(template).render()
                except TemplateLimit as exc:
                    if "sekunder" in str(exc):
                        raise
                    found.append((node.lineno, describe(exc)))
                except Exception as exc:  # the expression's own failure is what we report
                    found.append((node.lineno, describe(exc)))
    except TemplateLimit:
        found.append(
            (0, f"mallens uttryck tog mer än {CHECK_SECONDS:g} sekunder att pröva; förenkla dem")
        )
    return found


def describe(error: BaseException) -> str:
    """A Swedish sentence for what went wrong inside a template."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    if isinstance(error, TemplateLimit):
        return f"mallen ber om för mycket: {error}"
    if isinstance(error, UndefinedError):
        return f"mallen använder något som inte finns: {error.message}"
    if isinstance(error, SecurityError):
        return f"mallen försöker göra något som inte är tillåtet: {error}"
    if isinstance(error, TemplateSyntaxError):
        return f"felaktig malltagg ({error.message})"
    if isinstance(error, TemplateError):
        return f"mallen kunde inte användas: {error.message or type(error).__name__}"
    if isinstance(error, ZeroDivisionError):
        return "mallen delar med noll"
    if isinstance(error, RecursionError):
        return "mallen är för djupt nästlad eller anropar sig själv utan slut (rekursion)"
    if isinstance(error, MemoryError):
        return "mallen behövde mer minne än som finns"
    if isinstance(error, TypeError | ValueError | ArithmeticError | LookupError):
        return f"mallen räknar med värden som inte går ihop: {error}"
    return f"mallen kunde inte fyllas i: {type(error).__name__}: {error}"


def check_plain(value: Any) -> None:
    """Raise TypeError when a context holds anything but plain data and the kinds made for
    templates (blocks of text, a logo's bytes): templates see no other objects."""
    from arendegen.blocks import Blocks, Logo

    leaves = {str, int, bool, Decimal, type(None), Blocks, Logo, Markup}
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            if not all(type(key) is str for key in item):
                raise TypeError("en nyckel i mallens data är ingen text")
            stack.extend(item.values())
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind not in leaves:
            raise TypeError(f"{kind.__name__} är inte ren data och når inte en mall")


__all__ = [
    "MAX_OUTPUT",
    "MAX_VALUE",
    "PLAIN_TYPES",
    "RENDER_SECONDS",
    "Sandbox",
    "TemplateLimit",
    "check_plain",
    "deadline",
    "describe",
    "sandbox",
    "source_problems",
]
