"""The data layer and its rules: the example data load with their types, and a broken copy is
refused in one line naming the file, the row, the field and the rule."""
from __future__ import annotations

import shutil
from pathlib import Path

from @@PACKAGE@@.checks import validate
from @@PACKAGE@@.data import load, sample_size

ROOT = Path(__file__).resolve().parent.parent


def test_the_data_load_with_their_declared_types():
    themes = load("themes", ROOT / "data")
    assert str(themes["n_documents"].dtype) == "Int64" and themes["theme"].is_unique
    assert sample_size(ROOT / "data") == int(load("sample", ROOT / "data")["n_documents"].sum())


def test_the_project_is_valid():
    assert validate(ROOT) == []


def test_a_negative_count_is_refused_in_one_line(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    themes = tmp_path / "data" / "themes.csv"
    lines = themes.read_text(encoding="utf-8").splitlines()
    key, label, _ = lines[1].split(",")
    lines[1] = f"{key},{label},-1"
    themes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = validate(tmp_path)
    assert problem.startswith("data/themes.csv row 1 (line 2), field n_documents: '-1' ") and "minimum" in problem


def test_a_count_above_the_sample_is_refused(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    themes = tmp_path / "data" / "themes.csv"
    size = sample_size(tmp_path / "data")
    lines = themes.read_text(encoding="utf-8").splitlines()
    key, label, _ = lines[1].split(",")
    lines[1] = f"{key},{label},{size + 1}"
    themes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert validate(tmp_path) == [f"data/themes.csv row 1 (line 2), field n_documents: {size + 1} exceeds the "
                                  f"sample size {size} (sum of sample.csv)"]
