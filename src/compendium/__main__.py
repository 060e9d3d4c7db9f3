"""Command line: ``python -m compendium {validate,build,record}`` (what the Makefile calls)."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from compendium.build import BuildError, build, record, validate_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compendium", description=__doc__)
    parser.add_argument("command", choices=["validate", "build", "record"])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: here)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="notebooks executed at once (default: the number of cores)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    start = time.perf_counter()
    try:
        if args.command == "validate":
            problems = validate_all(root)
            if problems:
                raise BuildError("\n".join(problems))
            print("data/ and references.bib are valid")
        elif args.command == "build":
            html = build(root, args.jobs)
            print(f"book built in {time.perf_counter() - start:.1f} s: {html / 'index.html'}")
        else:
            record(root, args.jobs)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        print(f"{args.command} failed; nothing already built or recorded was changed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
