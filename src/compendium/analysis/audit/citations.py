"""Checks of the citations against the reference list, and of what the cited works are credited with."""
from __future__ import annotations

import re

import pandas as pd

from compendium.analysis.audit.core import (
    PRESENTATION,
    UNVERIFIABLE,
    Check,
    check,
    cite,
    finding,
    select,
    words,
)
from compendium.analysis.bibliography import UNRESOLVED
from compendium.analysis.credits import SUBJECTS, differing_conditions, forename_conflicts, namesakes, titles_off_claim
from compendium.analysis.phrasing import join_labels
from compendium.analysis.synthesis import (
    SAME_WORK,
    listed_works,
    never_cited,
    unresolved_names,
    work_label,
)
from compendium.analysis.wording import (
    AUTHOR_YEAR,
    YEAR,
)


@check
def unresolved_citations(citations: pd.DataFrame, references: pd.DataFrame) -> Check:
    """Every in-text citation should match an entry of the reference list; a citation whose forename
    does not fit the entry's initial matches none, whatever data/citations.csv resolves it to."""
    missing = citations[citations["key"] == UNRESOLVED]
    conflicts = forename_conflicts(citations, references)
    names = unresolved_names(citations) + [f"{c.author_string} ({c.year})" for c in conflicts.itertuples()]
    rows = ", ".join(str(o) for o in [*missing["occurrence"], *conflicts["occurrence"]])
    near = [f"the list's only {cite.author_string.split()[-1]} is {join_labels(found)}"
            for cite in missing.drop_duplicates("author_string").itertuples()
            if (found := namesakes(cite.author_string, references))]
    near += [f"{c.author_string} has a forename that does not fit the initial of {c.key}"
             for c in conflicts.itertuples()]
    total = len(missing) + len(conflicts)
    return finding("citations", "In-text citations without a reference entry",
                    "every in-text citation matches an entry of the reference list, forename included",
                    f"in-text citations matching no entry: {total} of {len(citations)}"
                    + (f": {join_labels(names)} (data/citations.csv occurrence {rows})" if total else "")
                    + (f"; {'; '.join(near)}, so the citation cannot be resolved" if near else ""),
                    total > 0, UNVERIFIABLE, False)


@check
def uncited_references(citations: pd.DataFrame, references: pd.DataFrame) -> Check:
    """Every entry of the reference list should be cited somewhere in the text."""
    listed, never = listed_works(references), never_cited(citations, references)
    names = join_labels(list(work_label(listed)[list(never["key"])]))
    return finding("citations", "Reference entries never cited",
                    "every entry of the reference list is matched by an in-text citation",
                    f"entries no in-text citation matches: {len(never)} of {len(listed)}"
                    + (f": {names} (references.bib {', '.join(never['key'])})" if len(never) else ""),
                    not never.empty, PRESENTATION, False)


@check
def name_spellings(citations: pd.DataFrame, references: pd.DataFrame) -> Check:
    """The surname written in the text should be spelled as in the entry it resolves to."""
    entries = listed_works(references).set_index("key")
    differing = [f"'{cite.author_string}' for {entries.at[cite.key, 'first_author']}"
                 for cite in citations[citations["key"].isin(entries.index)].drop_duplicates(
                     ["author_string", "key"]).itertuples()
                 if entries.at[cite.key, "first_author"] not in cite.author_string.split(",")[0].split()]
    return finding("citations", "Author names spelled as in the reference list",
                    "surnames in the text spelled as in the reference entries they cite",
                    f"surnames spelled otherwise: {len(differing)}"
                    + (f" ({join_labels(differing)}; data/citations.csv)" if differing else ""),
                    bool(differing), PRESENTATION, False)


@check
def duplicate_references(references: pd.DataFrame) -> Check:
    """No work should be listed twice (same first author and title)."""
    listed = listed_works(references)
    twice = listed[listed.duplicated(SAME_WORK, keep=False)]
    names = join_labels(list(work_label(listed)[list(twice["key"])]))
    return finding("citations", "The same work listed twice", "each work appears once in the reference list",
                    f"entries sharing author and title: {len(twice)}"
                    + (f": {names} (references.bib {', '.join(twice['key'])})" if len(twice) else ""),
                    not twice.empty, PRESENTATION, False)


@check
def gap_against_own_sources(statements: pd.DataFrame, references: pd.DataFrame) -> Check:
    """A claimed research gap should not be contradicted by the article's own reference list."""
    gap = select(statements, key="research_gap")
    listed = listed_works(references)
    on_topic = listed[listed["title"].str.contains("Pakistan") & listed["title"].str.contains("mediat")]
    flawed = not gap.empty and not on_topic.empty
    names = join_labels(list(work_label(listed)[list(on_topic["key"])]))
    return finding("citations", "Claimed research gap against the reference list",
                    f"no listed work on the topic the article says lacks systematic study ({cite(gap)})",
                    f"listed works whose titles name Pakistan's mediation: {len(on_topic)} ({names}; references.bib); "
                    "the article does not say why they do not count as systematic study" if flawed
                    else "no listed work on the topic", flawed, UNVERIFIABLE, False)


@check
def dated_support(statements: pd.DataFrame, article: dict) -> Check:
    """Claims about Pakistan's recent mediation should rest on sources from the period."""
    claims = select(statements, kind="claim", key="recent_pakistan")
    support = select(statements, kind="support", key="recent_pakistan")
    years = sorted(int(y) for quote in support["quote"] for y in YEAR.findall(quote))
    published = int(article["year"])
    old = bool(years) and max(years) < published - 5
    return finding("citations", "Recent claims resting on recent sources",
                    "claims the article presents as recent findings about Pakistan cite work from the five years "
                    "before the article (the compendium's yardstick for recent)",
                    f"claims presented as recent ({cite(claims)}) cite works from {years[0]}–{years[-1]} "
                    f"({cite(support)}), years before the article ({published}); whether those works speak of "
                    "Pakistan's part at all cannot be told from the article" if old
                    else f"cited works from {', '.join(map(str, years)) or 'no year'} ({cite(support)})",
                    old, UNVERIFIABLE, False)


