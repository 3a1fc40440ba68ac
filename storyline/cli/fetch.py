"""``storyline fetch URL…`` and ``storyline watch FEEDS…``: articles from the web."""

from __future__ import annotations

import inspect
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from storyline.cli.common import ExitCode, console, errors, settings_of, store_of
from storyline.cli.ingest import exit_if_all_failed, print_report, read_options, run_batch
from storyline.ingest.addresses import AddressPolicy
from storyline.ingest.fetch import Fetcher, FetchSettings
from storyline.ingest.urls import looks_like_url

if TYPE_CHECKING:  # the readers (trafilatura, lxml) load when a command fetches, not for --help
    from storyline.ingest.files import ReadOptions, Rejected
    from storyline.ingest.web import WebOptions
    from storyline.model import Document
    from storyline.store import Store

_DEFAULTS = FetchSettings()


@dataclass
class WebSession:
    fetcher: Fetcher
    store: Store
    options: WebOptions

    def pages(self, urls: Iterable[str]) -> Iterator[Document | Rejected]:
        from storyline.ingest.web import fetch_pages

        return fetch_pages(urls, self.fetcher, self.store, self.options)

    def feeds(self, feeds: Iterable[str]) -> Iterator[Document | Rejected]:
        from storyline.ingest.web import poll_feeds

        return poll_feeds(feeds, self.fetcher, self.store, self.options)


@contextmanager
def web_session(
    store: Store,
    read: ReadOptions,
    *,
    allow_private: bool = False,
    networks: Iterable[str] = (),
    settings: FetchSettings | None = None,
    refresh: bool = False,
) -> Iterator[WebSession]:
    try:
        policy = AddressPolicy.from_options(allow_private, networks)
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--allow-network") from err
    with Fetcher(settings, policy) as fetcher:
        from storyline.ingest.web import WebOptions

        yield WebSession(fetcher, store, WebOptions(read, refresh=refresh))


AllowPrivate = Annotated[
    bool, typer.Option("--allow-private", help="Let requests reach private, loopback and shared addresses (intranets, tests).")
]
AllowNetwork = Annotated[
    list[str] | None, typer.Option("--allow-network", metavar="CIDR", help="Let requests reach this network too (repeatable).")
]
Delay = Annotated[float, typer.Option("--delay", min=0, help="Seconds between two requests to the same host.")]
Timeout = Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to connect and between two bytes of a response.")]
MaxSize = Annotated[float, typer.Option("--max-size", min=0.001, help="Largest response in MB, counted once decompressed.")]
Outlet = Annotated[str | None, typer.Option(help="Outlet of every document, as a domain (donga.com) or a name.")]
Zone = Annotated[str | None, typer.Option("--tz", help="Time zone for datelines that give none (e.g. Asia/Seoul).")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="List every document and every rejection.")]


# The options every command that fetches shares, added to each command's signature by @web_options.
SHARED: list[tuple[str, object, object]] = [
    ("outlet", Outlet, None),
    ("timezone", Zone, None),
    ("allow_private", AllowPrivate, False),
    ("allow_network", AllowNetwork, None),
    ("delay", Delay, _DEFAULTS.delay),
    ("timeout", Timeout, _DEFAULTS.timeout),
    ("max_size", MaxSize, _DEFAULTS.max_bytes / 1e6),
    ("verbose", Verbose, False),
]


