"""make release and make verify: a deposit that validates offline, is byte-identical when made
twice from the same sources, carries the manuscripts journals take, and verifies itself (and
refuses, in one line, a release that was tampered with, truncated or is not one)."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, copy_of_book, in_ci, run
from pybtex.database import parse_file

from compendium.book.citation import citation, release_name
from compendium.book.commands.differences import first_difference
from compendium.book.commands.manuscript import FURNITURE
from compendium.book.commands.release import SUMS, sums
from compendium.book.commands.validators import PROFILE, crate_report, release_problems, required_checks
from compendium.book.toc import book_pages

pytestmark = pytest.mark.book
EPOCH = "1779000000"
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
VERIFIED = re.compile(r"^verified: (\d+) values, (\d+) tables, (\d+) figures identical$")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def _needs_tex() -> None:
    if not shutil.which("xelatex"):
        if in_ci():
            pytest.fail("the release builds the PDF and needs TeX Live (see the README)")
        pytest.skip("the release builds the PDF and needs TeX Live (see the README)")


def _release(project: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "compendium", "release"], cwd=project, capture_output=True,
                          text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **OFFLINE})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    return project / "dist" / f"{release_name(citation(project))}.zip"


def _tree(project: Path) -> dict[str, str]:
    """The sha256 of every file outside _build/ and dist/."""
    return {p.relative_to(project).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in project.rglob("*") if p.is_file() and p.relative_to(project).parts[0] not in ("_build", "dist")}


@pytest.fixture(scope="module")
def released(book, tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the built project and its release (made once for this file)."""
    _needs_tex()
    project = copy_of_book(book, tmp_path_factory.mktemp("release") / "My Project")
    before = _tree(project)
    target = _release(project)
    assert _tree(project) == before, "make release changed a file outside _build/ and dist/"
    assert sorted(p.name for p in (project / "dist").iterdir()) == [target.name]
    return project, target


