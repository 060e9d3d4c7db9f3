"""The read log keeps every path whole, whatever characters it holds."""
from __future__ import annotations

from compendium.book import paths, reads


def test_read_log_keeps_paths_with_spaces_and_newlines(tmp_path, monkeypatch):
    log = tmp_path / "reads.jsonl"
    monkeypatch.setenv(paths.READ_LOG, str(log))
    names = [tmp_path / "My Projects" / "data" / "find ings.csv", tmp_path / "odd\nname.csv"]
    for name in names:
        reads.note_read(name)
    assert [record["path"] for record in reads.read_log(log)] == [str(n.resolve()) for n in names]
    assert [record["cell"] for record in reads.read_log(log)] == [None, None]


def test_no_log_means_no_reads(tmp_path):
    assert reads.read_log(tmp_path / "absent.jsonl") == []
