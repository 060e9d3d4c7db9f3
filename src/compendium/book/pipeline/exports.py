"""A notebook's glued figures and tables as files: PNG and SVG figures, CSV tables.

Used by reruns (``runs/<name>/``) and by the book build (the download links under every
figure and table).
"""
from __future__ import annotations

import base64
import json
from pathlib import Path

EXPORTS = {"image/png": ("figures", ".png", True), "image/svg+xml": ("figures", ".svg", False),
           "text/csv": ("tables", ".csv", False)}


def glued_outputs(notebook: Path) -> dict[str, dict]:
    """Every glued output of an executed notebook, by glue name: its mime bundle without prefixes."""
    found = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if meta:
                prefix = len(meta.get("mime_prefix", ""))
                found[meta["name"]] = {mime[prefix:]: value for mime, value in output.get("data", {}).items()}
    return found


def export_outputs(notebook: Path, folder: Path) -> list[Path]:
    """Write each glued figure (PNG, SVG) and table (CSV) of ``notebook`` under ``folder``."""
    written = []
    for name, bundle in glued_outputs(notebook).items():
        for mime, (kind, suffix, binary) in EXPORTS.items():
            if mime not in bundle:
                continue
            target = folder / kind / f"{name}{suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            content = bundle[mime] if isinstance(bundle[mime], str) else "".join(bundle[mime])
            if binary:
                target.write_bytes(base64.b64decode(content))
            else:
                target.write_text(content, encoding="utf-8")
            written.append(target)
    return written
