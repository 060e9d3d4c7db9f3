"""The notebooks' part of the "Reproducibility record" page: how and when each ran, on what."""
from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from compendium.book.exports import EXPORTS_DIR
from compendium.book.provenance import PROVENANCE
from compendium.book.toc import book_notebooks
from compendium.escape import for_myst

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)$")


def _when(stamp: str | None) -> str:
    if not stamp:
        return "not recorded"
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
