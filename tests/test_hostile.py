"""Hostile and unlucky input: each case is refused with its exact one line before anything runs,
and leaves _build/html, runs/ and the stored notebooks as they were.

To add a case, add a row to CASES: what to do to a fresh copy of the project, the command,
and the exact line of the refusal. The cases after the table need a built book, a signal
or a second process, and test one class each.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
from conftest import ROOT, build, edit, run

from compendium.book import paths, reads
from compendium.book.toc import book_chapters

CHAPTERS = ", ".join(sorted(book_chapters(ROOT)))
PATH_RULE = "a resource must be a .csv file inside data/"
SAFE = "letters, digits, spaces, '_', '-', '.' and '/'"
INTEGER_RULE = "is not of type integer (the digits 0-9 only, with '-' before a negative number)"
NAME_RULE = ("use up to 100 letters, digits, '_', '-' and '.', starting with a letter or digit "
             "(it names one folder under runs/)")
DIALECT = json.dumps({"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True})


@dataclass(frozen=True)
class Case:
    """Break a copy of the project with ``setup``, run ``command``: it must print ``message`` as
    line ``line`` of its error output (0: the first) and change nothing built before."""

    setup: Callable[[Path], None]
    message: str
    command: list[str] = field(default_factory=lambda: ["build"])
    line: int = 0
    env: dict[str, str] = field(default_factory=dict)


def resource(name: str, key: str, value) -> Callable[[Path], None]:
    """Set (or, with value None, remove) ``key`` of resource ``name`` in data/datapackage.json."""
    def change(project: Path) -> None:
        path = project / "data/datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        entry = next(r for r in descriptor["resources"] if r["name"] == name)
        if value is None:
            entry.pop(key)
        else:
            entry[key] = value
        path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return change


def descriptor(change: Callable[[dict], None]) -> Callable[[Path], None]:
    """Apply ``change`` to the dict of data/datapackage.json."""
    def setup(project: Path) -> None:
        path = project / "data/datapackage.json"
        content = json.loads(path.read_text(encoding="utf-8"))
        change(content)
        path.write_text(json.dumps(content, indent=2), encoding="utf-8")
    return setup


def replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda project: edit(project / path, old, new)


def symlinked_sample(project: Path) -> None:
    outside = project.parent / "outside.csv"
    shutil.copy(project / "data/sample.csv", outside)
    (project / "data/sample.csv").unlink()
    (project / "data/sample.csv").symlink_to(outside)


def symlinked_folder(project: Path) -> None:
    outside = project.parent / "elsewhere"
    outside.mkdir()
    shutil.move(project / "data/sample.csv", outside / "sample.csv")
    (project / "data/sub").symlink_to(outside)
    resource("sample", "path", "sub/sample.csv")(project)


def many_bad_sections(project: Path) -> None:
    path = project / "data/search_strategy.csv"
    path.write_text(path.read_text(encoding="utf-8") + "".join(f"{n},keyword,k{n},x\n" for n in range(100, 1200)),
                    encoding="utf-8")


def bibliography_without_snyder2018(project: Path) -> None:
    text = (project / "references.bib").read_text(encoding="utf-8")
    start = text.index("@article{snyder2018,")
    (project / "other.bib").write_text(text[:start] + text[text.index("\n}\n", start) + 3:], encoding="utf-8")


def copied_data(folder: str, then: Callable[[Path], None] = lambda p: None) -> Callable[[Path], None]:
    """Copy data/ to ``folder`` inside the project, then apply ``then`` to the copy's project."""
    def setup(project: Path) -> None:
        shutil.copytree(project / "data", project / folder)
        then(project)
    return setup


def drop_sample(content: dict) -> None:
    content["resources"] = [r for r in content["resources"] if r["name"] != "sample"]


