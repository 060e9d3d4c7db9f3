"""The published record: stored notebook outputs and the sha256 of every data file."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from compendium.book.cache import executed_copy, is_current, read_entry
from compendium.book.execution import Job, execute_many, strip_volatile
from compendium.book.fingerprints import CODE_INPUTS, tree_digest
from compendium.book.messages import BuildError, say
from compendium.book.signals import deferred
from compendium.book.toc import book_notebooks
from compendium.escape import for_html, for_myst
from compendium.files import PACKAGE, file_sha256, write_atomic


def record_status(root: Path) -> list[dict]:
    """Each data file and the bibliography: path, published sha256 (from datapackage.json), current sha256."""
    descriptor = json.loads((root / "data" / PACKAGE).read_text(encoding="utf-8"))
    entries = [(r["name"], f"data/{r['path']}", r.get("published_sha256")) for r in descriptor["resources"]]
    entries.append(("bibliography", "references.bib", descriptor.get("bibliography", {}).get("published_sha256")))
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


def record(root: Path, workers: int | None = None) -> list[Path]:
    """Re-execute every published notebook in place and re-save the data hashes. Raises BuildError.

    A notebook whose execution in the build cache is current (same code, package, lock and
    files read) is taken from there instead of running again."""
    from compendium.analysis.validation import validate_all

    problems = validate_all(root)
    if problems:
        raise BuildError("\n".join(problems))
    notebooks = book_notebooks(root)
    (root / "_build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root / "_build") as scratch:
        jobs = [Job(root / nb, Path(scratch) / nb.name, str(nb), Path(scratch) / f"{nb.stem}.reads")
                for nb in notebooks]
        code = tree_digest(root, CODE_INPUTS)
        for job, nb in zip(jobs, notebooks, strict=True):
            entry, _ = read_entry(root, nb.stem)
            if is_current(root, nb, entry, code):
                shutil.copyfile(executed_copy(root, nb.stem), job.target)
                say(f"[cached] {nb} (executed by the last build with the same code and files)")
        execute_many([job for job in jobs if not job.target.exists()], workers)
        for job in jobs:
            strip_volatile(job.target)
        descriptor_path = root / "data" / PACKAGE
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        for resource in descriptor["resources"]:
            resource["published_sha256"] = file_sha256(root / "data" / resource["path"])
        descriptor["bibliography"] = {"path": descriptor.get("bibliography", {}).get("path", "../references.bib"),
                                      "published_sha256": file_sha256(root / "references.bib")}
        with deferred():  # the notebooks and the hashes are one record: all of it is saved, or none
            for job in jobs:
                os.replace(job.target, job.source)
            write_atomic(descriptor_path, json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    say(f"recorded {len(notebooks)} notebooks and the sha256 of {len(descriptor['resources'])} data files "
        "and the bibliography")
    return notebooks
