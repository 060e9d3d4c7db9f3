"""Command line: ``python -m compendium {validate,build,pdf,record,rerun,chapter}`` (what the Makefile calls)."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from compendium.book.build import build
from compendium.book.messages import BuildError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compendium", description=__doc__)
    parser.add_argument("command", choices=["validate", "build", "pdf", "record", "rerun", "chapter"])
    parser.add_argument("target", nargs="?", default="all",
                        help="rerun: notebooks/NN_name.ipynb, or all (default); chapter: a chapter name")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: here)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="notebooks executed at once (default: the number of cores)")
    parser.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                        help="rerun: a notebook parameter, e.g. confidence=0.9 (repeatable)")
    parser.add_argument("--name", default=None, help="rerun: folder name under runs/ (default: a timestamp)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    start = time.perf_counter()
    try:
        if args.command == "validate":
            from compendium.analysis.validation import validate_all

            problems = validate_all(root)
            if problems:
                raise BuildError("\n".join(problems))
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

            params = [p for item in args.param for p in item.split()]
            rerun(root, args.target, params, args.name or None, args.jobs)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
    except Exception as exc:  # anything unforeseen: one line for the reader, the traceback on request
        if os.environ.get("VERBOSE"):
            raise
        first = (str(exc).splitlines() or [""])[0]
        print(f"{type(exc).__name__}: {first} (VERBOSE=1 shows the traceback)", file=sys.stderr)
    else:
        return 0
    print(f"{args.command} failed; nothing already built, recorded or run was changed", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