CASES = {
    # resource paths: relative, inside data/, safe characters, no link
    "URL as a resource path": Case(
        resource("sample", "path", "https://example.org/sample.csv"),
        f"data/datapackage.json resource sample, field path: 'https://example.org/sample.csv' is a URL, not a "
        f"local file; {PATH_RULE}"),
    "absolute resource path": Case(
        resource("sample", "path", "/etc/passwd"),
        f"data/datapackage.json resource sample, field path: '/etc/passwd' is absolute, not relative to data/; "
        f"{PATH_RULE}"),
    "resource path leaving data/": Case(
        resource("sample", "path", "../README.md"),
        f"data/datapackage.json resource sample, field path: '../README.md' leaves data/; {PATH_RULE}"),
    "newline in a resource path": Case(
        resource("sample", "path", "sample\n.csv"),
        f"data/datapackage.json resource sample, field path: 'sample\\n.csv' holds characters other than {SAFE}; "
        f"{PATH_RULE}"),
    "backticks and braces in a resource path": Case(
        resource("sample", "path", "`{glue}`.csv"),
        f"data/datapackage.json resource sample, field path: '`{{glue}}`.csv' holds characters other than {SAFE}; "
        f"{PATH_RULE}"),
    "LaTeX in a resource path": Case(
        resource("sample", "path", "$\\input{/etc/passwd}$.csv"),
        f"data/datapackage.json resource sample, field path: '$\\\\input{{/etc/passwd}}$.csv' holds characters "
        f"other than {SAFE}; {PATH_RULE}"),
    "resource that is not a .csv file": Case(
        resource("sample", "path", "sample.txt"),
        f"data/datapackage.json resource sample, field path: 'sample.txt' does not end in .csv; {PATH_RULE}"),
    "resource that is a symbolic link": Case(
        symlinked_sample,
        "data/datapackage.json resource sample, field path: 'sample.csv' is or passes through a symbolic link; "
        "a resource must be a regular file inside data/"),
    "resource in a linked folder": Case(
        symlinked_folder,
        "data/datapackage.json resource sample, field path: 'sub/sample.csv' is or passes through a symbolic "
        "link; a resource must be a regular file inside data/"),
    # the descriptor itself
    "descriptor that is not JSON": Case(
        lambda p: (p / "data/datapackage.json").write_text('{"resources": [', encoding="utf-8"),
        "data/datapackage.json: not valid JSON (Expecting value: line 1 column 16 (char 15))"),
    "descriptor frictionless refuses": Case(
        descriptor(lambda d: d["resources"][3]["schema"].update(primaryKey=["nowhere"])),
        "data/datapackage.json: not a valid data package (primary key \"['nowhere']\" does not match the fields "
        "\"['source_type', 'label', 'n_documents']\")"),
    "resource missing from the package": Case(
        descriptor(drop_sample),
        "data/datapackage.json: resource 'sample' is missing (needed to check findings)"),
    "field type the loaders do not read": Case(
        descriptor(lambda d: d["resources"][3]["schema"]["fields"][2].update(type="number")),
        "data/datapackage.json resource sample, field n_documents: type 'number' is not one the loaders read "
        "(string, integer)"),
    "published hash that is not a sha256": Case(
        resource("sample", "hash", "`x`"),
        "data/datapackage.json resource sample, field hash: '`x`' is not 'sha256:' and 64 lowercase hexadecimal "
        "digits"),
    "encoding other than UTF-8": Case(
        resource("sample", "encoding", "latin-1"),
        "data/datapackage.json resource sample, field encoding: 'latin-1' is not utf-8, the encoding the loaders "
        "read"),
    # dialect: declared, supported, and the file in it
    "no dialect declared": Case(
        resource("sample", "dialect", None),
        "data/datapackage.json resource sample, field dialect: is not declared (declare the CSV dialect: "
        "delimiter ',', ';', tab or '|'; quoteChar '\"'; doubleQuote true; header true)"),
    "dialect the loaders do not read": Case(
        resource("sample", "dialect", {"delimiter": ",", "commentChar": "#"}),
        "data/datapackage.json resource sample, field dialect: {\"delimiter\": \",\", \"commentChar\": \"#\"} is "
        "not a dialect the loaders read (delimiter ',', ';', tab or '|'; quoteChar '\"'; doubleQuote true; "
        "header true)"),
    "file in another dialect": Case(
        lambda p: (p / "data/sample.csv").write_text(
            (p / "data/sample.csv").read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8"),
        "data/sample.csv header (line 1): cells are separated by ';', but data/datapackage.json declares ',' for "
        "resource sample (dialect.delimiter)"),
    # cells: strict integers, no control characters
    "integer with a plus sign": Case(
        replace("data/sample.csv", "policy reports,12", "policy reports,+12"),
        f"data/sample.csv row 2 (line 3), field n_documents: '+12' {INTEGER_RULE}"),
    "integer in non-ASCII digits": Case(
        replace("data/sample.csv", "policy reports,12", "policy reports,١٢"),
        f"data/sample.csv row 2 (line 3), field n_documents: '١٢' {INTEGER_RULE}"),
    "integer with spaces around it": Case(
        replace("data/sample.csv", "policy reports,12", "policy reports, 12 "),
        f"data/sample.csv row 2 (line 3), field n_documents: ' 12 ' {INTEGER_RULE}"),
    "integer too large for a notebook": Case(
        replace("data/sample.csv", "policy reports,12", "policy reports,99999999999999999999"),
        "data/sample.csv row 2 (line 3), field n_documents: '99999999999999999999' has more than 9 digits, the "
        "most an integer may have"),
    "trailing newline in a patterned cell": Case(
        replace("data/recommendations.csv", "\nR2,", '\n"R2\n",'),
        "data/recommendations.csv row 2 (line 3), field id: 'R2\\n' holds a control character (U+000A)"),
    "control character in a label": Case(
        replace("data/sample.csv", "policy reports,12", "policy\x07reports,12"),
        "data/sample.csv row 2 (line 3), field label: 'policy\\x07reports' holds a control character (U+0007)"),
    "error list longer than the limit": Case(
        many_bad_sections,
        "data/search_strategy.csv: the list stops at 1000 problems; correct these and validate again to see the rest",
        line=-2),
    "right-to-left override in a label": Case(
        replace("data/findings.csv", ",Communication facilitation,", ",Communication \u202efacilitation,"),
        "data/findings.csv row 1 (line 2), field label: 'Communication \\u202efacilitation' holds a control "
        "character (U+202E)"),
    **{f"bidirectional control U+{ord(c):04X} in a label": Case(
        replace("data/sample.csv", "policy reports,12", f"policy{c}reports,12"),
        f"data/sample.csv row 2 (line 3), field label: {('policy' + c + 'reports')!r} holds a control character "
        f"(U+{ord(c):04X})")
       for c in ["\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
                 "\u200f", "\u061c"]},
    "cell of 200,000 characters": Case(
        replace("data/findings.csv", ",Communication facilitation,", ",Communication" + "x" * 200_000 + ","),
        "data/findings.csv row 1 (line 2), field label: 'Communicationxxxxxxx'… is 200013 characters long, more "
        "than the 10000 a cell may have"),
    "two rows of one table with the same label": Case(
        replace("data/findings.csv", ",Crisis de-escalation support,", ",Communication facilitation,"),
        "data/findings.csv row 2 (line 3), field label: 'Communication facilitation' is already the label of "
        "row 1 in table 1; the rows of a table need different labels"),
    # the bibliography: comments, control characters, the one in use
    "key defined only inside @comment": Case(
        lambda p: (
            edit(p / "data/citations.csv", ",parenthetical,snyder2018,", ",parenthetical,ghost2020,"),
            (p / "references.bib").write_text((p / "references.bib").read_text(encoding="utf-8") +
                                              "\n@comment{\n@book{ghost2020, author = {A}, title = {T}, "
                                              "year = {2020}}\n}\n", encoding="utf-8")),
        "data/citations.csv row 1 (line 2), field key: 'ghost2020' is not a key of references.bib nor UNRESOLVED"),
    "control character in the bibliography": Case(
        lambda p: (p / "references.bib").write_text("% \x1b[31m\n" + (p / "references.bib").read_text(
            encoding="utf-8"), encoding="utf-8"),
        "references.bib line 1: holds a control character (U+001B)"),
    "no bibliography declared": Case(
        descriptor(lambda d: d.pop("bibliography")),
        "data/datapackage.json: declares no bibliography (field bibliography.path), so the keys of "
        "data/citations.csv cannot be checked"),
    "bibliography declared as a URL": Case(
        descriptor(lambda d: d["bibliography"].update(path="https://example.org/refs.bib")),
        "data/datapackage.json bibliography, field path: 'https://example.org/refs.bib' is a URL, not a local "
        "file; the bibliography must be a local .bib file, relative to data/"),
    "bibliography outside the project": Case(
        lambda p: (shutil.copy(p / "references.bib", p.parent / "outside.bib"),
                   descriptor(lambda d: d["bibliography"].update(path="../../outside.bib"))(p)),
        "data/datapackage.json bibliography, field path: '../../outside.bib' leads out of the project (the folder "
        "holding data/); the bibliography must be a .bib file inside the project"),
    "bibliography linked to a file outside the project": Case(
        lambda p: (shutil.copy(p / "references.bib", p.parent / "outside.bib"),
                   (p / "linked.bib").symlink_to(p.parent / "outside.bib"),
                   descriptor(lambda d: d["bibliography"].update(path="../linked.bib"))(p)),
        "data/datapackage.json bibliography, field path: '../linked.bib' leads out of the project (the folder "
        "holding data/); the bibliography must be a .bib file inside the project"),
    **{f"{scheme} address in a reference": Case(
        replace("references.bib", "  pages   = {987–1015}\n}", f"  pages   = {{987–1015}},\n  url = {{{url}}}\n}}"),
        f"references.bib entry snyder2018, field url: {url.strip()!r} is not an http, https or doi address")
       for scheme, url in [("javascript:", "javascript:alert(document.cookie)"),
                           ("mixed-case javascript:", "  JaVaScRiPt:alert(1)"),
                           ("data:", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
                           ("vbscript:", "vbscript:msgbox(1)"), ("file:", "file:///etc/passwd")]},
    **{f"LaTeX command {command} in a reference": Case(
        replace("references.bib", "{Alliance politics", "{Alliance " + command + "{x} politics"),
        f"references.bib entry snyder2018, field title: holds the LaTeX command {command}, which the reference "
        "list does not print (it prints \\emph, \\textit, \\textbf and accents)")
       for command in ["\\input", "\\url", "\\cite", "\\href"]},
    "bidirectional control in the bibliography": Case(
        replace("references.bib", "{Alliance politics", "{Alliance \u202epolitics"),
        "references.bib line 261: holds a control character (U+202E)"),
    # reruns: names, parameters, other data
    "run name climbing out of runs/": Case(
        lambda p: None, f"run name '../../x': {NAME_RULE}", ["rerun", "all", "--name", "../../x"]),
    "absolute run name": Case(
        lambda p: None, f"run name '/tmp/x': {NAME_RULE}", ["rerun", "all", "--name", "/tmp/x"]),
    "run name with a slash": Case(
        lambda p: None, f"run name 'a/b': {NAME_RULE}", ["rerun", "all", "--name", "a/b"]),
    "parameter given twice": Case(
        lambda p: None, "parameter confidence is given twice ('0.9' and '0.8'); give it once",
        ["rerun", "notebooks/04_results.ipynb", "--param", "confidence=0.9", "--param", "confidence=0.8"]),
    "unbalanced quote in PARAMS": Case(
        lambda p: None,
        "PARAMS \"data_dir='My Data\": No closing quotation (quote a value that holds spaces: "
        "PARAMS=\"data_dir='My Data'\")",
        ["rerun", "all", "--params", "data_dir='My Data"]),
    "copied data folder with a key the bibliography lacks": Case(
        copied_data("My Data", replace("My Data/citations.csv", ",parenthetical,snyder2018,",
                                       ",parenthetical,snyder2019,")),
        "My Data/citations.csv row 1 (line 2), field key: 'snyder2019' is not a key of references.bib nor "
        "UNRESOLVED",
        ["rerun", "notebooks/02_literature.ipynb", "--params", "data_dir='My Data'"]),
    "copied data folder whose bibliography is missing": Case(
        copied_data("copy/data"),
        "copy/references.bib: file not found (the bibliography to check the keys of copy/data/citations.csv "
        "against)",
        ["rerun", "notebooks/02_literature.ipynb", "--param", "data_dir=copy/data"]),
    "bibliography passed to a rerun that lacks a cited key": Case(
        bibliography_without_snyder2018,
        "data/citations.csv row 1 (line 2), field key: 'snyder2018' is not a key of other.bib nor UNRESOLVED",
        ["rerun", "notebooks/02_literature.ipynb", "--param", "bib_path=other.bib"]),
    # chapters
    "chapter name climbing out of chapters/": Case(
        lambda p: None, f"chapter '../README' is not a chapter of the book (choose one of: {CHAPTERS})",
        ["chapter", "../README"]),
    "absolute chapter name": Case(
        lambda p: None, f"chapter '/etc/passwd' is not a chapter of the book (choose one of: {CHAPTERS})",
        ["chapter", "/etc/passwd"]),
    # messages
    "unforeseen error with VERBOSE=0": Case(
        lambda p: (p / "_toc.yml").write_text("format: jb-book\nroot: [unclosed\n", encoding="utf-8"),
        "ParserError: while parsing a flow sequence (VERBOSE=1 shows the traceback)",
        ["rerun", "all"], env={"VERBOSE": "0"}),
}


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", CASES, ids=list(CASES))
def test_hostile_input_is_refused_in_one_line_and_changes_nothing(project, monkeypatch, capsys, name):
    from compendium.__main__ import main

    case = CASES[name]
    (project / "_build/html").mkdir(parents=True)
    (project / "_build/html/index.html").write_text("previous book", encoding="utf-8")
    (project / "runs/earlier").mkdir(parents=True)
    (project / "runs/earlier/parameters.json").write_text("{}", encoding="utf-8")
    before = {folder: snapshot(project / folder) for folder in ("_build/html", "runs", "notebooks")}
    case.setup(project)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(project)
    assert main(case.command) == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert lines[case.line] == case.message
    assert case.line != 0 or len(lines) == 2, lines  # one line for the problem, one saying nothing changed
    assert lines[-1].endswith("failed; nothing already built, recorded or run was changed")
    assert "[start]" not in out and "Traceback" not in err
    assert {folder: snapshot(project / folder) for folder in before} == before
    assert not (project / "_build/.stage").exists()
    assert sorted(p.name for p in (project / "runs").iterdir()) == ["earlier"]


def test_a_loader_asked_for_a_resource_the_package_lacks_says_so(project, monkeypatch):
    from compendium.analysis import data

    descriptor(lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != "framework"]))(project)
    monkeypatch.chdir(project)
    names = ", ".join(r["name"] for r in data.read_descriptor(project / "data")["resources"])
    with pytest.raises(data.DataError) as refused:
        data.load_framework(project / "data")
    assert str(refused.value) == f"data/datapackage.json: no resource named 'framework' (it has: {names})"


