"""What the notebooks computed, as files a release carries and ``make verify`` recomputes:
``results/values.json`` (every glued value, by notebook and glue name, as its text),
``results/tables/<notebook>/<name>.csv`` and ``results/figures/<notebook>/<name>.png``, with
``<name>.txt`` beside each figure: the text of what it draws, read back from the figure."""
from __future__ import annotations

import base64
import json
from pathlib import Path

from compendium.book.pipeline.cache import executed_copy
from compendium.book.pipeline.exports import glued_outputs
from compendium.book.toc import book_notebooks

VALUES = "results/values.json"


def _text(value) -> str:
    return value if isinstance(value, str) else "".join(value)


def collect_results(root: Path) -> dict[str, bytes]:
    """The results files of the executions the last build of ``root`` cached, by release path."""
    files: dict[str, bytes] = {}
    values: dict[str, dict[str, str]] = {}
    for notebook in book_notebooks(root):
        stem = notebook.stem
        for name, bundle in sorted(glued_outputs(executed_copy(root, stem)).items()):
            if "image/png" in bundle:
                files[f"results/figures/{stem}/{name}.png"] = base64.b64decode(_text(bundle["image/png"]))
                files[f"results/figures/{stem}/{name}.txt"] = _text(bundle.get("text/plain", "")).encode()
            elif "text/csv" in bundle:
                files[f"results/tables/{stem}/{name}.csv"] = _text(bundle["text/csv"]).encode()
            elif "text/plain" in bundle:
                values.setdefault(stem, {})[name] = _text(bundle["text/plain"])
    files[VALUES] = (json.dumps(values, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()
    return files
