"""The whole book as one manuscript in the formats journals take: DOCX and JATS XML.

Both are converted with pandoc (``pypandoc-binary``: a pandoc of its own, no network) from the
rendered pages, in the order of ``_toc.yml``, so glued numbers are already resolved, figures are
the rendered PNGs (embedded in the DOCX; beside the XML, under ``figures/``, for JATS), tables
are tables, formulas are formulas (the TeX read as math) and the references are one reference
list (pandoc's citeproc, from the book's BibTeX files; for JATS a ``<ref-list>``).

What each format leaves out of the web book, and why (``LEFT_OUT``, also written into the
release's README): the navigation, search, theme and copy buttons and the pages' download menus
(web furniture, nothing to read); the download links under figures and tables (they point at
files of the web book, which the release carries beside the manuscript; the provenance text
stays); links between pages (kept as text: a single document has no pages to link to); and the
bibliography page's own list, replaced by the one generated reference list.
"""
from __future__ import annotations

import shutil
import tempfile
from html import escape
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from compendium.book.citation import covers, licences, names, released, republished_doi
from compendium.book.messages import BuildError
from compendium.book.toc import book_pages

LEFT_OUT = (
    "navigation, search, theme and copy buttons and each page's download menu: web furniture",
    "the download links under figures and tables: they point at files of the web book, which the release "
    "carries (book/); the provenance text beside them stays",
    "links between pages: kept as their text, since one document has no pages to link to",
    "the bibliography page's list: replaced by one reference list generated from the book's BibTeX files",
)
LICENCE_LINKS = {"MIT": "https://spdx.org/licenses/MIT.html", "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/"}
READER = "html+tex_math_single_backslash"  # the TeX between MathJax's delimiters read as math
FURNITURE = ("a.headerlink", "span.downloads", "button", "div.bibliography", "dl.citation", ".toctree-wrapper",
             "script", "style", "nav", ".prev-next-area")


def _article(page: Path, figures: Path) -> str:
    """The readable part of one rendered page: its article, furniture removed, images copied to
    ``figures`` and pointed at there, links to other pages kept as text."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article") or soup.body
    for selector in FURNITURE:
        for node in article.select(selector):
            node.decompose()
    for img in article.find_all("img"):
        source = (page.parent / img["src"]).resolve()
        name = f"{source.parent.name}-{source.name}" if source.parent.name != "_images" else source.name
        shutil.copyfile(source, figures / name)
        img["src"] = f"figures/{name}"
    for link in article.find_all("a"):
        href = link.get("href", "")
        if not href.startswith(("http://", "https://", "mailto:")):
            link.unwrap()
    return str(article)


def _metadata(cited: dict) -> dict:
    """Pandoc metadata: title, contributors, date, licences; citeproc lists every reference."""
    day = released(cited)
    people = []
    for person in cited.get("authors") or []:
        if "family-names" in person:
            people.append({"surname": person["family-names"], "given-names": person.get("given-names", "")})
        else:
            people.append({"name": person.get("name", "")})
    meta = {"title": str(cited["title"]), "author": people, "nocite": "@*", "link-citations": False,
            "license": [{"type": "open-access", "link": LICENCE_LINKS.get(spdx, spdx),
                         "text": f"{spdx}: {covers(spdx)}"} for spdx in licences(cited)]}
    if day:
        meta["date"] = {"iso-8601": day.isoformat(), "year": day.year, "month": day.month, "day": day.day}
    return meta


def _front_matter(xml: str, cited: dict) -> str:
    """Add to the JATS front matter what pandoc's template has no field for: the version, and the
    article the book republishes as the related article."""
    version = f"<article-version>{escape(str(cited['version']))}</article-version>\n"
    xml = xml.replace("<title-group>", version + "<title-group>", 1)
    doi = republished_doi(cited)
    if doi:
        related = (f'<related-article related-article-type="companion" ext-link-type="doi" '
                   f'xlink:href="{escape(doi)}">{escape(", ".join(names(cited["references"][0].get("authors"))))}'
                   "</related-article>\n")
        xml = xml.replace("</article-meta>", related + "</article-meta>", 1)
    return xml


def write_manuscripts(root: Path, html: Path, cited: dict, target: Path) -> dict[str, Path]:
    """Write ``<target>/manuscript.docx``, ``manuscript.xml`` and ``figures/``; return them by format."""
    import pypandoc

    target.mkdir(parents=True, exist_ok=True)
    figures = target / "figures"
    figures.mkdir(exist_ok=True)
    body = "\n".join(_article(html / f"{page}.html", figures) for page in book_pages(root))
    bibliographies = [str(root / name) for name in ("references.bib", "compendium.bib") if (root / name).is_file()]
    with tempfile.TemporaryDirectory() as scratch:
        meta = Path(scratch) / "meta.yaml"
        meta.write_text(yaml.safe_dump(_metadata(cited), allow_unicode=True), encoding="utf-8")
        source = target / "manuscript.html"
        source.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
        common = ["--citeproc", f"--metadata-file={meta}", *(f"--bibliography={b}" for b in bibliographies),
                  "--resource-path=."]
        made = {}
        try:
            for suffix, form, extra in (("docx", "docx", []), ("xml", "jats_archiving", ["--standalone"])):
                out = target / f"manuscript.{suffix}"
                pypandoc.convert_file(source.name, form, format=READER, outputfile=str(out),
                                      extra_args=common + extra, cworkdir=str(target))
                made[suffix] = out
        except (RuntimeError, OSError) as exc:
            first = (str(exc).strip().splitlines() or [""])[-1]
            raise BuildError(f"manuscript: pandoc failed ({first})") from None
        finally:
            source.unlink(missing_ok=True)
    made["xml"].write_text(_front_matter(made["xml"].read_text(encoding="utf-8"), cited), encoding="utf-8")
    return made