def test_a_data_file_whose_name_holds_a_space_is_read_and_logged(project, monkeypatch):
    from compendium.analysis import data

    (project / "data/sample.csv").rename(project / "data/stated sample.csv")
    resource("sample", "path", "stated sample.csv")(project)
    monkeypatch.setenv(paths.READ_LOG, str(project / "reads.jsonl"))
    assert data.load_sample(project / "data")["n_documents"].sum() == 50
    logged = [record["path"] for record in reads.read_log(project / "reads.jsonl")]
    assert logged[-1] == str((project / "data/stated sample.csv").resolve())


def test_damaged_output_and_cache_entries_are_rebuilt_not_served(built):
    html = built / "_build/html"
    results = (html / "chapters/results.html").read_bytes()
    (html / "chapters/results.html").unlink()
    (html / "chapters/methods.html").write_text("edited by hand", encoding="utf-8")
    (built / "_build/.cache/06_audit.json").write_text('{"key": "trunc', encoding="utf-8")
    executed = built / "_build/.cache/01_background.ipynb"
    executed.write_bytes(executed.read_bytes()[:100])
    done = run(["-m", "compendium", "build"], cwd=built)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == ("[stale]  _build/html/chapters/methods.html was edited after the last build (and 1 more "
                        "files): the book is rendered again")
    assert ("[cache]  _build/.cache/01_background.ipynb is missing or differs from its entry: "
            "notebooks/01_background.ipynb runs again") in lines
    assert ("[cache]  _build/.cache/06_audit.json is unreadable (JSONDecodeError: Unterminated string starting "
            "at: line 1 column 9 (char 8)): notebooks/06_audit.ipynb runs again") in lines
    assert sorted(line.split()[1] for line in lines if line.startswith("[ran]")) == [
        "notebooks/01_background.ipynb", "notebooks/06_audit.ipynb"]
    assert (html / "chapters/results.html").read_bytes() == results
    assert "edited by hand" not in (html / "chapters/methods.html").read_text(encoding="utf-8")
    assert build(built) == []  # repaired entries are used again


