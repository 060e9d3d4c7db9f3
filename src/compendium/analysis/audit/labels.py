"""Checks of labels and text: rating spellings, column contents, titles, repetitions, quotation marks."""
from __future__ import annotations

import pandas as pd

from compendium.analysis.audit.core import (
    PRESENTATION,
    Check,
    check,
    cite,
    finding,
    select,
)
from compendium.analysis.phrasing import join_labels


@check
def rating_labels_consistent(findings: pd.DataFrame) -> Check:
    """The same rating level should be printed the same way in every table."""
    printed = pd.concat([
        findings[["rating_level", "rating_printed"]].dropna().set_axis(["level", "printed"], axis=1),
        findings.assign(printed=findings["count_printed"].str.extract(r"^([A-Za-z–-]+) \(", expand=False))
        [["agreement_level", "printed"]].dropna().set_axis(["level", "printed"], axis=1)])
    forms = printed.groupby("level", observed=True)["printed"].unique()
    varied = {level: list(values) for level, values in forms.items() if len(values) > 1}
    detail = "; ".join(f"{level}: {' vs '.join(v)}" for level, v in varied.items())
    return finding("labels", "One spelling per rating level across tables", "the same scale printed alike",
                    f"levels printed in more than one way: {len(varied)}"
                    + (f" ({detail}; data/findings.csv)" if detail else ""), bool(varied), PRESENTATION, False)


@check
def agreement_column_complete(findings: pd.DataFrame, tables: pd.DataFrame) -> Check:
    """A column headed as a level should give a level in every row."""
    table3 = tables.loc[tables["count_column"].str.contains("Level"), "table"]
    rows = findings[findings["table"].isin(table3)]
    missing = rows[rows["agreement_level"].isna()]
    header = join_labels(list(tables.loc[tables["table"].isin(table3), "count_column"]))
    return finding("labels", f"A level in every row of the column {header}", "a level for each indicator",
                    f"rows printing a count without a level: {len(missing)} of {len(rows)}"
                    + (f" (data/findings.csv table {join_labels([str(t) for t in table3])} rows "
                       f"{', '.join(map(str, missing['row']))})" if len(missing) else ""),
                    not missing.empty, PRESENTATION, False)


@check
def titles_consistent(exhibits: pd.DataFrame, tables: pd.DataFrame) -> Check:
    """A table and the figure that charts it should carry the same title."""
    titles = exhibits.set_index(["kind", "number"])["title"]
    differ = [f"Table {t.table} / Figure {t.figure}" for t in tables.itertuples()
              if titles[("table", t.table)] != titles[("figure", t.figure)]]
    return finding("labels", "Table and figure titles identical", "each figure titled as the table it charts",
                    f"pairs differing in typography: {len(differ)}"
                    + (f" ({join_labels(differ)}; data/exhibits.csv)" if differ else ""),
                    bool(differ), PRESENTATION, False)


@check
def repeated_text(statements: pd.DataFrame) -> Check:
    """No heading or sentence should be printed twice."""
    repeats = select(statements, kind=["repetition", "heading"])
    groups = [part for _, part in repeats.groupby("key", sort=False) if len(part) > 1]
    what = {"repetition": "a sentence restated in the next one", "heading": "a heading printed twice"}
    found = [f"{what[part['kind'].iloc[0]]} at line {part['line'].iloc[0]} ({cite(part)})" for part in groups]
    return finding("labels", "Text said twice", "each heading and sentence said once",
                    f"passages said twice: {len(groups)}" + (f" ({'; '.join(found)})" if found else ""),
                    bool(groups), PRESENTATION, False)


@check
def balanced_quotation_marks(statements: pd.DataFrame) -> Check:
    """Every opened quotation should be closed."""
    quotes = select(statements, kind="quotation")
    unclosed = quotes[quotes["quote"].str.count('"') % 2 == 1]
    return finding("labels", "Quotation marks balanced", "every quotation opened and closed",
                    f"quotations never closed in their paragraph: {len(unclosed)}"
                    + (f" ({cite(unclosed)})" if len(unclosed) else ""), not unclosed.empty, PRESENTATION, False)


@check
def exhibits_referred(exhibits: pd.DataFrame) -> Check:
    """Every table and figure should be referred to in the prose."""
    silent = exhibits[exhibits["text_references"] == 0]
    names = [f"{k.capitalize()} {n}" for k, n in zip(silent["kind"], silent["number"], strict=True)]
    return finding("design", "Tables and figures referred to in the text", "each exhibit referred to in the prose",
                    f"never referred to in the prose: {len(silent)} of {len(exhibits)}"
                    + (f", {join_labels(names)} (data/exhibits.csv)" if names else ""),
                    not silent.empty, PRESENTATION, False)
