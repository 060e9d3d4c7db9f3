"""Parameterised reruns write to runs/ only, and refuse bad parameters before anything runs."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import edit, run

from compendium.book.pipeline.exports import glued_outputs


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def table_of(csv_text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(csv_text)))


def stored_table(project: Path, name: str) -> list[dict]:
    """A table as the stored results notebook glued it (the published record, which nbval checks)."""
    text = glued_outputs(project / "notebooks/04_results.ipynb")[name]["text/csv"]
    return table_of(text if isinstance(text, str) else "".join(text))


def test_rerun_with_other_parameters_changes_the_results_only_in_runs(project):
    before = snapshot(project / "notebooks")
    done = run(["-m", "compendium", "rerun", "notebooks/04_results.ipynb", "--param", "confidence=0.9",
                "--param", "alpha=0.1", "--name", "at90"], cwd=project)
    assert done.returncode == 0, done.stderr
    assert "[ran]    notebooks/04_results.ipynb" in done.stdout
    run_tables = project / "runs/at90/04_results/tables"
    at95, at90 = stored_table(project, "intervals"), table_of((run_tables / "intervals.csv").read_text())
    assert at95[0]["confidence"] == "0.95" and at90[0]["confidence"] == "0.9"
    bounds = [(round(float(r[0]["lower"]), 2), round(float(r[0]["upper"]), 2)) for r in (at95, at90)]
    assert bounds == [(0.24, 0.5), (0.26, 0.48)]
    verdicts = {name: {(row["table"], row["kind"]): row["verdict"] for row in rows}
                for name, rows in (("at95", stored_table(project, "pairs")),
                                   ("at90", table_of((run_tables / "pairs.csv").read_text())))}
    assert verdicts["at95"][("1", "top vs bottom")] == "undecided by what the article publishes"
    # p from 0.002 to 0.076
    assert verdicts["at90"][("1", "top vs bottom")] == "shown different at α whatever the overlap"
    assert sorted(p.name for p in (project / "runs/at90/04_results/figures").iterdir()) == [
        "fig2.png", "fig2.svg", "fig3.png", "fig3.svg", "fig4.png", "fig4.svg"]
    assert (project / "runs/at90/04_results.ipynb").is_file()
    assert snapshot(project / "notebooks") == before


@pytest.mark.parametrize("args, message", [
    (["notebooks/04_results.ipynb", "--param", "confidence=1.5"],
     "parameter confidence: '1.5' is not a number strictly between 0 and 1"),
    (["notebooks/04_results.ipynb", "--param", "confidence=high"],
     "parameter confidence: 'high' is not a number strictly between 0 and 1"),
    (["notebooks/04_results.ipynb", "--param", "level=0.1"],
     "parameter 'level' is unknown; these notebooks take: alpha, confidence, data_dir"),
    (["notebooks/04_results.ipynb", "--param", "alpha=0"],
     "parameter alpha: '0' is not a number strictly between 0 and 1"),
    (["notebooks/01_background.ipynb", "--param", "confidence=0.9"],
     "parameter 'confidence' is unknown; these notebooks take: bib_path, data_dir"),
    (["notebooks/04_results.ipynb", "--param", "data_dir=missing"],
     "parameter data_dir: 'missing' is not a folder holding datapackage.json"),
    (["notebooks/99_nothing.ipynb"], "notebooks/99_nothing.ipynb: not a notebook of the book"),
    (["notebooks/04_results.ipynb", "--param", "confidence=0.9_5"],
     "parameter confidence: '0.9_5' is not a number strictly between 0 and 1"),
    (["notebooks/04_results.ipynb", "--param", "alpha=nan"],
     "parameter alpha: 'nan' is not a number strictly between 0 and 1"),
    (["notebooks/04_results.ipynb", "--param", "confidence=٠.٩"],
     "parameter confidence: '٠.٩' is not a number strictly between 0 and 1"),
    (["notebooks/07_coding_lab.ipynb", "--param", "resamples=1_000"],
     "parameter resamples: '1_000' is not a whole number from 100 to 100000"),
    (["notebooks/04_results.ipynb", "--param", "data_dir=" + "d" * 5000],
     "parameter data_dir: 'dddddddddddddddddddd'… is 5000 characters long; a value may have at most 1000"),
    (["notebooks/04_results.ipynb", "--param", "data_dir=" + "d/" * 300 + "x" * 300],
     "parameter data_dir: '" + "d/" * 300 + "x" * 300 + "' is not a folder holding datapackage.json"),
])
def test_bad_rerun_requests_are_refused_before_anything_runs(project, args, message):
    done = run(["-m", "compendium", "rerun", *args], cwd=project)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0].startswith(message)
    assert len(done.stderr.splitlines()) == 2  # the problem, then that nothing was changed
    assert "[start]" not in done.stdout and "Traceback" not in done.stderr
    assert not (project / "runs").exists()


@pytest.mark.parametrize("injected, message", [
    ("1 / 0", "notebooks/04_results.ipynb cell 3: ZeroDivisionError: division by zero"),
    ("import os; os._exit(1)", "notebooks/04_results.ipynb: the kernel failed: Kernel died"),
], ids=["raising cell", "dying kernel"])
def test_a_failed_rerun_is_one_line_and_leaves_no_partial_run(project, injected, message):
    first = '"from myst_nb import glue'  # the cell's first line: the failure comes before its imports
    edit(project / "notebooks/04_results.ipynb", first, f'"{injected}\\n",\n    {first}')
    done = run(["-m", "compendium", "rerun", "notebooks/04_results.ipynb", "--name", "broken"], cwd=project)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == message
    assert "Traceback" not in done.stderr
    assert list((project / "runs").iterdir()) == []


def test_make_rerun_passes_a_data_folder_whose_name_holds_spaces(project):
    shutil.copytree(project / "data", project / "My Data")
    edit(project / "My Data/sample.csv", "journal articles,30", "journal articles,40")
    venv = Path(sys.executable).parent.parent  # the environment running the tests; make must not build one
    done = subprocess.run(["make", "--no-print-directory", "-o", f"{venv}/.ready", "rerun", f"VENV={venv}",
                           "NB=notebooks/03_methods.ipynb", "PARAMS=data_dir='My Data'", "NAME=spaced"],
                          cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    parameters = json.loads((project / "runs/spaced/parameters.json").read_text(encoding="utf-8"))
    assert parameters["parameters"] == {"data_dir": str(project / "My Data")}
    with (project / "runs/spaced/03_methods/tables/composition.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["source_type", "label", "stated_sample"] and rows[1][1:3] == ["journal articles", "40"]


def agreement_of(run_dir: Path) -> dict[str, str]:
    """The lab's agreement download as measure -> its value (alpha) or count, and the codings it read."""
    with (run_dir / "07_coding_lab/tables/agreement.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {row["measure"]: row["value"] or row["count"] for row in rows} | {"Codings": rows[0]["Codings"]}


# The chance fixture's alpha is checked against the package in test_lab.py; its rerun would take the
# same path through the notebook as these two (and as the class's two runs below).
@pytest.mark.parametrize("fixture", ["perfect", "missing"])
def test_a_lab_rerun_reports_the_alpha_of_the_krippendorff_package(project, fixture):
    from test_lab import FIXTURES, reference_alpha

    before = snapshot(project / "notebooks")
    done = run(["-m", "compendium", "rerun", "notebooks/07_coding_lab.ipynb", "--param",
                f"codings_dir={FIXTURES / fixture}", "--param", "resamples=200", "--name", fixture], cwd=project)
    assert done.returncode == 0, done.stderr
    reported = agreement_of(project / "runs" / fixture)
    assert float(reported["krippendorff_alpha_nominal"]) == pytest.approx(reference_alpha(FIXTURES / fixture))
    assert reported["Codings"] == f"codings in {fixture}"  # not the synthetic example, so not labelled so
    tables = project / "runs" / fixture / "07_coding_lab" / "tables"
    assert {"indicator_agreement.csv", "kappa.csv", "consensus.csv", "ties.csv", "beside_t1.csv"} <= {
        p.name for p in tables.iterdir()}
    assert (project / "runs" / fixture / "07_coding_lab/figures/fig_comparison.png").is_file()
    assert snapshot(project / "notebooks") == before


def test_a_class_pools_its_pairs_and_their_settled_codes_end_to_end(project):
    # The last step of the class plan: every student's file in one folder (pairs share no documents),
    # then the pairs' settled codes in another (each unit coded once).
    from test_lab import FIXTURES, reference_alpha

    for fixture in ("pooled", "settled"):
        done = run(["-m", "compendium", "rerun", "notebooks/07_coding_lab.ipynb", "--param",
                    f"codings_dir={FIXTURES / fixture}", "--param", "resamples=100", "--name", fixture], cwd=project)
        assert done.returncode == 0, done.stderr
    pooled = agreement_of(project / "runs" / "pooled")
    assert float(pooled["krippendorff_alpha_nominal"]) == pytest.approx(reference_alpha(FIXTURES / "pooled"))
    assert pooled["pairs_without_common_unit"] == "4"
    with (project / "runs/pooled/07_coding_lab/tables/kappa.csv").open(encoding="utf-8") as f:
        assert [(row["coder_1"], row["coder_2"]) for row in csv.DictReader(f)] == [("p1-ana", "p1-ben"),
                                                                                  ("p2-ana", "p2-cleo")]
    settled = agreement_of(project / "runs" / "settled")
    assert settled["krippendorff_alpha_nominal"] == ""  # undefined: no unit coded twice
    assert settled["units_coded_once"] == "8"
    with (project / "runs/settled/07_coding_lab/tables/consensus.csv").open(encoding="utf-8") as f:
        first = next(csv.DictReader(f))
    assert (first["label"], first["decided"], first["coded_1"]) == ("Communication facilitation", "4", "1")


def test_bad_codings_are_refused_in_one_line_and_runs_stays_empty(project):
    from test_lab import FIXTURES

    codings = project / "my codings"
    codings.mkdir()
    for coder in ("ana", "ben"):
        (codings / f"{coder}.csv").write_text((FIXTURES / "missing" / f"{coder}.csv").read_text(), encoding="utf-8")
    edit(codings / "ben.csv", "gause2010,economic_limitations,0", "gause2010,economic_limitations,2")
    (project / "runs").mkdir()
    (project / "runs" / "earlier").mkdir()
    done = run(["-m", "compendium", "rerun", "notebooks/07_coding_lab.ipynb", "--param", "codings_dir=my codings"],
               cwd=project)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "my codings/ben.csv row 4 (line 5), field present: '2' is not one of the allowed values 0, 1")
    assert "[start]" not in done.stdout and "Traceback" not in done.stderr
    assert [p.name for p in (project / "runs").iterdir()] == ["earlier"]


