"""What the commands share: output that is safe to print, opening the store, exit codes.

Everything the commands print goes through :data:`console`, :data:`errors`,
:func:`echo` or :func:`echo_json`: documents are hostile input, and their
control characters (escape sequences that retitle the terminal, move the
cursor or write the clipboard; NULs; carriage returns that overwrite a line)
are taken out here, in one place. Rich markup is off, so a name such as
``[/]`` is printed as written, never parsed.
"""

from __future__ import annotations

import json
import re
import signal
import sys
from collections.abc import Iterable
from datetime import date
from enum import IntEnum
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

from storyline.config import Settings

if TYPE_CHECKING:
    from storyline.store import SQLiteStore


class ExitCode(IntEnum):
    """The exit codes of every command (README, "Exit codes")."""

    OK = 0  # done; for ingest: everything new was stored (skipping stored documents is fine)
    PARTIAL = 1  # ingest stored some inputs and rejected others; check found problems
    USAGE = 2  # bad option or argument (unknown or ambiguous id, bad query); the store cannot be used
    NOTHING = 3  # ingest stored nothing: every input was rejected
    INTERRUPTED = 130  # Ctrl-C (SIGINT): stopped cleanly; run the same command again to finish
    TERMINATED = 143  # SIGTERM: stopped cleanly, likewise


EPILOG = (
    "Exit codes: 0 done; 1 some inputs rejected (ingest) or problems found (check); "
    "2 bad usage or an unusable store; 3 every input rejected (ingest); 130 interrupted (Ctrl-C); "
    "143 terminated (SIGTERM)."
)

# C0 controls but newline and tab, DEL, C1 controls (a lone 0x9b is a CSI on some terminals).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f]")  # json.dumps escapes C0 itself


def clean(text: str) -> str:
    """``text`` without control characters, newline and tab excepted."""
    return _UNSAFE.sub("", text)


class SafeConsole(Console):
    """A rich Console that prints no control characters but its own (styles, cursor moves)."""

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control or not _UNSAFE.search(segment.text):
                yield segment
            else:
                yield Segment(clean(segment.text), segment.style)


console = SafeConsole(highlight=False, soft_wrap=True, markup=False)
errors = SafeConsole(stderr=True, highlight=False, markup=False, soft_wrap=True)


def echo(text: str) -> None:
    """One line to standard output, as it is (no wrapping, no styles), control characters removed."""
    sys.stdout.write(clean(text) + "\n")


def emit(lines: Iterable[Text]) -> None:
    """Lines of a long listing: styled through rich on a terminal; plain text, unwrapped, when
    the output goes to a file or a pipe, where rich's rendering would cost more than the query."""
    if console.is_terminal:
        for line in lines:
            console.print(line)
    else:
        sys.stdout.write("".join(clean(line.plain) + "\n" for line in lines))


def echo_json(record: Any) -> None:
    """One JSON Lines record; the control characters JSON leaves raw are escaped, so the data stays exact."""
    line = json.dumps(record, ensure_ascii=False)
    sys.stdout.write(_UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", line) + "\n")


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> typer.Exit:
    """Print ``message`` as an error; returns the Exit to raise."""
    errors.print(message, style="red")
    return typer.Exit(int(code))


def settings_of(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings()


def store_of(ctx: typer.Context, *, create: bool = False) -> SQLiteStore:
    """The store of ``--db``. Only the commands that add documents (``create``) make a new one:
    reading a store that is not there (a mistyped ``--db``) is an error, not an empty result."""
    from storyline import __version__
    from storyline.store import StoreError, open_store

    settings = settings_of(ctx)
    path = settings.db.removeprefix("sqlite:///")
    if not create and not settings.db.startswith(("postgresql://", "postgres://")) and not Path(path).exists():
        raise fail(f"no store at {path}: ingest documents into it first (storyline --db {path} ingest …), "
                   "or name the store with --db or STORYLINE_DB")
    try:
        return open_store(settings.db, analyzer=f"storyline {__version__}; {settings.model}")
    except StoreError as err:
        raise fail(str(err)) from err
    except Exception as err:  # a clear message instead of a traceback
        raise fail(f"cannot open the store {settings.db}: {err}") from err


def counted(n: int, noun: str) -> str:
    """"1 claim", "5 claims"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from err


def parse_range(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """``--since`` and ``--until`` as days; a range that ends before it starts is a mistake, not an empty answer."""
    first, last = parse_day(since), parse_day(until)
    if first and last and first > last:
        raise typer.BadParameter(f"--since {first} is after --until {last}")
    return first, last


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that clean-up runs (workers ended, store closed)."""


def raise_on_sigterm() -> None:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise Terminated()

    signal.signal(signal.SIGTERM, handler)
