"""Checks of the sample and the method: what was sampled, how, and what the method says was done."""
from __future__ import annotations

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
from compendium.analysis.phrasing import join_labels
from compendium.analysis.synthesis import (
    composition,
    framework_nodes,
    sample_size,
    stated_window,
    years_against_window,
)
from compendium.analysis.wording import (
    APPROXIMATE,
)


@check
def sample_identifiable(sample: pd.DataFrame, references: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """The documents behind the counts should be identifiable; the only list the article
    prints is its reference list, which cannot hold the stated sample."""
    table = composition(sample, references)
    short = table[table["reference_list"] < table["stated_sample"]]
    split = "; ".join(f"{r.label}: {r.stated_sample} stated, {r.reference_list} listed" for r in table.itertuples())
    evidence = cite(select(statements, key=["sample_size", "sample_split"]))
    return finding("sample", "Sampled documents identifiable",
                    "a list of the sampled documents, or a reference list that could be it",
                    f"no list of sampled documents; the reference list has {int(table['reference_list'].sum())} "
                    f"entries against a stated sample of {sample_size(sample)} ({split}) "
                    f"({evidence}; data/sample.csv, references.bib)",
                    not short.empty, UNVERIFIABLE, True)


@check
def sampling_window(references: pd.DataFrame, search_strategy: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """Whether the sample keeps to the stated window can be checked only on the listed works."""
    start, end = stated_window(search_strategy)
    outside = years_against_window(references, (start, end)).query("not inside_window")
    evidence = cite(select(statements, key="window"))
    return finding("sample", "Publication years inside the stated window",
                    f"sampled documents published {start}–{end} ({evidence})",
                    f"the sample is not listed; {len(outside)} listed works fall outside the window"
                    + (f": {join_labels(list(outside['work']))}" if len(outside) else "")
                    + " (references.bib), which a reference list may do",
                    not outside.empty, UNVERIFIABLE, False)


@check
def sample_stated_alike(statements: pd.DataFrame) -> Check:
    """The sample should be stated the same way wherever it is stated."""
    split = select(statements, key="sample_split")
    hedged = split[split["quote"].str.contains(APPROXIMATE)]
    plain = split[~split["quote"].str.contains(APPROXIMATE)]
    flawed = not hedged.empty and not plain.empty
    return finding("sample", "Sample stated exactly or approximately",
                    "one statement of the split by source type",
                    f"stated without qualification ({cite(plain)}) and as approximate ({cite(hedged)}), "
                    f"although the total is given exactly ({cite(select(statements, key='sample_size'))})"
                    if flawed else f"{len(split)} statements of the split, all alike ({cite(split)})",
                    flawed, PRESENTATION, False)


CONTRADICTORY_DESIGNS = [("purposive_sampling", "systematic_review")]


@check
def design_labels(statements: pd.DataFrame) -> Check:
    """The design should be described one way. Purposive selection and a systematic review
    sit uneasily together: a systematic review selects by a stated protocol, and the article
    gives none, so which procedure was followed cannot be checked."""
    clashes = []
    for one, other in CONTRADICTORY_DESIGNS:
        first, second = select(statements, key=one), select(statements, key=other)
        if len(first) and len(second):
            clashes.append(f"{words(one)} ({cite(first)}) against {words(other)} ({cite(second)})")
    return finding("design", "Design labels agree",
                    "one description of how documents were selected, with its protocol if it was systematic",
                    f"labels in tension: {len(clashes)}" + (f" ({'; '.join(clashes)}); no protocol is given"
                                                            if clashes else ""),
                    bool(clashes), UNVERIFIABLE, True)


@check
def analyses_reported(statements: pd.DataFrame) -> Check:
    """Each analysis the method says was used should be named or described in the results (the
    compendium's test: a statement of kind 'analysis' in section 4 with the same key)."""
    named = select(statements, kind="analysis", section=["3.6"])
    shown = set(statements.loc[(statements["kind"] == "analysis") & statements["section"].str.match(r"^4(\.|$)"),
                               "key"])
    unseen = named[~named["key"].isin(shown)]
    return finding("design", "Analyses of the method named in the results",
                    "every analysis section 3.6 says was used is named or described in the results",
                    f"analyses named in section 3.6 that the results do not name or describe: {len(unseen)} of "
                    f"{len(named)}"
                    + (f" ({join_labels([f'{words(r.key)} ({r.id})' for r in unseen.itertuples()])}); the results "
                       "print frequency tables with ratings; whether their themes amount to a synthesis is the "
                       "compendium's judgement, data/statements.csv kind" if len(unseen) else ""),
                    not unseen.empty, UNVERIFIABLE, False)


@check
def themes_reported(codebook: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """The key themes named in the method should be the ones the results report; a theme whose
    name nearly repeats a results theme counts as reported under that name."""
    themes = codebook[codebook["level"] == "theme"]
    method = themes[themes["table"].isna()]
    results = themes.set_index("code")["label"]
    near = method[method["near"].notna()]
    unmatched = method[method["near"].isna()]
    evidence = cite(select(statements, key=["method_themes", "results_themes"], section=["3.6", "4"]))
    pairs = join_labels([f"{r.label} as {results[r.near]}" for r in near.itertuples()])
    return finding("design", "Themes of the method reported in the results",
                    "the key themes of the analysis are the themes of the results, under the same or a close name",
                    f"key themes of section 3.6 with no results theme of a close name: {len(unmatched)} of "
                    f"{len(method)}"
                    + (f" ({join_labels(list(unmatched['label']))}; {evidence}; data/codebook.csv)" if len(unmatched)
                       else "")
                    + (f"; reported under a close name: {pairs} (the compendium's reading, data/codebook.csv near)"
                       if pairs else "")
                    + ("; the article does not say how the key themes became the results' themes"
                       if len(unmatched) else ""),
                    not unmatched.empty, UNVERIFIABLE, False)


@check
def framework_developed(framework: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """Every theory the theoretical framework names should be developed in it."""
    theories = framework_nodes(framework).query("kind == 'theory'")["node"]
    stated = framework[(framework["basis"] == "stated") & (framework["section"] == "2.4")]
    idle = [t for t in theories if t not in set(stated["source"])]
    return finding("design", "Theories of the framework developed",
                    f"each theory section 2.4 names ({cite(select(statements, kind='design', key='framework'))}) "
                    "linked there to what it explains",
                    f"theories named without a link stated in section 2.4: {len(idle)} of {len(theories)}"
                    + (f" ({join_labels(idle)}; its links in data/framework.csv are the compendium's reading of "
                       f"section 5, {cite(select(statements, key='great_power_limits', section='5'))})"
                       if idle else ""),
                    bool(idle), UNVERIFIABLE, False)


@check
def quality_assurances(statements: pd.DataFrame) -> Check:
    """Claims that the method secured validity or uniformity should come with the evidence for it."""
    assurances = select(statements, kind="assurance")
    return finding("design", "Assurances of quality with evidence", "each claim of validity or uniformity shown",
                    f"assurances with nothing to show them: {len(assurances)} ({cite(assurances)})"
                    if len(assurances) else "no assurance of quality", not assurances.empty, UNVERIFIABLE, False)


@check
def data_available(statements: pd.DataFrame) -> Check:
    """The coding behind the counts should be published, not kept on request."""
    on_request = select(statements, kind="data_availability", key="data_on_request")
    return finding("design", "Coding behind the counts available",
                    "the document-level coding published with the article",
                    f"available only from the corresponding author on request ({cite(on_request)}); no count of "
                    "Tables 1–3 can be traced to documents" if len(on_request) else "no statement keeps data back",
                    not on_request.empty, UNVERIFIABLE, True)


@check
def back_matter_fits_design(statements: pd.DataFrame) -> Check:
    """A study of documents only has no participants to thank or to ask for consent; the conditional
    ethics statement ('studies involving human participants') asserts neither and is not counted."""
    documents_only = select(statements, key="secondary_data")
    human = select(statements, kind="ethics", key=["participants", "consent"])
    flawed = not documents_only.empty and not human.empty
    return finding("design", "Back matter fits a documents-only study",
                    f"no participants in a study of secondary documents only ({cite(documents_only)})",
                    f"statements about the study's participants: {len(human)}, thanks to them and their informed "
                    f"consent ({cite(human)}); on the compendium's reading that these participants are people who "
                    "supplied data, they presuppose that people took part, which a study built on secondary sources "
                    "only excludes; read otherwise (consent from none, thanks to colleagues) both can be true, and "
                    "the article does not say which holds"
                    if flawed else "no statement about the study's participants",
                    flawed, UNVERIFIABLE, False)