def web_options(command: Callable[..., None]) -> Callable[..., None]:
    """Typer reads a command's options from its signature: give the command the shared ones,
    which it then receives in ``**shared``."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.kind != inspect.Parameter.VAR_KEYWORD]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind)
             for name, kind, default in SHARED]
    command.__signature__ = signature.replace(parameters=own + added)  # type: ignore[attr-defined]
    return command


@contextmanager
def shared_session(store: Store, shared: dict[str, Any], refresh: bool = False) -> Iterator[WebSession]:
    settings = FetchSettings(
        delay=shared["delay"], timeout=shared["timeout"], deadline=max(_DEFAULTS.deadline, 3 * shared["timeout"]),
        max_bytes=int(shared["max_size"] * 1_000_000),
    )
    read = read_options(shared["outlet"], shared["timezone"], None)
    with web_session(store, read, allow_private=shared["allow_private"], networks=shared["allow_network"] or (),
                     settings=settings, refresh=refresh) as session:
        yield session


@web_options
def fetch(
    ctx: typer.Context,
    urls: Annotated[list[str], typer.Argument(help="http(s) URLs of article pages.")],
    refresh: Annotated[bool, typer.Option("--refresh", help="Fetch URLs already stored again (conditional GET); a changed page is stored as a new document.")] = False,
    **shared: Any,
) -> None:
    """Fetch article pages, extract their text and metadata, analyse and store them.

    robots.txt is honoured; only public addresses are fetched unless --allow-private or --allow-network say
    otherwise (docs/fetching.md). A URL that fails is recorded as a rejection with its reason; the exit code is 1
    when every URL failed.
    """
    store = store_of(ctx, create=True)
    with shared_session(store, shared, refresh) as session:
        report = run_batch(session.pages(urls), store, settings_of(ctx))
    store.close()
    print_report(report, shared["verbose"])
    exit_if_all_failed(report)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_INTERVAL = 60.0  # polling a feed more often than once a minute is rude


def parse_interval(value: str) -> float:
    match = _DURATION.match(value)
    if match is None:
        raise typer.BadParameter(f"{value!r} is not a duration (e.g. 90s, 15m, 1h)", param_hint="--every")
    seconds = float(match[1]) * _UNITS[match[2].lower()]
    if seconds < MIN_INTERVAL:
        raise typer.BadParameter(f"{value!r} is shorter than a minute", param_hint="--every")
    return seconds


def feed_urls(arguments: Iterable[str]) -> list[str]:
    """Feed URLs, and the URLs listed in files (one a line; blank lines and # comments skipped)."""
    feeds: list[str] = []
    for argument in arguments:
        if looks_like_url(argument):
            feeds.append(argument)
            continue
        try:
            lines = Path(argument).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            raise typer.BadParameter(f"{argument} is neither a URL nor a readable file of URLs ({err})", param_hint="FEEDS") from err
        feeds += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not feeds:
        raise typer.BadParameter("no feed URLs given", param_hint="FEEDS")
    return list(dict.fromkeys(feeds))


@web_options
def watch(
    ctx: typer.Context,
    feeds: Annotated[list[str], typer.Argument(help="RSS/Atom feed URLs, or files listing them one a line.")],
    every: Annotated[str, typer.Option("--every", help="How often to poll: 90s, 15m, 1h, … (at least a minute).")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit (for cron).")] = False,
    **shared: Any,
) -> None:
    """Poll RSS/Atom feeds and ingest each new item from its page (or the feed's summary when the page cannot be had).

    Runs until Ctrl-C, or once with --once. What was seen is kept in the store, so a restart only takes new items;
    feeds are fetched with conditional GET. The exit code of --once is 1 when every feed failed.
    """
    interval = parse_interval(every)
    urls = feed_urls(feeds)
    settings = settings_of(ctx)
    store = store_of(ctx, create=True)
    nlp = None
    try:
        with shared_session(store, shared) as session:
            while True:
                started = time.monotonic()
                if nlp is None and not once:  # loaded once for every poll; --once loads it only when there is news
                    from storyline.analyze.pipeline import load_pipeline

                    nlp = load_pipeline(settings.model)
                report = run_batch(session.feeds(urls), store, settings, nlp=nlp)
                console.print(f"{datetime.now().astimezone():%Y-%m-%d %H:%M:%S %Z} polled {len(urls)} feeds")
                print_report(report, shared["verbose"])
                failed = {r.source for r in report.rejected if not r.item} & set(urls)
                if once:
                    if len(failed) == len(urls):
                        raise typer.Exit(int(ExitCode.NOTHING))  # every feed failed
                    return
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
    except KeyboardInterrupt:
        errors.print("stopped; what was stored stays stored, and the next run takes only new items.")
    finally:
        store.close()
