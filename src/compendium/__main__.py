"""Command line: ``python -m compendium {validate,build,pdf,record,rerun,chapter}`` (what the Makefile calls)."""
from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

from compendium.book.build import build, refuse_invalid
from compendium.book.lock import project_lock
from compendium.book.messages import BuildError, verbose
from compendium.book.signals import Interrupted, stop_children, stop_on_signals

WRITES_BUILD = ("build", "pdf", "record", "chapter")  # commands that hold the project's build lock


def _assignments(args: argparse.Namespace) -> list[str]:
    """Every NAME=VALUE: each ``--param`` whole, and ``--params`` split the way a shell splits words."""
    try:
        return [*args.param, *shlex.split(args.params or "")]
    except ValueError as exc:
        raise BuildError(f"PARAMS {args.params!r}: {exc} (quote a value that holds spaces: "
                         "PARAMS=\"data_dir='My Data'\")") from None


def _run(args: argparse.Namespace, root: Path, start: float) -> None:
    if args.command == "validate":
        refuse_invalid(root)
        print("data/ and references.bib are valid")
    elif args.command == "build":
        html = build(root, args.jobs)
        print(f"book built in {time.perf_counter() - start:.1f} s: {html / 'index.html'}")
    elif args.command == "pdf":
        from compendium.book.build import build_pdf

        pdf = build_pdf(root, args.jobs)
        print(f"PDF built in {time.perf_counter() - start:.1f} s: {pdf}")
    elif args.command == "record":
        from compendium.book.record import record

        record(root, args.jobs)
    elif args.command == "chapter":
        from compendium.book.handout import make_handout

        make_handout(root, args.target)
    else:
        from compendium.book.runs import rerun

        rerun(root, args.target, _assignments(args), args.name or None, args.jobs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compendium", description=__doc__)
    parser.add_argument("command", choices=["validate", "build", "pdf", "record", "rerun", "chapter"])
    parser.add_argument("target", nargs="?", default="all",
                        help="rerun: notebooks/NN_name.ipynb, or all (default); chapter: a chapter name")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: here)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="notebooks executed at once (default: the number of cores)")
    parser.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                        help="rerun: one notebook parameter, e.g. confidence=0.9 (repeatable; the value may "
                             "hold spaces)")
    parser.add_argument("--params", default="", metavar="'NAME=VALUE ...'",
                        help="rerun: several parameters in one string, quoted as in a shell (what make rerun "
                             "PARAMS= passes)")
    parser.add_argument("--name", default=None, help="rerun: folder name under runs/ (default: a timestamp)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    start = time.perf_counter()
    with stop_on_signals():
        try:
            if args.command == "chapter":  # refused before the lock, so a bad name leaves nothing behind
                from compendium.book.handout import check_chapter

                check_chapter(root, args.target)
            if args.command in WRITES_BUILD:
                with project_lock(root, f"python -m compendium {args.command}"):
                    _run(args, root, start)
            else:
                _run(args, root, start)
        except Interrupted as stop:
            stop_children()
            print(f"{args.command} interrupted by {stop.name}: stopped its notebooks and kernels; _build/html, "
                  "runs/ and notebooks/ are as they were", file=sys.stderr)
            return stop.code
        except BuildError as exc:
            print(str(exc), file=sys.stderr)
        except Exception as exc:  # anything unforeseen: one line for the reader, the traceback on request
            if verbose():
                raise
            first = (str(exc).splitlines() or [""])[0]
            print(f"{type(exc).__name__}: {first} (VERBOSE=1 shows the traceback)", file=sys.stderr)
        else:
            return 0
    print(f"{args.command} failed; nothing already built, recorded or run was changed", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
