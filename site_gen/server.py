"""The preview server: build, serve over HTTP, rebuild on every saved change, reload the browser.

Three threads share one ``PreviewServer``:

- the HTTP loop (tornado) answers requests from the last finished build;
- the watcher waits for a settled batch of changed sources (``watch.py``), calls
  ``IncrementalBuilder.rebuild`` and then asks the loop to reload every connected browser tab;
- the caller's thread, which waits for Ctrl-C and stops the other two.

The site is built into a private temporary folder, never the board's ``output/``, so a preview
with drafts cannot leak into a deploy. The writer swaps each new build in atomically, so a
request never sees a half-written site. A failed build keeps the last good files, prints the
error, and serves an error page with the same message in place of every page until a save
fixes it; the reload that follows brings the site back.

The ``livereload`` package gives the browser side: its ``livereload.js`` client and the
websocket protocol it speaks. It (and tornado, which it runs on) is used only in this module.

Files are served only from below the output folder: ``..``, encoded slashes, backslashes and
NUL bytes are refused with 403, and so is a symlink that leads outside; a missing file gets
the site's ``404.html`` with status 404. By default only 127.0.0.1 is bound and only requests
naming a loopback host are answered (a DNS-rebinding page cannot read drafts).
"""

from __future__ import annotations

import asyncio
import errno
import gc
import json
import shutil
import signal
import sys
import tempfile
import threading
import traceback
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import netutil, web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.websocket import WebSocketClosedError

from site_gen.build import BuildOptions, BuildReport, IncrementalBuilder, resolve_root
from site_gen.errors import ContentErrors, SitegenError, one_line, summed_up
from site_gen.progress import TerminalProgress
from site_gen.served_files import SiteHandler, loaded_by_pages, lookup
from site_gen.watch import SourceWatcher

LIVE_SCRIPT = b'<script src="/livereload.js"></script>'
DEFAULT_PORT = 8000
PORTS_TRIED = 20  # without --port: the default and the next ones, until one is free
DEFAULT_DEBOUNCE = 0.1  # seconds of quiet after a change before rebuilding
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


@dataclass(frozen=True)
class ServeOptions:
    """What ``sitegen serve`` was asked for."""

    build: BuildOptions = field(default_factory=BuildOptions)
    host: str = "127.0.0.1"
    # None: DEFAULT_PORT, or the next free one if it is busy; a number: that port or an
    # error (0 picks any free port)
    port: int | None = None
    open_browser: bool = False
    quiet: bool = False  # no summary after each build (warnings and errors still)
    default_port: int = DEFAULT_PORT  # the first port tried when ``port`` is None
    debounce: float = DEFAULT_DEBOUNCE


@dataclass(frozen=True)
class BuildStatus:
    """The outcome of the last build: ``error`` is its message, or None when it succeeded."""

    builds: int
    error: str | None
    report: BuildReport | None


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def listen(host: str, port: int | None, default: int = DEFAULT_PORT) -> list[Any]:
    """Bound sockets on ``port``; with no port given, on the first free one from ``default``
    on (another preview, or another tool, often has 8000)."""
    ports = [port] if port is not None else range(default, default + PORTS_TRIED)
    for candidate in ports:
        try:
            return netutil.bind_sockets(candidate, host)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE and candidate != ports[-1]:
                continue
            tried = f"{host}:{candidate}" if port is not None else f"{host}:{ports[0]}-{candidate}"
            raise SitegenError(
                f"cannot listen on {tried}: {exc.strerror} (choose another --port)"
            ) from None
    raise AssertionError("unreachable: the last port either binds or raises")


