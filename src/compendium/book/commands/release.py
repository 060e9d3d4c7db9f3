"""``make release``: ``dist/<slug>-<version>.zip``, a deposit that a repository accepts and that
verifies itself (``make verify``). Nothing is written outside ``dist/`` but the build's own ``_build/``.

The zip holds one folder, ``<slug>-<version>/``, with:

- ``source/``: the project's tracked files (``git ls-files``; without git, every file but what
  ``.gitignore`` and the build leave out);
- ``book/``: the web book; ``manuscript/``: the book as PDF, DOCX and JATS XML (with ``figures/``);
- ``data-package.zip``: the data package; ``results/``: every glued value, table (CSV) and figure
  (PNG, and the text of what it draws) of the notebooks' executions, which ``make verify`` recomputes;
- ``CITATION.cff``, ``.zenodo.json``, ``ro-crate-metadata.json``, ``README.md`` and ``SHA256SUMS``.

The title and the version come from ``CITATION.cff``; the release's one timestamp from
``SOURCE_DATE_EPOCH`` or the commit's time. The book is rendered from scratch for the release,
without run times or paths, and every zip inside is written again deterministically, so two
releases of one commit are byte-identical.
"""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from fnmatch import fnmatch
from pathlib import Path

from compendium.book.citation import CITATION, release_name, required
from compendium.book.commands.archive import EPOCH, release_epoch, write_zip, zip_bytes
from compendium.book.commands.crate import crate_metadata
from compendium.book.commands.manuscript import LEFT_OUT, write_manuscripts
from compendium.book.commands.results import collect_results
from compendium.book.commands.zenodo import zenodo_json
from compendium.book.messages import BuildError, say
from compendium.book.paths import BOOK_RECORD, BUILD, BUNDLES, DATA_BUNDLE, DIST, RELEASE, RENDER
from compendium.files import display_path

SUMS = "SHA256SUMS"
NEVER = (".git", ".venv", BUILD, DIST, "__pycache__", ".pytest_cache", ".ipynb_checkpoints", "*.egg-info")


def _git_files(root: Path) -> list[str] | None:
    """The tracked files, or None when ``root`` is not the top of a git checkout."""
    if not (root / ".git").exists():
        return None
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True)
    if listed.returncode != 0:
        return None
    changed = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                             capture_output=True, text=True)
    if changed.stdout.strip():
        first = changed.stdout.splitlines()[0][3:]
        raise BuildError(f"release: {first} differs from the commit; commit it first, so that the release is "
                         "the commit")
    return sorted(name for name in listed.stdout.decode().split("\0") if name)


def _walked_files(root: Path) -> list[str]:
    """Every file of a project that is not a git checkout, but what ``.gitignore`` and ``NEVER`` leave out."""
    ignore = root / ".gitignore"
    patterns = list(NEVER) + ([line.strip().rstrip("/") for line in ignore.read_text(encoding="utf-8").splitlines()
                               if line.strip() and not line.startswith("#")] if ignore.is_file() else [])
    found = []
    for parent, folders, names in os.walk(root):
        folders[:] = sorted(f for f in folders if not any(fnmatch(f, p) for p in patterns))
        for name in names:
            path = Path(parent) / name
            if not any(fnmatch(name, p) for p in patterns) and path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def source_files(root: Path) -> list[str]:
    """The project's files, as ``git archive`` would give them (or the same list without git)."""
    return _git_files(root) or _walked_files(root)


def _rezipped(data: bytes, epoch: int) -> bytes:
    """A zip of the book's written again deterministically (same members, one timestamp)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return zip_bytes({info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()},
                         epoch)


def _readme(cited: dict, name: str) -> str:
    left_out = "\n".join(f"- {line}" for line in LEFT_OUT)
    return f"""# {cited['title']}, version {cited['version']}

This folder is a release of an executable research compendium, made by `make release`.

- `book/index.html`: the web book (open it in a browser).
- `manuscript/manuscript.pdf`, `manuscript.docx`, `manuscript.xml` (JATS, figures in `manuscript/figures/`):
  the whole book as one document.
- `data-package.zip`: the data package (Frictionless; each file's sha256 in its `hash`).
- `source/`: everything the book is built from; `make book` there rebuilds it.
- `results/`: every computed value, table and figure, as the release computed them.
- `ro-crate-metadata.json` (RO-Crate), `.zenodo.json` and `CITATION.cff`: metadata for a repository.
- `SHA256SUMS`: the sha256 of every other file.

The DOCX and JATS leave out of the web book:

{left_out}

To check that this release still computes what it shows, from the folder that holds the zip
of the release and a checkout of the compendium (or `source/` with its environment set up):

    make verify RELEASE={name}.zip
"""


def release(root: Path) -> Path:
    """Build the book, its PDF and manuscripts for a release; write and return ``dist/<name>.zip``."""
    from compendium.book.pipeline.build import build, build_pdf

    cited = required(root)
    name = release_name(cited)
    epoch = release_epoch(root)
    sources = source_files(root)
    os.environ[EPOCH] = str(epoch)  # pandoc, LaTeX and matplotlib date what they write with it
    os.environ[RELEASE] = "1"
    # rendered from scratch: an incremental render keeps traces of earlier ones (the search index
    # keeps words no page holds any more), which a release made after make clean would not have
    shutil.rmtree(root / RENDER, ignore_errors=True)
    html = build(root)
    pdf = build_pdf(root)
    files: dict[str, bytes] = {f"source/{path}": (root / path).read_bytes() for path in sources}
    say("[release] the manuscripts (DOCX, JATS) from the rendered pages")
    with tempfile.TemporaryDirectory() as scratch:
        write_manuscripts(root, html, cited, Path(scratch))
        for path in sorted(Path(scratch).rglob("*")):
            if path.is_file():
                files[f"manuscript/{path.relative_to(scratch).as_posix()}"] = path.read_bytes()
    for path in sorted(p for p in html.rglob("*") if p.is_file()):
        relative = path.relative_to(html).as_posix()
        if relative == BOOK_RECORD:
            continue
        data = path.read_bytes()
        files[f"book/{relative}"] = _rezipped(data, epoch) if path.suffix == ".zip" else data
    files["data-package.zip"] = files[f"book/{BUNDLES}/{DATA_BUNDLE}.zip"]
    files["manuscript/manuscript.pdf"] = pdf.read_bytes()
    files.update(collect_results(root))
    files[CITATION] = (root / CITATION).read_bytes()
    files[".zenodo.json"] = zenodo_json(cited).encode()
    files["README.md"] = _readme(cited, name).encode()
    files["ro-crate-metadata.json"] = crate_metadata(files, cited)
    files[SUMS] = sums(files).encode()
    executable = frozenset(f"{name}/source/{p}" for p in sources if os.access(root / p, os.X_OK))
    target = root / DIST / f"{name}.zip"
    write_zip(target, {f"{name}/{path}": data for path, data in files.items()}, epoch, executable)
    say(f"[release] {len(files)} files, {target.stat().st_size / 2**20:.1f} MiB: {display_path(target)}")
    return target


def sums(files: dict[str, bytes]) -> str:
    """``SHA256SUMS`` of ``files``, in the format ``sha256sum -c`` reads."""
    return "".join(f"{hashlib.sha256(files[path]).hexdigest()}  {path}\n" for path in sorted(files))
