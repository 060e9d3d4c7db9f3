"""The first difference between archived results and recomputed ones, as one line naming the file
and the value: glued values by name, tables by row and column, figures by what they draw and by
their pixels."""
from __future__ import annotations

import csv
import io
import json

from compendium.book.commands.results import VALUES


def _values(archived: bytes, recomputed: bytes) -> tuple[int, str | None]:
    old, new = json.loads(archived), json.loads(recomputed)
    count = sum(len(values) for values in new.values())
    for notebook in sorted(set(old) | set(new)):
        for name in sorted(set(old.get(notebook, {})) | set(new.get(notebook, {}))):
            was, now = old.get(notebook, {}).get(name), new.get(notebook, {}).get(name)
            if was != now:
                return count, f"{VALUES}: {notebook} value {name} is {was!r} in the release, {now!r} recomputed"
    return count, None


def _table(path: str, archived: bytes, recomputed: bytes) -> str | None:
    old = list(csv.reader(io.StringIO(archived.decode("utf-8", errors="replace"))))
    new = list(csv.reader(io.StringIO(recomputed.decode("utf-8", errors="replace"))))
    header = new[0] if new else []
    for number, (was, now) in enumerate(zip(old, new, strict=False)):
        for column, (a, b) in enumerate(zip(was, now, strict=False)):
            if a != b:
                field = header[column] if column < len(header) else str(column + 1)
                where = "header" if number == 0 else f"row {number}"
                return f"{path} {where}, column {field}: {a!r} in the release, {b!r} recomputed"
        if len(was) != len(now):
            return f"{path} row {number}: {len(was)} cells in the release, {len(now)} recomputed"
    if len(old) != len(new):
        return f"{path}: {len(old) - 1} rows in the release, {len(new) - 1} recomputed"
    return None


def _pixels(data: bytes):
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.size, image.convert("RGBA").tobytes()


def _figure(path: str, archived: bytes, recomputed: bytes) -> str | None:
    if path.endswith(".txt"):
        return None if archived == recomputed else (
            f"{path}: the figure draws {archived.decode(errors='replace')[:80]!r} in the release, "
            f"{recomputed.decode(errors='replace')[:80]!r} recomputed")
    try:
        old = _pixels(archived)
    except OSError:
        return f"{path}: not a readable PNG"
    new = _pixels(recomputed)
    if old[0] != new[0]:
        return f"{path}: {old[0][0]}x{old[0][1]} pixels in the release, {new[0][0]}x{new[0][1]} recomputed"
    if old[1] != new[1]:
        changed = sum(a != b for a, b in zip(old[1][::4], new[1][::4], strict=True))
        return f"{path}: {changed} pixels differ from the recomputed figure"
    return None


def first_difference(archived: dict[str, bytes], recomputed: dict[str, bytes]) -> tuple[dict[str, int], str | None]:
    """Counts of what was compared (values, tables, figures) and the first difference, if any."""
    counts = {"values": 0, "tables": 0, "figures": 0}
    for path in sorted(set(archived) | set(recomputed)):
        if path not in archived:
            return counts, f"{path}: recomputed, but missing from the release"
        if path not in recomputed:
            return counts, f"{path}: in the release, but not recomputed from its sources"
        if path == VALUES:
            counts["values"], problem = _values(archived[path], recomputed[path])
        elif path.startswith("results/tables/"):
            counts["tables"] += 1
            problem = _table(path, archived[path], recomputed[path])
        else:
            counts["figures"] += path.endswith(".png")
            problem = _figure(path, archived[path], recomputed[path])
        if problem:
            return counts, problem
    return counts, None
