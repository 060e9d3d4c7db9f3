"""Pages the build writes into the staged sources, and the notice it writes onto rendered pages.

- the record's status (published hashes against this build's) and the banner of modified data;
- the notebooks' part of the "Reproducibility record" page: how and when each ran, on what;
- the instructors' table of each chapter's notebooks and the files they read.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from compendium.book.paths import EXPORTS_DIR, PROVENANCE
from compendium.book.pipeline.cache import notebook_reads
from compendium.book.toc import book_notebooks, chapter_notebooks, taught_chapters
from compendium.escape import for_html, for_myst
from compendium.files import PACKAGE, file_sha256, published

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)$")


def _when(stamp: str | None) -> str:
    if not stamp:
        return "at a time not recorded (a release records none, so that two releases are identical)"
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M UTC")


def notebook_rows(stage: Path) -> list[dict]:
    """One row per notebook of the staged, executed book: when it ran, for how long, on which
    kernel, and the sha256 of every file it read (from the build's provenance record)."""
    rows = []
    for notebook in book_notebooks(stage):
        meta = json.loads((stage / notebook).read_text(encoding="utf-8"))["metadata"]
        run = meta.get("papermill", {})
        record_path = stage / EXPORTS_DIR / notebook.stem / PROVENANCE
        record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
        kernel, language = meta.get("kernelspec", {}), meta.get("language_info", {})
        rows.append({
            "notebook": str(notebook), "executed": _when(run.get("start_time")), "seconds": run.get("duration"),
            "kernel": f"{kernel.get('display_name', '?')} ({kernel.get('name', '?')}); "
                      f"{language.get('name', '?').capitalize()} {language.get('version', '?')}",
            "read": [(path, record["sha256"].get(path, "")) for path in record.get("read", [])],
        })
    return rows


def locked_versions(root: Path) -> list[tuple[str, str]]:
    """The pinned version, in ``requirements.txt``, of each direct need listed in ``requirements.in``."""
    pins = {}
    for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[match[1].lower().replace("_", "-")] = (match[1], match[2])
    lines = (root / "requirements.in").read_text(encoding="utf-8").splitlines()
    wanted = [line.split("#")[0].strip() for line in lines]
    names = [re.split(r"[=<>!~\[; ]", w)[0].lower().replace("_", "-") for w in wanted if w]
    return [pins[name] for name in names if name in pins]


def notebooks_page(root: Path, stage: Path) -> str:
    """Markdown for the record page: one item per notebook execution, then the locked versions."""
    items = []
    for row in notebook_rows(stage):
        read = "; ".join(f"{for_myst(path)} `{sha[:12]}`" for path, sha in row["read"]) or "none"
        took = f" in {row['seconds']:.1f} s" if isinstance(row["seconds"], (int, float)) else ""
        items.append(f"- **{for_myst(row['notebook'])}**: executed {for_myst(row['executed'])}{took}, kernel "
                     f"{for_myst(row['kernel'])}. Files read (sha256, first 12 hex digits): {read}.")
    versions = ", ".join(f"{for_myst(name)} {for_myst(pin)}" for name, pin in locked_versions(root))
    return ("\n".join(items) + "\n\nEvery notebook ran with the packages pinned in `requirements.txt`; the "
            f"direct needs among them, as locked: {versions}.\n")


def record_status(root: Path) -> list[dict]:
    """Each data file and the bibliography: path, published sha256 (from datapackage.json), current sha256."""
    descriptor = json.loads((root / "data" / PACKAGE).read_text(encoding="utf-8"))
    entries = [(r["name"], f"data/{r['path']}", published(r)) for r in descriptor["resources"]]
    entries.append(("bibliography", "references.bib", published(descriptor.get("bibliography", {}))))
    return [{"name": name, "path": path, "published": published, "current": file_sha256(root / path)}
            for name, path, published in entries]


def status_page(status: list[dict]) -> tuple[str, str | None]:
    """Markdown for the landing page's record section, and the banner text when data were modified."""
    modified = [s["path"] for s in status if s["published"] != s["current"]]
    rows = "".join(f"| {for_myst(s['path'])} | {for_myst((s['published'] or 'none')[:12])} | "
                   f"{for_myst(s['current'][:12])} | {'modified' if s['path'] in modified else 'matches'} |\n"
                   for s in status)
    table = "| file | published sha256 | sha256 of this build | status |\n| --- | --- | --- | --- |\n" + rows
    if not modified:
        return ("This book reproduces the published record: every data file and the bibliography "
                "have the sha256 recorded in `data/datapackage.json` (first 12 hex digits shown).\n\n" + table,
                None)
    names = ", ".join(modified)
    notice = (f"Built from modified data, not the published record ({names}): the results shown "
              "are not the article's.")
    return (f"**This book was built from modified data.** Files that differ from the published record in "
            f"`data/datapackage.json`: {for_myst(names)}. Tables, figures and numbers follow the modified "
            "files.\n\n" + table, for_html(notice))


BANNER_BEFORE = '<header id="pst-header"'  # the theme's page header: the banner goes above it


def announce(html: Path, notice: str) -> None:
    """Put the notice of modified data above the header of every page in ``html``, as the
    theme's own announcement banner. Done on the rendered pages rather than through the
    theme's configuration, which Sphinx would take as a reason to render every page again."""
    banner = (f'<aside class="bd-header-announcement" aria-label="Announcement">\n'
              f'  <div class="bd-header-announcement__content">{notice}</div>\n</aside>\n')
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if BANNER_BEFORE in text:
            page.write_text(text.replace(BANNER_BEFORE, banner + BANNER_BEFORE, 1), encoding="utf-8")


def chapter_files_page(root: Path) -> str:
    """Markdown table for the instructors' guide: each chapter, its notebooks and the files they read."""
    rows = []
    for chapter in taught_chapters(root):
        for stem in chapter_notebooks(root, chapter):
            reads = ", ".join(for_myst(r) for r in notebook_reads(root, stem)) or "—"
            rows.append(f"| {chapter} | `notebooks/{stem}.ipynb` | {reads} |")
    return "| chapter | notebook | files its results depend on |\n| --- | --- | --- |\n" + "\n".join(rows) + "\n"