@pytest.fixture(scope="module")
def unpacked(released, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(released[1]) as archive:
        archive.extractall(folder)
    (top,) = folder.iterdir()
    return top


def _verify(release: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compendium", "verify", str(release)], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, **OFFLINE})


def _one_line_failure(done: subprocess.CompletedProcess) -> str:
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def _rezip(folder: Path, target: Path, resum: bool) -> Path:
    """Zip an unpacked (and edited) release again; with ``resum``, with SHA256SUMS made to match."""
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    if resum:
        files.pop(SUMS)
        files[SUMS] = sums(files).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"{folder.name}/{name}", data)
    return target


def test_the_name_title_and_version_come_from_the_citation(released, unpacked):
    project, target = released
    cited = citation(project)
    assert target.name == f"between-washington-and-tehran-{cited['version']}.zip"
    zenodo = json.loads((unpacked / ".zenodo.json").read_text(encoding="utf-8"))
    assert (zenodo["title"], zenodo["version"]) == (cited["title"], cited["version"])
    assert zenodo["related_identifiers"] == [{"identifier": cited["references"][0]["doi"], "relation": "isSupplementTo",
                                              "scheme": "doi", "resource_type": "publication-article"}]
    assert zenodo["creators"] == [{"name": "The compendium contributors"}]
    graph = {e["@id"]: e for e in json.loads((unpacked / "ro-crate-metadata.json").read_text())["@graph"]}
    assert (graph["./"]["name"], graph["./"]["version"]) == (cited["title"], cited["version"])
    assert graph["./"]["isBasedOn"] == {"@id": f"https://doi.org/{cited['references'][0]['doi']}"}
    config = yaml.safe_load((project / "_config.yml").read_text(encoding="utf-8"))
    assert "title" not in config and "author" not in config  # CITATION.cff is the one place
    for page in book_pages(project):
        soup = BeautifulSoup((unpacked / "book" / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        assert soup.title.get_text().endswith(cited["title"]), page
        footer = soup.select_one("footer .extra_footer").get_text(" ", strip=True)
        assert footer == f"{cited['title']}, version {cited['version']}", page
    landing = BeautifulSoup((unpacked / "book/chapters/intro.html").read_text(encoding="utf-8"), "html.parser")
    assert landing.h1.get_text().rstrip("#") == cited["title"]
    assert (project / "README.md").read_text(encoding="utf-8").splitlines()[0] == f"# {cited['title']}"


def test_the_release_holds_the_deposit_and_sums_every_file(released, unpacked):
    project, _ = released
    files = {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*") if p.is_file()}
    listed = dict(reversed(line.split("  ", 1)) for line in (unpacked / SUMS).read_text().splitlines())
    assert set(listed) == files - {SUMS}
    assert all(hashlib.sha256((unpacked / p).read_bytes()).hexdigest() == h for p, h in listed.items())
    sources = {p.removeprefix("source/") for p in files if p.startswith("source/")}
    assert sources <= set(_tree(project))
    assert all((unpacked / "source" / p).read_bytes() == (project / p).read_bytes() for p in sources)
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode == 0:  # the copy was made from a checkout: every tracked file is released
        assert set(tracked.stdout.splitlines()) <= sources
    for part in ("book/index.html", "manuscript/manuscript.pdf", "manuscript/manuscript.docx",
                 "manuscript/manuscript.xml", "data-package.zip", "results/values.json", "CITATION.cff",
                 ".zenodo.json", "ro-crate-metadata.json", "README.md"):
        assert part in files, part
    with zipfile.ZipFile(unpacked / "data-package.zip") as package:
        assert "data/datapackage.json" in package.namelist()
    text_files = [p for p in files if p.endswith((".html", ".json", ".xml", ".txt", ".md", ".cff", ".csv", ".ipynb"))
                  and not p.startswith("source/")]
    for path in text_files:  # no path of the machine that made it
        text = (unpacked / path).read_text(encoding="utf-8", errors="replace")
        assert str(project) not in text and "/tmp/" not in text, path


def test_every_file_of_the_crate_has_format_size_sha256_and_its_licence(unpacked):
    graph = {e["@id"]: e for e in json.loads((unpacked / "ro-crate-metadata.json").read_text())["@graph"]}
    root = graph["./"]
    assert {part["@id"] for part in root["hasPart"]} == {
        p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*")
        if p.is_file() and p.name not in ("ro-crate-metadata.json", SUMS)}
    for part in root["hasPart"]:
        entity, data = graph[part["@id"]], (unpacked / part["@id"]).read_bytes()
        assert entity["contentSize"] == str(len(data)) and entity["sha256"] == hashlib.sha256(data).hexdigest()
        assert entity["encodingFormat"]
    licence = {path: graph[path].get("license", {}).get("@id") for path in graph if "sha256" in graph[path]}
    assert licence["source/src/compendium/book/cli.py"] == "https://spdx.org/licenses/MIT"
    assert licence["source/notebooks/04_results.ipynb"] == "https://spdx.org/licenses/MIT"
    assert licence["source/chapters/results.md"] == "https://spdx.org/licenses/CC-BY-4.0"
    assert licence["source/data/findings.csv"] == "https://spdx.org/licenses/CC-BY-4.0"
    assert "SoftwareSourceCode" in graph["source/notebooks/04_results.ipynb"]["@type"]
    assert graph["data-package.zip"]["conformsTo"] == {"@id": "https://specs.frictionlessdata.io/data-package/"}
    assert {lic["@id"] for lic in root["license"]} == {"https://spdx.org/licenses/MIT",
                                                       "https://spdx.org/licenses/CC-BY-4.0"}


def test_every_validator_passes_offline_and_no_crate_check_is_skipped(unpacked):
    code = ("import json, sys; from pathlib import Path; from compendium.book.commands.validators import "
            "crate_report, release_problems; folder = Path(sys.argv[1]); r = crate_report(folder); "
            "print(json.dumps([release_problems(folder)[0], r.executed, r.skipped, r.not_applicable]))")
    done = subprocess.run([sys.executable, "-c", code, str(unpacked)], capture_output=True, text=True,
                          env={**os.environ, **OFFLINE, "ROCRATE_VALIDATOR_AUTO_WARM": "0"})  # no network
    assert done.returncode == 0, done.stderr[-2000:]
    problems, executed, skipped, not_applicable = json.loads(done.stdout.strip().splitlines()[-1])
    assert problems == [] and skipped == 0 and not_applicable == 1
    # every check of the profile ran (RO-Crate 1.3 with what it inherits, at REQUIRED), but the one that
    # applies to detached crates only
    assert executed + not_applicable == len(required_checks(PROFILE))


def test_the_validators_fail_on_a_broken_deposit(unpacked, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(unpacked, broken)
    findings = broken / "source/data/findings.csv"
    findings.write_text(findings.read_text(encoding="utf-8").replace(",18 sources,18", ",18 sources,19"),
                        encoding="utf-8")
    cff = broken / "CITATION.cff"
    cff.write_text(cff.read_text(encoding="utf-8").replace("cff-version: 1.2.0", "cff-version: 1.2"),
                   encoding="utf-8")
    metadata = broken / "ro-crate-metadata.json"
    crate = json.loads(metadata.read_text())
    crate["@graph"] = [e for e in crate["@graph"] if e["@id"] != "./"]
    metadata.write_text(json.dumps(crate))
    problems, _ = release_problems(broken)
    assert any(p.startswith("data/findings: hash-count") for p in problems), problems
    assert any(p.startswith("CITATION.cff, field cff-version:") for p in problems), problems
    assert any(p.startswith("ro-crate-metadata.json:") for p in problems), problems
    assert crate_report(unpacked).problems == []


def test_the_jats_is_well_formed_with_its_front_matter_and_every_reference(released, unpacked):
    project, _ = released
    cited = citation(project)
    article = ElementTree.parse(unpacked / "manuscript/manuscript.xml").getroot()
    meta = article.find("front/article-meta")
    assert "".join(meta.find("title-group/article-title").itertext()).split() == cited["title"].split()
    assert meta.find("article-version").text == cited["version"]
    assert [c.find("string-name").text for c in meta.iter("contrib")] == ["The compendium contributors"]
    assert meta.find("related-article").get(XLINK) == cited["references"][0]["doi"]
    assert [lic.find("license-p").text.split(":")[0] for lic in meta.iter("license")] == cited["license"]
    entries = sum(len(parse_file(project / name).entries) for name in ("references.bib", "compendium.bib"))
    assert len(article.findall("back/ref-list/ref")) == entries
    figures = {g.get(XLINK) for g in article.iter("graphic")}
    assert figures and all((unpacked / "manuscript" / f).is_file() for f in figures)


def _book_counts(unpacked: Path) -> tuple[int, int]:
    """Tables and images in the readable part of every page, in the order of _toc.yml."""
    tables = images = 0
    for page in book_pages(unpacked / "source"):
        article = BeautifulSoup((unpacked / "book" / f"{page}.html").read_text(encoding="utf-8"),
                                "html.parser").find("article")
        for selector in FURNITURE:
            for node in article.select(selector):
                node.decompose()
        tables += len(article.find_all("table"))
        images += len(article.find_all("img"))
    return tables, images


def test_the_docx_holds_every_table_and_figure_of_the_book(unpacked):
    with zipfile.ZipFile(unpacked / "manuscript/manuscript.docx") as docx:
        body = ElementTree.fromstring(docx.read("word/document.xml"))
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
    tables, images = _book_counts(unpacked)
    assert tables > 0 and images > 0
    assert len(list(body.iter(f"{W}tbl"))) == tables
    assert len(list(body.iter(f"{W}drawing"))) == images
    assert len(media) == len({p.name for p in (unpacked / "book/_images").iterdir()
                              if p.suffix == ".png"} & {p.name for p in (unpacked / "manuscript/figures").iterdir()})


def test_a_release_verifies_itself(released, unpacked, tmp_path):
    done = _verify(released[1], tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    values = json.loads((unpacked / "results/values.json").read_text(encoding="utf-8"))
    results = [p.relative_to(unpacked).as_posix() for p in (unpacked / "results").rglob("*") if p.is_file()]
    expected = (sum(len(v) for v in values.values()), sum(p.endswith(".csv") for p in results),
                sum(p.endswith(".png") for p in results))
    assert VERIFIED.match(done.stdout.strip().splitlines()[-1]).groups() == tuple(map(str, expected))


@pytest.mark.parametrize("tamper", ["number in a table", "figure", "removed file"])
def test_a_tampered_release_fails_in_one_line(released, unpacked, tmp_path, tamper):
    folder = tmp_path / unpacked.name
    shutil.copytree(unpacked, folder)
    table = next(iter(sorted((folder / "results/tables/04_results").glob("table1.csv"))))
    figure = folder / "results/figures/04_results/fig2.png"
    if tamper == "number in a table":
        table.write_text(table.read_text(encoding="utf-8").replace(",18,", ",19,", 1), encoding="utf-8")
        named = "results/tables/04_results/table1.csv"
    elif tamper == "figure":
        from PIL import Image
        with Image.open(figure) as image:
            image = image.convert("RGBA")
            image.putpixel((image.width // 2, image.height // 2), (255, 0, 0, 255))
            image.save(figure)
        named = "results/figures/04_results/fig2.png"
    else:
        table.unlink()
        named = "results/tables/04_results/table1.csv"
    line = _one_line_failure(_verify(_rezip(folder, tmp_path / "stale-sums.zip", resum=False), tmp_path))
    assert line.startswith(named + ": "), line
    # the same change with SHA256SUMS made to match: the recomputed results catch it
    archived = {p.relative_to(folder).as_posix(): p.read_bytes() for p in (folder / "results").rglob("*")
                if p.is_file()}
    pristine = {p.relative_to(unpacked).as_posix(): p.read_bytes() for p in (unpacked / "results").rglob("*")
                if p.is_file()}
    _, problem = first_difference(archived, pristine)
    assert problem.startswith(named), problem
    if tamper == "number in a table":
        assert "'19' in the release, '18' recomputed" in problem
        line = _one_line_failure(_verify(_rezip(folder, tmp_path / "resummed.zip", resum=True), tmp_path))
        assert line == problem


def test_a_truncated_or_foreign_zip_or_no_zip_fails_in_one_line(released, tmp_path):
    data = released[1].read_bytes()
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 2])
    assert "not a readable zip" in _one_line_failure(_verify(truncated, tmp_path))
    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("notes/readme.txt", "hello")
    assert "not a release of a compendium" in _one_line_failure(_verify(foreign, tmp_path))
    escaping = tmp_path / "escaping.zip"
    with zipfile.ZipFile(escaping, "w") as archive:
        archive.writestr("../outside.txt", "x")
    assert "leaves the release's folder" in _one_line_failure(_verify(escaping, tmp_path))
    assert _one_line_failure(_verify(tmp_path / "absent.zip", tmp_path)).endswith("absent.zip: no such file")
    assert not (tmp_path.parent / "outside.txt").exists()


def test_two_releases_after_make_clean_are_byte_identical(released, tmp_path):
    project, first = released
    kept = tmp_path / first.name
    shutil.copyfile(first, kept)
    cleaned = subprocess.run(["make", "clean"], cwd=project, capture_output=True, text=True)
    assert cleaned.returncode == 0 and not (project / "_build").exists(), cleaned.stderr
    second = _release(project)
    if second.read_bytes() != kept.read_bytes():
        with zipfile.ZipFile(kept) as a, zipfile.ZipFile(second) as b:
            differ = [n for n in a.namelist() if n not in b.namelist() or a.read(n) != b.read(n)]
        pytest.fail(f"{len(differ)} files differ, the first: {differ[:3]}")
    with zipfile.ZipFile(second) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {tuple(time.gmtime(int(EPOCH))[:6])}
    assert {i.external_attr >> 16 for i in infos} <= {0o100644, 0o100755}
    assert run(["-m", "compendium", "validate"], cwd=project).returncode == 0