@pytest.mark.parametrize("value, message", [
    ("codings_dir=nowhere", "parameter codings_dir: 'nowhere' is not a folder of codings (<coder>.csv files)"),
    ("resamples=10", "parameter resamples: '10' is not a whole number from 100 to 100000"),
    ("resamples=many", "parameter resamples: 'many' is not a whole number from 100 to 100000"),
])
def test_bad_lab_parameters_are_refused(project, value, message):
    done = run(["-m", "compendium", "rerun", "notebooks/07_coding_lab.ipynb", "--param", value], cwd=project)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == message
    assert not (project / "runs").exists()


def make(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    """``make ARGUMENTS`` in ``project`` with the environment running the tests (make must not build one)."""
    venv = Path(sys.executable).parent.parent
    return subprocess.run(["make", "--no-print-directory", "-o", f"{venv}/.ready", *arguments, f"VENV={venv}"],
                          cwd=project, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("arguments, message", [
    (["rerun", "NB=notebooks/03_methods.ipynb", "NAME=a$b"], "run name 'a$b': "),
    (["rerun", "NB=notebooks/03_methods.ipynb", "NAME=a$(shell touch pwned)b"], "run name 'a$(shell touch pwned)b': "),
    (["rerun", "NB=notebooks/03_methods.ipynb", "NAME=a$$b"], "run name 'a$$b': "),
    (["rerun", "NB=notebooks/03_methods.ipynb", "NAME=it's\nx"], "run name \"it's\\nx\": "),
    (["rerun", "PARAMS=$(shell touch pwned)"], "parameter '$(shell': write it as name=value"),
    (["rerun", "NB=notebooks/03_methods.ipynb", "PARAMS=data_dir='ext/d$x/data'"],
     "parameter data_dir: 'ext/d$x/data' is not a folder holding datapackage.json"),
    (["rerun", "NB=notebooks/0$(shell touch pwned)3.ipynb"],
     "notebooks/0$(shell touch pwned)3.ipynb: not a notebook of the book"),
    (["chapter", "CH=re$(shell touch pwned)sults"],
     "chapter 're$(shell touch pwned)sults' is not a chapter of the book"),
    (["serve", "PORT=80$(shell touch pwned)"], "argument --port: invalid int value: '80$(shell touch pwned)'"),
    (["validate", "EDITION=$(shell touch pwned)", "RELEASE=$(shell touch pwned)"], None),
], ids=["NAME with $", "NAME with $(shell)", "NAME with $$", "NAME with a quote and a line break",
        "PARAMS with $(shell)", "data_dir with $", "NB with $(shell)", "CH with $(shell)", "PORT with $(shell)",
        "EDITION and RELEASE"])
def test_make_passes_values_untouched_and_runs_nothing_in_them(project, arguments, message):
    done = make(project, *arguments)
    assert not (project / "pwned").exists()  # make ran no command of a value
    if message is None:
        assert done.returncode == 0, done.stderr
        return
    assert done.returncode != 0
    assert message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "runs").exists() or list((project / "runs").iterdir()) == []


def test_make_new_makes_the_folder_named_exactly(project, tmp_path):
    done = make(project, "new", f"DIR={tmp_path}/my $book")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if "book" in p.name) == ["my $book"]


def test_kernels_run_no_startup_file_or_configuration_of_the_reader(project, tmp_path):
    home = tmp_path / "home"
    marker = tmp_path / "startup ran"
    for folder in (home / ".ipython", tmp_path / "ipythondir"):  # the default place, and one named by IPYTHONDIR
        startup = folder / "profile_default" / "startup"
        startup.mkdir(parents=True)
        (startup / "00-reader.py").write_text(f"open({str(marker)!r}, 'a').write('{folder.name}\\n')\n")
        (folder / "profile_default" / "ipython_kernel_config.py").write_text(
            f"open({str(marker)!r}, 'a').write('config {folder.name}\\n')\n")
    environment = {**os.environ, "HOME": str(home), "IPYTHONDIR": str(tmp_path / "ipythondir")}
    done = subprocess.run([sys.executable, "-m", "compendium", "rerun", "notebooks/01_background.ipynb", "--name",
                           "clean"], cwd=project, capture_output=True, text=True, env=environment)
    assert done.returncode == 0, done.stderr
    assert not marker.exists(), marker.read_text()
