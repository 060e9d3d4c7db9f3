"""A renderer kept warm for ``make serve``: one long-lived process holding the Sphinx application.

The process (``python -m compendium.book.pipeline.warm_render FOLDER``) builds the Sphinx
application once, as ``jupyter-book build FOLDER -W -n --keep-going`` would, with Jupyter
Book, Sphinx and every extension imported and the environment in memory; then, for each line
it reads, renders the folder again (Sphinx reads only the pages whose sources changed) and
answers with the render's exit status. Its log is judged as a cold render's is
(``render.verdict``). It is not trusted longer than it can be: a new process is started when
the book's configuration, its table of contents or its code changed (extensions are code), when
the environment on disk is not the one it wrote last (another command rendered the folder),
and after any failed render.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from compendium.book.messages import BuildError, say
from compendium.book.paths import RENDERED
from compendium.book.pipeline.fingerprints import tree_digest
from compendium.book.pipeline.render import verdict

LOG = "jupyter-book-html.log"
ENVIRONMENT = Path("_build", ".doctrees", "environment.pickle")


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class WarmRenderer:
    """Renders staged sources through a process that keeps Sphinx warm; ``root`` is the project."""

    def __init__(self, root: Path, code: tuple[str, ...]) -> None:
        self.root, self.code = root, code
        self._process: subprocess.Popen | None = None
        self._key: str | None = None
        self._written: tuple[int, int] | None = None

    def _key_of(self, sources: Path) -> str:
        config = b"".join((sources / name).read_bytes() for name in ("_config.yml", "_toc.yml"))
        return hashlib.sha256(config + tree_digest(self.root, self.code).encode()).hexdigest() + str(sources)

    def render(self, sources: Path) -> None:
        """Render ``sources`` strictly as HTML, as ``render.render`` does; BuildError on any warning."""
        key = self._key_of(sources)
        alive = self._process is not None and self._process.poll() is None
        if alive and (key != self._key or _signature(sources / ENVIRONMENT) != self._written):
            say("[render] the configuration, the code or the environment changed: Sphinx starts afresh")
            self.stop()
        say("[start]  rendering the book as html (strict: warnings are errors; Sphinx kept warm)")
        start = time.perf_counter()
        self.start(sources)
        self._process.stdin.write("render\n")
        self._process.stdin.flush()
        answer = self._process.stdout.readline().strip()
        try:
            read = verdict(sources / LOG, int(answer) if answer.lstrip("-").isdigit() else 1)
        except BuildError:
            self.stop()
            raise
        self._written = _signature(sources / ENVIRONMENT)
        say(f"[done]   rendering the book as html in {time.perf_counter() - start:.1f} s ({read} pages read)")

    def start(self, sources: Path) -> None:
        """Start the process for ``sources`` unless it runs; it makes Sphinx's application at once
        when ``sources`` holds a finished render (so that the next render finds it warm)."""
        if self._process is not None and self._process.poll() is None:
            return
        self._process = subprocess.Popen([sys.executable, "-m", __name__, str(sources)], cwd=sources,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._key, self._written = self._key_of(sources), _signature(sources / ENVIRONMENT)

    def stop(self, at_once: bool = False) -> None:
        """End the process, ``at_once`` (on Ctrl-C) or once its render is done (it also ends by
        itself when this one goes: its input closes)."""
        if self._process is None:
            return
        if at_once:
            self._process.kill()
        self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None


class _Log:
    """The stream Sphinx writes to, sent to a new log file for each render."""

    def __init__(self) -> None:
        self.file = None

    def write(self, text: str) -> int:
        return self.file.write(text) if self.file else len(text)

    def flush(self) -> None:
        if self.file:
            self.file.flush()

    def isatty(self) -> bool:
        return False


def _application(sources: Path, log: _Log):
    """The Sphinx application ``jupyter-book build SOURCES -W -n --keep-going`` would make."""
    import yaml
    from jupyter_book.cli.main import build
    from jupyter_book.config import get_final_config
    from sphinx.application import Sphinx

    path_config, folder, overrides = build.callback(str(sources), None, None, None, True, True, True, False, "html",
                                                    None, 0, 0, False, get_config_only=True)
    overrides["external_toc_path"] = str(sources / overrides["external_toc_path"])
    config, _ = get_final_config(user_yaml=Path(path_config), cli_config=overrides, sourcedir=Path(folder),
                                 use_external_toc=True)
    app = Sphinx(srcdir=folder, confdir=None, outdir=sources / "_build" / "html",
                 doctreedir=sources / "_build" / ".doctrees", buildername="html", confoverrides=config,
                 status=log, warning=log, freshenv=False, warningiserror=True, keep_going=True)
    if app.config["use_multitoc_numbering"] and "numbered: true" in yaml.dump(app.config.external_site_map.as_json()):
        app.setup_extension("sphinx_multitoc_numbering")
    return app


def _serve_renders(sources: Path) -> None:
    """Render ``sources`` once per line read on standard input; answer each with the exit status."""
    import signal

    from sphinx.environment import CONFIG_OK
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the command that started this process stops it
    answers = os.fdopen(os.dup(1), "w", buffering=1)  # what anything else prints must not garble the answers
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    log = _Log()
    app = None
    with patch_docutils(None), docutils_namespace():
        if (sources / RENDERED).is_file():  # made now, while the author writes
            with open(os.devnull, "w") as log.file:
                try:
                    app = _application(sources, log)
                except Exception:  # made again at the first render, which reports why it failed
                    app = None
        for _ in sys.stdin:
            with (sources / LOG).open("w", encoding="utf-8") as log.file:
                try:
                    if app is None:
                        app = _application(sources, log)
                    app._warncount, app.statuscode = 0, 0
                    app.build()
                    status = app.statuscode
                    app.env.config_status = CONFIG_OK
                except Exception as exc:  # reported in the log; this process is then ended
                    log.write(f"{type(exc).__name__}: {exc}\n")
                    status = 1
                log.file = None
            print(status, file=answers)


if __name__ == "__main__":
    _serve_renders(Path(sys.argv[1]))
