"""Rendering staged sources with Jupyter Book, strictly, keeping Sphinx's environment between builds."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from compendium.book.messages import BuildError, say, verbose
from compendium.book.paths import RENDER, RENDERED

ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception): ")
READING = re.compile(r"^reading sources\.\.\. \[", re.M)


def render(sources: Path, builder: str = "html") -> None:
    """Run Jupyter Book strictly on ``sources``; raise BuildError on any warning.

    Says how many pages Sphinx read (it reads only those whose sources changed since the
    environment it finds in ``sources``)."""
    log = sources / f"jupyter-book-{builder}.log"
    say(f"[start]  rendering the book as {builder} (strict: warnings are errors)")
    start = time.perf_counter()
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(sources), "--builder", builder,
               "-W", "-n", "--keep-going"]
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, cwd=sources)
    read = verdict(log, done.returncode)
    say(f"[done]   rendering the book as {builder} in {time.perf_counter() - start:.1f} s ({read} pages read)")


def verdict(log: Path, status: int) -> int:
    """How many pages a render read, from its ``log`` and exit ``status``; BuildError with the
    first warning or error when it had any (strict), or when it failed."""
    text = ANSI.sub("", log.read_text(encoding="utf-8", errors="replace"))
    problems = [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]
    crashes = [line for line in text.splitlines() if EXCEPTION_LINE.match(line)]
    if status != 0 or problems:
        if verbose():
            say(text)
        first = (problems or crashes or [f"jupyter-book exited with status {status}"])[0]
        raise BuildError(f"rendering failed ({len(problems)} warnings/errors; full log {log}): {first}")
    return len(READING.findall(text))


def sync(stage: Path, render_dir: Path) -> int:
    """Make ``render_dir`` hold the sources of ``stage`` (not its ``_build`` or logs), writing only
    files whose bytes differ, with the time of writing, so Sphinx sees every change and only
    changes. Returns how many files were written or removed."""
    def sources(folder: Path) -> set[Path]:
        return {p.relative_to(folder) for p in folder.rglob("*")
                if (p.is_file() or p.is_symlink()) and p.relative_to(folder).parts[0] != "_build"
                and not p.name.startswith(("jupyter-book-", RENDERED))}

    staged, kept = sources(stage), sources(render_dir) if render_dir.is_dir() else set()
    touched = 0
    for name in sorted(staged):
        target = render_dir / name
        if not target.is_file() or target.read_bytes() != (stage / name).read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(stage / name, target)
            touched += 1
    for name in sorted(kept - staged):
        (render_dir / name).unlink()
        touched += 1
    return touched


@contextmanager
def rendering(root: Path, code: str):
    """``_build/.render`` ready for an incremental render: wiped when its last render did not
    finish, or was made by other code than the book's now (digest ``code``: Sphinx reads again
    only pages whose sources changed, so a change of an extension would reach no other page);
    marked as finished, with that digest, when this one does."""
    folder = root / RENDER
    marker = folder / RENDERED
    if folder.is_dir() and not marker.is_file():
        say("[render] the last render did not finish: every page is read again")
        shutil.rmtree(folder)
    elif marker.is_file() and marker.read_text(encoding="utf-8") != code:
        say("[render] the book's code changed since the last render: every page is read again")
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    yield folder
    marker.write_text(code, encoding="utf-8")
