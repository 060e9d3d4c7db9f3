"""Checks of what the article concludes against its results and against itself."""
from __future__ import annotations

import pandas as pd

from compendium.analysis.audit.core import (
    CONSISTENT,
    ERROR,
    UNVERIFIABLE,
    Check,
    check,
    cite,
    constraints_outside,
    finding,
    select,
    words,
)
from compendium.analysis.phrasing import join_labels
from compendium.analysis.wording import (
    NEGATED,
    QUALIFIED,
    strength,
)


@check
def concluded_constraints(statements: pd.DataFrame, findings: pd.DataFrame) -> Check:
    """The constraints the abstract and the conclusion say the analysis found should be the ones
    the results report, and the constraints rated highest should reach the conclusion."""
    table2 = findings[findings["table"] == 2]
    named = select(statements, kind="constraint", section=["Abstract", "6"])
    outside = constraints_outside(statements, findings, ["Abstract", "6"])
    left = table2[~table2["key"].isin(set(named["key"]))]
    names = [f"{words(key)} ({cite(part)})" for key, part in outside.groupby("key", sort=False)]
    argued = select(statements, section="5", key=list(outside["key"]))
    rows = [f"{r.label} ({int(r.n_sources)} sources, rated {r.rating_printed})" for r in left.itertuples()]
    flawed = bool(names)
    return finding("conclusions", "Constraints of the abstract and conclusion among the results",
                    "the constraints the abstract and conclusion report are rows of Table 2",
                    f"constraints concluded that no row of Table 2 reports: {len(names)}"
                    + (f" ({'; '.join(names)})" if names else "")
                    + (f"; Table 2 rows neither names: {join_labels(rows)}" if rows else "")
                    + ("; the conclusion presents them as what the analysis found, but neither Table 2 nor the text "
                       "of section 4.2 reports them" if flawed else "")
                    + (f"; the discussion argues {len(argued)} of them ({cite(argued)})" if flawed and len(argued)
                       else "")
                    + (" (which constraint a row or a sentence reports is the compendium's reading, "
                       "data/statements.csv key)" if flawed else ""),
                    flawed, UNVERIFIABLE, True)


@check
def abstract_conclusions_in_body(statements: pd.DataFrame) -> Check:
    """What the abstract concludes should be stated in the results or the conclusion. Conclusions
    are counted by subject (``key``); a statement elsewhere is on the same subject when it has the
    key or, outside the abstract, the key's words in its quotation."""
    concluded = select(statements, kind="conclusion", section="Abstract")
    outside = statements[statements["section"] != "Abstract"]
    on = {key: outside[(outside["key"] == key) | outside["quote"].str.contains(key.replace("_", "[ -]"), case=False)]
          for key in concluded["key"].unique()}
    missing = concluded[[not on[key]["section"].str.match(r"^[46](\.|$)").any() for key in concluded["key"]]]
    found = []
    for key, part in missing.groupby("key", sort=False):
        elsewhere = on[key]
        sections = join_labels(list(dict.fromkeys(elsewhere["section"])))
        found.append(f"{words(key)} ({cite(part)})" + (f", stated in section {sections} ({cite(elsewhere)})"
                                                         if len(elsewhere) else ", stated nowhere else"))
    return finding("conclusions", "Conclusions of the abstract reached in the body",
                    "every conclusion of the abstract stated in the results (section 4) or the conclusion (section 6)",
                    f"conclusions of the abstract that neither states: {missing['key'].nunique()} of "
                    f"{concluded['key'].nunique()}"
                    + (f" ({'; '.join(found)}; which statements share a subject is the compendium's reading, "
                       "data/statements.csv key and quotation)" if found else ""),
                    not missing.empty, UNVERIFIABLE, True)


@check
def stated_strength(statements: pd.DataFrame) -> Check:
    """What the article concludes about Pakistan's part should be stated at one strength."""
    rated = select(statements, kind="strength")
    rated = rated.assign(strength=rated["quote"].map(strength))
    mixed = []
    for key, part in rated.groupby("key", sort=False):
        strong, limited = part[part["strength"] == "strong"], part[part["strength"] == "limited"]
        if len(strong) and len(limited):
            lines = sorted(set(strong["line"]) & set(limited["line"]))
            mixed.append(f"{words(key)}: strong words ({cite(strong)}) and limiting words ({cite(limited)})"
                         + (f", both within the paragraph at line {join_labels([str(n) for n in lines])}"
                            if lines else ""))
    return finding("conclusions", "Pakistan's part stated at one strength",
                    "the article's verdict on Pakistan's part worded at one strength throughout",
                    f"subjects stated both strongly and as limited: {len(mixed)}"
                    + (f" ({'; '.join(mixed)}); both can be true if the strong words speak of the short term or of "
                       "one function and the limiting ones of the whole, which the article does not say where it uses "
                       "them — a tension, not a contradiction (which words are strong or limiting is the compendium's "
                       "reading, compendium.analysis.wording)" if mixed else ""),
                    bool(mixed), UNVERIFIABLE, True)


@check
def neutrality_stated_alike(statements: pd.DataFrame) -> Check:
    """Pakistan should not be called neutral in one place and not neutral in another. A denial that
    is hedged ('in some situations', 'not necessarily') can be true beside the affirmation: a tension."""
    said = select(statements, key="neutrality")
    denied = said[said["quote"].str.contains(NEGATED)]
    affirmed = said[~said["quote"].str.contains(NEGATED)]
    flat = denied[~denied["quote"].str.contains(QUALIFIED)]
    verdict = (ERROR if len(flat) else UNVERIFIABLE) if len(denied) and len(affirmed) else CONSISTENT
    hedges = "; ".join(f"{r.id}: '{QUALIFIED.search(r.quote).group(0)}'" for r in denied.itertuples()
                       if QUALIFIED.search(r.quote))
    observed = (f"called neutral ({cite(affirmed)}) and not neutral without qualification ({cite(flat)}): both "
                "cannot be true of the same situations" if verdict == ERROR else
                f"called a neutral communicator ({cite(affirmed)}) and, with a hedge, less than neutral ({hedges}); "
                "both can be true if Pakistan was neutral in some situations and not in others, which the article "
                "does not sort out — a tension, not a contradiction" if verdict == UNVERIFIABLE else
                f"statements on neutrality: {len(said)}, all alike")
    return Check("conclusions", "Neutrality described one way",
                 "one account of whether Pakistan acted as a neutral mediator", observed, verdict, False)