class PreviewServer:
    """Build, serve and rebuild one board; ``start``/``stop``, or ``serve_forever``."""

    def __init__(
        self, options: ServeOptions, *, out: TextIO | None = None, err: TextIO | None = None
    ) -> None:
        self.options = options
        self._out = out
        self._err = err
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._first_build = threading.Event()
        self._threads: list[threading.Thread] = []
        self._loop: IOLoop | None = None
        self._closing: asyncio.Event | None = None
        self._app: web.Application | None = None
        self._sockets: list[Any] = []
        self._workdir: Path | None = None
        self.status = BuildStatus(0, None, None)
        self.url = ""
        self.port = 0  # the port listened on, once started
        self.build_options = options.build

    @property
    def output(self) -> Path:
        """The folder being served (the last good build)."""
        assert self.build_options.output is not None
        return self.build_options.output

    def start(self) -> None:
        """Bind, start watching, build once, then serve; return when the site is up."""
        root = resolve_root(self.options.build)
        self._sockets = listen(self.options.host, self.options.port, self.options.default_port)
        self.port = self._sockets[0].getsockname()[1]
        self.url = f"http://{url_host(self.options.host)}:{self.port}/"
        self._workdir = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
        # Links must work on this server, whatever base_url the board deploys to.
        self.build_options = replace(
            self.options.build, root=root, output=self._workdir / "site", base_url=self.url
        )
        watcher = SourceWatcher(
            root, self.build_options.config_path, debounce=self.options.debounce, stop=self._stop
        )
        try:
            # The watch is in place before the first build, so no save is missed.
            watching = self._start_thread(lambda: self._watch(watcher), "sitegen-watch")
            while not self._first_build.wait(0.1):
                if not watching.is_alive():
                    raise RuntimeError("the file watcher stopped before the first build")
            self._start_thread(self._serve_http, "sitegen-http")
            if not self._ready.wait(10):
                raise RuntimeError("the HTTP server did not start")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop watching and serving, end both threads and remove the preview build."""
        self._stop.set()
        if self._loop is not None and self._closing is not None:
            self._loop.add_callback(self._closing.set)
        for thread in self._threads:
            thread.join(timeout=30)  # a build in progress finishes first
        for sock in self._sockets:
            sock.close()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)

    def serve_forever(self) -> None:
        """Serve until Ctrl-C (or SIGTERM, as a process manager stops it)."""
        self.start()
        in_main = threading.current_thread() is threading.main_thread()  # signals go there
        previous = signal.signal(signal.SIGTERM, lambda *_: self._stop.set()) if in_main else None
        try:
            default = self.options.default_port
            moved = self.options.port is None and self.port != default
            busy = f"port {default} is busy; " if moved else ""
            self._say(f"Serving {self.url} ({busy}press Ctrl-C to stop)", error=False)
            if self.options.open_browser:
                webbrowser.open(self.url)
            while not self._stop.wait(3600):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self._say("Stopping.", error=False)
            self.stop()
            if in_main:
                signal.signal(signal.SIGTERM, previous)

    def _start_thread(self, target: Any, name: str) -> threading.Thread:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()
        return thread

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- building ------------------------------------------------------------------------

    def _watch(self, watcher: SourceWatcher) -> None:
        # One builder for the server's life: its cache, workers and templates stay open.
        with IncrementalBuilder(self.build_options) as builder:
            for changed in watcher.batches():
                if self._stop.is_set():
                    return
                self._build(builder, changed or None)  # the first, empty batch: build all
                self._first_build.set()

    def _build(self, builder: IncrementalBuilder, changed: frozenset[Path] | None) -> None:
        """One build; its outcome becomes ``status`` and the open tabs are reloaded. After a
        save, the pages of edited descriptions are written first (``edited_pages``) and
        the tabs showing them reloaded at once; the others reload after the rebuild."""
        builds = self.status.builds + 1
        progress = self.build_options.progress  # shown while a build runs, if the CLI asked
        early: list[str] = []
        try:
            with progress if isinstance(progress, TerminalProgress) else nullcontext():
                if changed is not None and self.status.error is None:
                    early = builder.edited_pages(changed)
                    self._reload(frozenset(early))
                with collector_paused():
                    report = builder.build() if changed is None else builder.rebuild(changed)
        except SitegenError as exc:
            # The lines the CLI prints: a posting's text cannot reach the terminal raw.
            message = str(exc) if isinstance(exc, ContentErrors) else f"error: {one_line(str(exc))}"
            self.status = BuildStatus(builds, message, None)
            self._say(f"{message}\nBuild failed; the browser shows this until the next good save.")
        except Exception:  # a bug, but the preview should outlive it
            if self._stop.is_set():
                return  # stopping: the preview build was removed under this build
            message = f"sitegen crashed while building (a bug):\n{traceback.format_exc()}"
            self.status = BuildStatus(builds, message, None)
            self._say(message)
        else:
            self.status = BuildStatus(builds, None, report)
            if changed is None:
                for line in summed_up(report.warnings):
                    self._say(line)
            if not self.options.quiet:
                self._say(report.summary(), error=False)
        # After early pages, tabs reload again only where the rebuild changed what they show.
        built = self.status.report
        self._reload(frozenset(built.written.changed) if early and built else None)

    def _reload(self, changed: frozenset[str] | None) -> None:
        """Reload the tabs (on the HTTP loop): every tab, or those ``changed`` concerns."""
        if changed == frozenset():
            return
        if self._loop is not None and not self._stop.is_set():
            self._loop.add_callback(self._reload_browsers, changed)

    def _say(self, text: str, *, error: bool = True) -> None:
        stream = (self._err or sys.stderr) if error else (self._out or sys.stdout)
        print(text, file=stream, flush=True)

    # -- serving -------------------------------------------------------------------------

    def _serve_http(self) -> None:
        asyncio.run(self._serve_async())

    async def _serve_async(self) -> None:
        class Injector(LiveScriptInjector):
            script = LIVE_SCRIPT

        self._app = web.Application(
            [
                (r"/livereload", ReloadSocket),
                (r"/livereload\.js", LiveReloadJSHandler),
                (r".*", SiteHandler, {"preview": self}),
            ],
            transforms=[Injector],
            log_function=lambda handler: None,
        )
        server = HTTPServer(self._app)
        server.add_sockets(self._sockets)
        self._loop = IOLoop.current()
        self._closing = asyncio.Event()
        self._ready.set()
        await self._closing.wait()
        server.stop()
        for socket in self._browsers():
            socket.close()
        await server.close_all_connections()

    def listening_tabs(self) -> int:
        """How many browser tabs are connected for live reload."""
        return len(self._browsers())

    def _browsers(self) -> list[LiveReloadHandler]:
        # livereload keeps every connected tab in one class-wide set; take this server's.
        return [w for w in list(LiveReloadHandler.waiters) if w.application is self._app]

    def _reload_browsers(self, changed: frozenset[str] | None = None) -> None:
        """Tell tabs to reload: all of them, or those whose page is among the ``changed``
        files (below the output folder), and all if a file pages load changed (a style, a
        script, the search index)."""
        message = {"command": "reload", "path": "/", "liveCSS": False, "liveImg": False}
        everyone = changed is None or any(loaded_by_pages(path) for path in changed)
        for socket in self._browsers():
            if not everyone and not self._shows_one_of(socket, changed or frozenset()):
                continue
            try:
                socket.write_message(message)
            except WebSocketClosedError:
                LiveReloadHandler.waiters.discard(socket)

    def _shows_one_of(self, socket: LiveReloadHandler, files: frozenset[str]) -> bool:
        page = getattr(socket, "page", None)
        found = lookup(self.output, page) if isinstance(page, str) else None
        if found is None or found.file is None:
            return True  # a tab whose page is unknown, missing or redirected
        return found.file.relative_to(self.output.resolve()).as_posix() in files

    @property
    def build_error(self) -> str | None:
        return self.status.error

    def answers_host(self, host_name: str) -> bool:
        """On a loopback address, answer only requests that name a loopback host."""
        if self.options.host not in LOOPBACK_NAMES:
            return True
        return host_name in LOOPBACK_NAMES


class ReloadSocket(LiveReloadHandler):
    """livereload's websocket, open only to pages served by this server; it remembers the
    path of the page the tab shows (livereload.js says it in its ``info`` message)."""

    page: str | None = None

    def check_origin(self, origin: str) -> bool:
        return urlsplit(origin).netloc.lower() == self.request.host.lower()

    def on_message(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
        except ValueError:
            data = None
        if isinstance(data, dict) and data.get("command") == "info":
            url = data.get("url")
            self.page = urlsplit(url).path or "/" if isinstance(url, str) else None
        super().on_message(message)


def serve(options: ServeOptions) -> None:
    """``sitegen serve``: run the preview server until Ctrl-C."""
    PreviewServer(options).serve_forever()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off during a build, as ``sitegen build`` has it off for
    its whole run (``cli.run_build``): a build makes thousands of objects that all stay (the
    postings), which every collection would walk again. Turned back on after it, since the
    server lives on."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
