"""``make serve``: the book on http://127.0.0.1:8000, rebuilt on every save, open pages reloaded.

A rebuild is ``make book`` itself, with the same guarantees: only what an edit touches runs
again, warnings fail it, and a failure keeps the last good book served while its one line
shows in the terminal and on every open page. What is slow to start is kept warm between
rebuilds: kernels that have done the book's imports (``compendium: preimport``), each used
for one notebook and replaced after the rebuild, and a process holding Sphinx's application
and environment (``pipeline.warm_render``). An edit saved during a rebuild is seen when it
ends and rebuilt at once. Pages learn of a new book by asking the server (a long poll from a
small script the server adds to every page it sends; the files of the book are not changed).
Ctrl-C stops the server and everything the rebuilds started.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from compendium.book import project
from compendium.book.messages import BuildError, say
from compendium.book.paths import HTML, RENDER, RENDERED
from compendium.book.pipeline.build import build
from compendium.book.pipeline.fingerprints import tree_digest
from compendium.book.pipeline.leftovers import KERNELS, owned_folder, sweep_kernels
from compendium.book.pipeline.lock import project_lock
from compendium.book.pipeline.signals import Interrupted
from compendium.book.pipeline.warm_kernels import KernelPool
from compendium.book.pipeline.warm_render import WarmRenderer

ROUTE = "/__compendium__/"  # the server's own paths, beside the book's
POLL = 0.25  # seconds between two looks at the sources
SETTLE = 0.15  # seconds a change must rest before a rebuild starts (an editor writes a file in steps)
WAIT = 20.0  # seconds a page's question may wait for news before it is answered "nothing new"
SCRIPT = """(() => {
  let seen = null;
  const show = (error) => {
    let bar = document.getElementById("compendium-serve-error");
    if (!error) { if (bar) bar.remove(); return; }
    if (!bar) {
      bar = document.createElement("div");
      bar.id = "compendium-serve-error";
      bar.setAttribute("role", "alert");
      bar.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:9999;padding:.75em 1em;" +
        "background:#7a1f1f;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap";
      document.body.appendChild(bar);
    }
    bar.textContent = "The last edit did not build; this is the last good book.\\n" + error;
  };
  const ask = () => fetch("%sstate?seen=" + (seen === null ? "" : seen), {cache: "no-store"})
    .then((answer) => answer.json())
    .then((state) => {
      if (seen !== null && state.generation !== seen) { location.reload(); return; }
      seen = state.generation;
      show(state.error);
      ask();
    })
    .catch(() => setTimeout(ask, 1000));
  ask();
})();
""" % ROUTE


class BookState:
    """What the pages are told: the generation of the book served (one more after each good
    rebuild) and the line of the last failure, if the last rebuild failed."""

    def __init__(self) -> None:
        self.generation, self.error = 0, None
        self._changed = threading.Condition()

    def update(self, built: bool, error: str | None) -> None:
        with self._changed:
            self.generation += built
            self.error = error
            self._changed.notify_all()

    def wait(self, seen: int | None) -> dict:
        """The state, once it differs from the generation ``seen`` (or after ``WAIT`` seconds)."""
        with self._changed:
            self._changed.wait_for(lambda: seen is None or self.generation != seen, timeout=WAIT)
            return {"generation": self.generation, "error": self.error}


class BookHandler(SimpleHTTPRequestHandler):
    """Files of the book as built, each HTML page with the reload script; the state for the script."""

    def __init__(self, *args, root: Path, state: BookState, **kwargs):
        self.state = state
        super().__init__(*args, directory=str(root / HTML), **kwargs)

    def log_message(self, format, *args) -> None:  # requests are not the author's news
        pass

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        address = urlparse(self.path)
        if address.path == f"{ROUTE}reload.js":
            return self._send(SCRIPT.encode(), "text/javascript; charset=utf-8")
        if address.path == f"{ROUTE}state":
            seen = parse_qs(address.query).get("seen", [""])[0]
            state = self.state.wait(int(seen) if seen.isdigit() else None)
            return self._send(json.dumps(state).encode(), "application/json")
        page = Path(self.translate_path(address.path))
        if page.is_dir():
            page = page / "index.html"
        if page.suffix == ".html" and page.is_file():
            text = page.read_text(encoding="utf-8")
            tag = f'<script src="{ROUTE}reload.js"></script>'
            text = text.replace("</body>", tag + "</body>", 1) if "</body>" in text else text + tag
            return self._send(text.encode("utf-8"), "text/html; charset=utf-8")
        return super().do_GET()


def _watched(root: Path) -> dict[str, tuple[int, int]]:
    """Size and time of change of every file the book is built from (its sources and code)."""
    try:
        book = project.load(root)
    except BuildError:  # a broken _config.yml: the rebuild says why; the usual places are still watched
        book = project.Project(root, project.DEFAULTS)
    found = {}
    for name in (*book.sources, *book.code):
        base = root / name
        for path in (base.rglob("*") if base.is_dir() else [base]):
            if "__pycache__" in path.parts or ".ipynb_checkpoints" in path.parts:
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file():
                found[str(path.relative_to(root))] = (stat.st_mtime_ns, stat.st_size)
    return found


class Warm:
    """What the rebuilds keep warm: kernels with the imports done, and Sphinx."""

    def __init__(self, root: Path, workers: int | None, scratch: Path) -> None:
        book = project.load(root)
        self.root, self.code = root, book.code
        self.kernels = KernelPool(book.settings["preimport"], workers or os.cpu_count() or 1, scratch)
        self.renderer = WarmRenderer(root, book.code)

    def refill(self) -> None:
        """Warm kernels for the next rebuild, under the code as it is now, and Sphinx for its render."""
        self.kernels.refill(tree_digest(self.root, self.code))
        if (self.root / RENDER / RENDERED).is_file():
            self.renderer.start(self.root / RENDER)

    def close(self, at_once: bool = False) -> None:
        """Stop the renderer and the kernels; ``at_once`` on Ctrl-C (see ``KernelPool.close``)."""
        self.renderer.stop(at_once)
        self.kernels.close(at_once)


def _rebuild(root: Path, state: BookState, workers: int | None, warm: Warm) -> None:
    """One ``make book``; the pages hear of the new book, or of the failure while the old one stays."""
    start = time.perf_counter()
    try:
        with project_lock(root, "python -m compendium serve"):
            build(root, workers, warm.kernels, warm.renderer)
    except BuildError as exc:
        message = str(exc)
        state.update(False, message)  # the pages first: the line below tells that they were told
        say(f"[serve]  the edit did not build; the last good book is still served:\n{message}")
        warm.refill()
        return
    state.update(True, None)
    say(f"[serve]  rebuilt in {time.perf_counter() - start:.1f} s; open pages reload")
    warm.refill()


class CodeChanged(Exception):
    """The book's code changed: this process runs older code than the book's."""


def serve(root: Path, port: int, workers: int | None = None) -> None:
    """Build, serve ``_build/html`` on 127.0.0.1:``port`` and rebuild on every change, until interrupted.

    When the book's code changes, the command starts itself again (same process, same port)
    after stopping what it keeps warm: the validation and the engine it runs are then the
    book's as they are now."""
    try:
        sweep_kernels()
        scratch = owned_folder(Path(tempfile.gettempdir()), KERNELS)  # swept by the next command if this one is killed
        try:
            warm = Warm(root, workers, scratch)
            try:
                _serve(root, port, workers, warm)
            except Interrupted:
                warm.close(at_once=True)
                raise
            except BaseException:
                warm.close()
                raise
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    except CodeChanged:
        say("[serve]  the book's code changed: make serve starts again")
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, [sys.executable, "-m", "compendium", *sys.argv[1:]])


