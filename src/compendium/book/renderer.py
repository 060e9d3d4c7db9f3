"""Jupyter Book started early: a child process that imports Jupyter Book, Sphinx and the book's
extensions while the notebooks run, then renders once when the build asks.

A render in a fresh process spends about a second importing before it reads a page; in the
rebuild after a one-file edit, that second would come after the notebook has run. The child
renders exactly as ``jupyter-book build`` does in a terminal (the same command line, its output
to the given log, its exit status sent back).
"""
from __future__ import annotations

import os
import sys
import traceback
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path

from compendium.book.messages import BuildError
from compendium.book.signals import in_worker


def _warm(root: Path) -> None:
    """Import Jupyter Book and the theme and Sphinx extensions that ``root/_config.yml`` gives."""
    import importlib

    import yaml
    from jupyter_book.config import get_final_config

    user = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config, _ = get_final_config(user_yaml=user, cli_config={"latex_individualpages": False}, sourcedir=root)
    for name in ["jupyter_book.cli.main", *config["extensions"], config["html_theme"]]:
        importlib.import_module(name)


def _write_to(path: str) -> None:
    """Send this process's standard output and error, and Python's ``sys.stdout`` and
    ``sys.stderr`` (which need not be those), to the file ``path`` (truncated)."""
    sys.stdout.flush()
    sys.stderr.flush()
    with open(path, "w", encoding="utf-8") as out:
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)


def _render(folder: str, args: list[str], log: str) -> int:
    """Run ``jupyter-book ARGS`` in ``folder``, its output to ``log``; return its exit status."""
    from jupyter_book.cli.main import main

    _write_to(log)
    os.chdir(folder)
    try:
        main(args, prog_name="jupyter-book")
    except SystemExit as exc:  # how click ends every command, success included
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except Exception:
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return 0


def _serve(connection, root: str) -> None:
    """The child: warm up, then run the one render asked for and send back its exit status."""
    in_worker()
    _write_to(os.devnull)  # until it renders: nothing an import prints reaches the build's own output
    try:
        _warm(Path(root))
    except Exception:  # warming is a head start only; the render itself reports real problems
        pass
    try:
        folder, args, log = connection.recv()
    except EOFError:  # the build ended before it rendered
        return
    connection.send(_render(folder, args, log))


@contextmanager
def renderer(root: Path):
    """Within the block, a function ``render(folder, args, log) -> exit status`` that runs
    ``jupyter-book ARGS`` in ``folder`` in a child started (and importing) on entry. It renders
    once; the child is ended on leaving the block."""
    context = get_context("fork")
    ours, theirs = context.Pipe()
    sys.stdout.flush()  # the child must not write out what this process has not yet written
    sys.stderr.flush()
    child = context.Process(target=_serve, args=(theirs, str(root)), name="compendium-renderer")
    child.start()
    theirs.close()

    def render(folder: Path, args: list[str], log: Path) -> int:
        ours.send((str(folder), args, str(log)))
        try:
            return ours.recv()
        except EOFError:
            raise BuildError(f"the renderer ended without finishing (exit status {child.exitcode}); "
                             f"its log: {log}") from None

    try:
        yield render
    finally:
        ours.close()
        if child.is_alive():
            child.terminate()  # before or while it renders: the build stopped
        child.join()
