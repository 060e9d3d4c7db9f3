"""The command line: ``python -m compendium COMMAND [options]`` (what the Makefile calls).

Each command has its own options and ``--help``. A command that writes the build holds the
project's lock; every failure ends with one line and a non-zero exit, and Ctrl-C or SIGTERM
stops what a command started and leaves what was built before.
"""
from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

from compendium.book.messages import BuildError, verbose
from compendium.book.paths import EDITIONS
from compendium.book.pipeline.lock import project_lock
from compendium.book.pipeline.signals import Interrupted, stop_children, stop_on_signals


def _validate(args: argparse.Namespace) -> None:
    from compendium.book import project
    from compendium.book.pipeline.build import refuse_invalid

    refuse_invalid(project.load(args.root))
    print("the data and the bibliography are valid")


def _build(args: argparse.Namespace) -> None:
    from compendium.book.pipeline.build import build

    html = build(args.root, args.jobs)
    print(f"book built in {time.perf_counter() - args.start:.1f} s: {html / 'index.html'}")


def _pdf(args: argparse.Namespace) -> None:
    from compendium.book.pipeline.build import build_pdf

    pdf = build_pdf(args.root, args.jobs)
    print(f"PDF built in {time.perf_counter() - args.start:.1f} s: {pdf}")


def _record(args: argparse.Namespace) -> None:
    from compendium.book.commands.record import record

    record(args.root, args.jobs)


def _chapter(args: argparse.Namespace) -> None:
    from compendium.book.commands.chapter import make_handout

    make_handout(args.root, args.chapter, args.edition)


def _check_chapter(args: argparse.Namespace) -> None:
    from compendium.book.commands.chapter import check_chapter

    check_chapter(args.root, args.chapter)


def _serve(args: argparse.Namespace) -> None:
    from compendium.book.commands.serve import serve

    serve(args.root, args.port, args.jobs)


def _new(args: argparse.Namespace) -> None:
    from compendium.book.commands.new import new

    new(args.folder.resolve(), args.title)


def _release(args: argparse.Namespace) -> None:
    from compendium.book.commands.release import release

    target = release(args.root)
    print(f"release written in {time.perf_counter() - args.start:.1f} s: {target}")


def _verify(args: argparse.Namespace) -> None:
    from compendium.book.commands.verify import verify

    print(verify(args.release.resolve()))


def _assignments(args: argparse.Namespace) -> list[str]:
    """Every NAME=VALUE: each ``--param`` whole, and ``--params`` split the way a shell splits words."""
    try:
        return [*args.param, *shlex.split(args.params or "")]
    except ValueError as exc:
        raise BuildError(f"PARAMS {args.params!r}: {exc} (quote a value that holds spaces: "
                         "PARAMS=\"data_dir='My Data'\")") from None


def _rerun(args: argparse.Namespace) -> None:
    from compendium.book.commands.runs import rerun

    rerun(args.root, args.notebook, _assignments(args), args.name or None, args.jobs)


def _jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", type=int, default=None,
                        help="notebooks executed at once (default: the number of cores)")


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors in one line (``python -m compendium chapter: argument ...``)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def parser() -> argparse.ArgumentParser:
    """The command line's parser: one subcommand per command, each with its own options."""
    main = _Parser(prog="python -m compendium", description=__doc__.split("\n\n")[0],
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    main.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: here)")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run, help_text: str, writes_build: bool = False, check=None, one_line: bool = False):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run, writes_build=writes_build, check=check, one_line=one_line)
        return sub

    command("validate", _validate, "check the data and the bibliography against their rules, one line per problem")
    _jobs(command("build", _build, "validate, execute what changed, render _build/html strictly", True))
    _jobs(command("pdf", _pdf, "render the whole book as one PDF in _build/pdf", True))
    _jobs(command("record", _record, "re-execute the stored notebooks in place and re-save the data's hashes", True))
    chapter = command("chapter", _chapter, "one chapter as a zip for a class, in _build/handouts", True,
                      _check_chapter)
    chapter.add_argument("chapter", help="a chapter of _toc.yml, e.g. results")
    chapter.add_argument("--edition", choices=EDITIONS, default=EDITIONS[0],
                         help="student (no solutions, the default) or instructor (solutions and the guide's section)")
    rerun = command("rerun", _rerun, "rerun notebooks with other parameters or data into runs/<name>/")
    rerun.add_argument("notebook", nargs="?", default="all", help="notebooks/NN_name.ipynb, or all (default)")
    rerun.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                       help="one notebook parameter, e.g. confidence=0.9 (repeatable; the value may hold spaces)")
    rerun.add_argument("--params", default="", metavar="'NAME=VALUE ...'",
                       help="several parameters in one string, quoted as in a shell (what make rerun PARAMS= "
                            "passes)")
    rerun.add_argument("--name", default=None, help="folder name under runs/ (default: a timestamp)")
    _jobs(rerun)
    serve = command("serve", _serve, "build, serve the book on 127.0.0.1 and rebuild it on every save; open pages "
                                     "reload")
    serve.add_argument("--port", type=int, default=8000, help="the port to serve on (default 8000)")
    _jobs(serve)
    new = command("new", _new, "start a new, minimal compendium on this engine in a new folder")
    new.add_argument("folder", type=Path, help="the new book's folder (must not exist, or be empty)")
    new.add_argument("--title", default=None, help="the new book's title (default: from the folder's name)")
    command("release", _release, "build the book, its PDF, DOCX and JATS, and write the deposit dist/<name>.zip", True)
    verify = command("verify", _verify, "check a release: its SHA256SUMS, its validators, and that its sources "
                                        "recompute every archived value, table and figure", one_line=True)
    verify.add_argument("release", type=Path, help="the release's zip, e.g. dist/name-1.0.0.zip")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.root, args.start = args.root.resolve(), time.perf_counter()
    with stop_on_signals():
        try:
            if args.check:  # refused before the lock, so a bad name leaves nothing behind
                args.check(args)
            if args.writes_build:
                with project_lock(args.root, f"python -m compendium {args.command}"):
                    args.run(args)
            else:
                args.run(args)
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
    if not args.one_line:
        print(f"{args.command} failed; nothing already built, recorded or run was changed", file=sys.stderr)
    return 1