@check
def credited_conditions(citations: pd.DataFrame, references: pd.DataFrame) -> Check:
    """A work cited for what makes mediation effective should be credited with the same conditions
    wherever the article cites it."""
    varied = differing_conditions(citations)
    labels = work_label(listed_works(references))
    accounts = [f"{labels[key]}: " + "; ".join(f"{join_labels([words(c) for c in row.conditions])} in section "
                                                 f"{row.section} ({row.statements})" for row in part.itertuples())
                for key, part in varied.groupby("key", sort=False)]
    return finding("citations", "One work, one account of what makes mediation work",
                    "a work cited for the conditions of effective mediation credited with the same conditions in "
                    "every section that cites it",
                    f"works credited with different conditions in different sections: {len(accounts)}"
                    + (f" ({' — '.join(accounts)}); one work may name many conditions, so each pair can be true, "
                       "but the article does not say which the work holds (the short names of the conditions are "
                       "the compendium's, data/citations.csv conditions)" if accounts else ""),
                    bool(accounts), UNVERIFIABLE, False)


def subjects(keys) -> str:
    """Subjects of ``credits.SUBJECTS`` as an English list."""
    return join_labels([SUBJECTS[key] for key in keys])


@check
def titles_against_claims(citations: pd.DataFrame, references: pd.DataFrame) -> Check:
    """A cited work's title should not show it to be about something other than the claim it is cited for."""
    off = titles_off_claim(citations, references)
    cited = int(citations["key"].isin(set(listed_works(references)["key"])).sum())
    found = [f"{row.work}, '{row.title}' (on {subjects(row.title_subjects)}), cited for a claim on "
             f"{subjects(row.claim_subjects)} ({row.statement}; data/citations.csv occurrence {row.occurrence})"
             + (f" and elsewhere for {'; '.join(f'{subjects(a.split())} ({s})' for s, a in row.elsewhere)}"
                if row.elsewhere else "")
             for row in off.itertuples()]
    return finding("citations", "Cited works whose titles fit the claim",
                    "no cited work whose title names other subjects than the claim it is cited for",
                    f"citations of a work whose title names another subject: {len(off)} of {cited}"
                    + (f" ({'; '.join(found)}); the work may still say it, which the article gives no means to "
                       "check (the subjects of each claim are the compendium's reading, data/citations.csv about)"
                       if found else ""),
                    bool(found), UNVERIFIABLE, False)


@check
def citation_style(citations: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """One citation style throughout: '&' inside parentheses and 'and' in the running text,
    one form per work, and a comma between author and year in parenthetical citations."""
    problems = []
    wrong_joiner = citations[((citations["form"] == "parenthetical") & citations["author_string"].str.contains(" and "))
                             | ((citations["form"] == "narrative") & citations["author_string"].str.contains("&"))]
    if len(wrong_joiner):
        problems.append(f"{len(wrong_joiner)} citations join authors with the other form's word "
                        f"(data/citations.csv occurrence {', '.join(map(str, wrong_joiner['occurrence']))})")
    cited = citations[citations["key"] != UNRESOLVED]
    for key, part in cited.groupby("key"):
        for form, same in part.groupby("form"):
            forms = list(dict.fromkeys(same["author_string"]))
            if len(forms) > 1:
                problems.append(f"{key} cited as {' and as '.join(repr(f) for f in forms)} ({form}; "
                                f"occurrence {', '.join(map(str, same['occurrence']))})")
    quoted = select(statements, kind="citation")
    for row in quoted.itertuples():
        groups = [g for g in re.findall(r"\(([^()]*)\)", row.quote) if re.search(r"[A-Za-z]", g)]
        bare = [part.strip() for group in groups for part in group.split(";") if not AUTHOR_YEAR.match(part.strip())]
        if bare:
            problems.append(f"no comma before the year in {join_labels(bare)} ({row.id})")
    return finding("citations", "One citation style throughout",
                    "one form per cited work; '&' in parentheses and 'and' in the text; 'Author, year' in parentheses",
                    f"deviations: {len(problems)}" + (f" ({'; '.join(problems)})" if problems else ""),
                    bool(problems), PRESENTATION, False)


@check
def reference_formatting(references: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """Reference entries formatted alike: a DOI for every journal article, DOIs printed one way."""
    listed = listed_works(references)
    no_doi = listed[(listed["entry_type"] == "article") & listed["doi"].isna()]
    problems = []
    if len(no_doi):
        names = join_labels(list(work_label(listed)[list(no_doi["key"])]))
        problems.append(f"journal articles without a DOI: {len(no_doi)} of "
                        f"{int((listed['entry_type'] == 'article').sum())}, {names} (references.bib)")
    forms = select(statements, kind="reference", key="doi_format")
    if len(forms):
        problems.append(f"DOIs printed bare while the others stand in angle brackets: {len(forms)} ({cite(forms)})")
    return finding("citations", "Reference list formatted alike",
                    "every journal article with its DOI, and every DOI printed the same way",
                    f"deviations: {len(problems)}" + (f" ({'; '.join(problems)})" if problems else ""),
                    bool(problems), PRESENTATION, False)