def test_a_second_build_waits_for_the_first(built):
    import fcntl

    with (built / "_build/.lock").open("a+", encoding="utf-8") as lock:
        fcntl.lockf(lock, fcntl.LOCK_EX)
        lock.truncate(0)
        lock.write("the first build")
        lock.flush()
        second = subprocess.Popen([sys.executable, "-m", "compendium", "build"], cwd=built, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first_line = second.stdout.readline().rstrip("\n")
        time.sleep(1)
        assert second.poll() is None  # still waiting
        fcntl.lockf(lock, fcntl.LOCK_UN)
    out, err = second.communicate(timeout=120)
    assert first_line == ("[wait]   the first build is using this project's _build (_build/.lock); waiting for it "
                          "to finish")
    assert second.returncode == 0, err
    assert out.startswith("[cached] the book: no input changed since the last build")


@pytest.mark.parametrize("signum, to_group", [(signal.SIGINT, True), (signal.SIGTERM, False)],
                         ids=["Ctrl-C in a terminal", "SIGTERM"])
def test_a_signal_stops_the_build_cleanly(project, signum, to_group):
    html = project / "_build/html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("previous book", encoding="utf-8")
    building = subprocess.Popen([sys.executable, "-m", "compendium", "build"], cwd=project, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    process, started = psutil.Process(building.pid), set()
    deadline = time.monotonic() + 180
    while not any("ipykernel" in " ".join(p.cmdline()) for p in started if p.is_running()):
        assert time.monotonic() < deadline and building.poll() is None, "no kernel started"
        started |= set(process.children(recursive=True))
        time.sleep(0.2)
    time.sleep(1)  # let the workers' kernels get going
    started |= set(process.children(recursive=True))
    if to_group:  # a terminal's Ctrl-C reaches the whole foreground process group
        os.killpg(building.pid, signum)
    else:
        os.kill(building.pid, signum)
    try:
        out, err = building.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(building.pid, signal.SIGKILL)  # a build that hangs must not outlive the test
        raise
    name = signal.Signals(signum).name
    assert building.returncode == 128 + signum
    assert err.splitlines() == [f"build interrupted by {name}: stopped its notebooks and kernels; _build/html, "
                                "runs/ and notebooks/ are as they were"]
    assert "[ran]" not in out
    psutil.wait_procs(list(started), timeout=5)
    assert [p.pid for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []
    assert not (project / "_build/.stage").exists()
    assert [p.name for p in html.iterdir()] == ["index.html"]
    assert (html / "index.html").read_text(encoding="utf-8") == "previous book"


STOPPED_WORKERS = """
import time
from multiprocessing import get_context
from compendium.book.pipeline.signals import stop_children

workers = [get_context("fork").Process(target=time.sleep, args=(60,)) for _ in range(2)]
for worker in workers:
    worker.start()
stop_children()
print([worker.is_alive() for worker in workers], [worker.exitcode for worker in workers])
"""


def test_stopped_workers_are_known_to_have_ended():
    # An interrupted build stops its pool's workers. Were they reaped behind multiprocessing's
    # back, it would take them for alive for ever, and the pool would wait for them at exit
    # (a build interrupted under load hung so, now and then, with its message printed).
    done = subprocess.run([sys.executable, "-c", STOPPED_WORKERS], capture_output=True, text=True, timeout=60)
    assert done.stdout.split("\n")[0] == f"[False, False] [{-signal.SIGTERM}, {-signal.SIGTERM}]", done.stderr


def test_a_handout_holds_declared_files_and_refuses_links(built):
    from compendium.book import project
    from compendium.book.pipeline.bundles import write_handout

    (built / "data/stray.csv").write_text("not,declared\n", encoding="utf-8")
    (built / "data/linked.csv").symlink_to("/etc/hostname")
    zipped = built / "_build/handouts/results-student.zip"  # zipped as make chapter does, from the book as built
    write_handout(project.load(built), built / "_build/html", "results", zipped)  # (test_book runs make chapter itself)
    declared = [r["path"] for r in json.loads((built / "data/datapackage.json").read_text())["resources"]]
    with zipfile.ZipFile(zipped) as archive:
        data_files = sorted(n for n in archive.namelist() if n.startswith("data/"))
    assert data_files == sorted(["data/datapackage.json", "data/README.md", *(f"data/{p}" for p in declared)])
    before = zipped.read_bytes()
    readme = built / "data/README.md"
    readme.rename(built / "data_readme.md")
    readme.symlink_to(built / "data_readme.md")
    refused = run(["-m", "compendium", "chapter", "results"], cwd=built)
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == "data/README.md: a symbolic link; a handout holds regular files only"
    assert "[start]" not in refused.stdout  # refused before any notebook or render started
    assert zipped.read_bytes() == before and not zipped.with_suffix(".zip.partial").exists()