def _runs_code(code: tuple[str, ...], changed: list[str]) -> bool:
    """Whether a changed file is part of the book's ``code`` (``compendium.code`` in ``_config.yml``)."""
    return any(Path(name).is_relative_to(part) for name in changed for part in code)


def _serve(root: Path, port: int, workers: int | None, warm: Warm) -> None:
    state = BookState()
    seen = _watched(root)
    warm.refill()
    _rebuild(root, state, workers, warm)
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), partial(BookHandler, root=root, state=state))
    except OSError as exc:
        raise BuildError(f"serve: port {port} cannot be used ({exc.strerror}); choose another with PORT=") from None
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"serving the book at http://127.0.0.1:{port}/ (rebuilt when a source changes; Ctrl-C stops)")
    try:
        while True:
            time.sleep(POLL)
            now = _watched(root)
            if now == seen:
                continue
            time.sleep(SETTLE)
            current = _watched(root)  # taken before the build: an edit saved during it is a change next time
            changed = sorted(name for name in current.keys() | seen.keys() if current.get(name) != seen.get(name))
            seen = current
            say(f"[serve]  changed: {', '.join(changed[:3])}{' …' if len(changed) > 3 else ''}")
            if _runs_code(warm.code, changed):
                raise CodeChanged()
            _rebuild(root, state, workers, warm)
    finally:
        server.shutdown()
        server.server_close()
