"""The coding lab: codings are validated in one line each, and agreement, consensus and counts are right."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from compendium.analysis import codings, data, lab
from compendium.analysis.synthesis import listed_works
from compendium.analysis.validation import DataError, validate_bibliography

FIXTURES = ROOT / "tests" / "fixtures" / "codings"
EXAMPLE = ROOT / "examples" / "codings"
KNOWN_ALPHA = {"perfect": 1.0, "chance": 0.0, "missing": 0.625}  # worked out by hand from the files


def load(folder: Path) -> pd.DataFrame:
    return codings.load_codings(folder, ROOT / "data", ROOT / "references.bib")


def reference_alpha(folder: Path) -> float:
    """Alpha from the krippendorff package on a reliability matrix read straight from the CSV files."""
    files = sorted(folder.glob("*.csv"))
    frames = {f.stem: pd.read_csv(f).set_index(["document", "indicator"])["present"] for f in files}
    units = sorted(set().union(*(frame.index for frame in frames.values())))
    matrix = [[frames[coder].get(unit, np.nan) for unit in units] for coder in sorted(frames)]
    return float(krippendorff.alpha(reliability_data=np.array(matrix, dtype=float), level_of_measurement="nominal"))


@pytest.mark.parametrize("name", KNOWN_ALPHA)
def test_alpha_of_the_fixtures_is_known_and_equals_the_package(name):
    value = lab.alpha(load(FIXTURES / name))
    assert value == pytest.approx(KNOWN_ALPHA[name], abs=1e-12)
    assert value == pytest.approx(reference_alpha(FIXTURES / name), abs=1e-12)


def test_alpha_of_the_synthetic_example_equals_the_package():
    assert lab.alpha(load(EXAMPLE)) == pytest.approx(reference_alpha(EXAMPLE), abs=1e-12)


def test_a_unit_left_out_is_missing_and_a_unit_coded_once_adds_no_pair():
    matrix = lab.units_matrix(load(FIXTURES / "missing"))
    assert list(matrix.index) == ["ana", "ben", "cleo"]
    assert np.isnan(matrix.loc["cleo", ("gause2010", "economic_limitations")])
    assert matrix[("unlisted-01", "communication_facilitation")].notna().sum() == 1
    without = load(FIXTURES / "missing").query("document != 'unlisted-01'")
    assert lab.alpha(without) == pytest.approx(KNOWN_ALPHA["missing"])


def test_alpha_is_undefined_when_every_code_is_the_same():
    same = pd.DataFrame({"coder": ["a", "b"], "document": ["kydd2006"] * 2,
                         "indicator": ["economic_limitations"] * 2, "present": [1, 1]})
    assert np.isnan(lab.alpha(same))
    assert lab.alpha_text(lab.alpha(same)) == lab.UNDEFINED


def test_bootstrap_is_seeded_and_brackets_alpha():
    example = load(EXAMPLE)
    first, again = (lab.bootstrap_alpha(example, 300, 0.95, 7) for _ in range(2))
    assert first == again
    assert first["lower"] < lab.alpha(example) < first["upper"]
    assert (first["undefined"], first["documents"]) == (0, example["document"].nunique())
    perfect = lab.bootstrap_alpha(load(FIXTURES / "perfect"), 300, 0.95, 7)
    assert (perfect["lower"], perfect["upper"], perfect["undefined"]) == (1.0, 1.0, 0)
    narrower = lab.bootstrap_alpha(example, 300, 0.5, 7)
    assert first["lower"] < narrower["lower"] < narrower["upper"] < first["upper"]


def codes(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    """Codings from (coder, document, indicator, present) tuples."""
    frame = pd.DataFrame(rows, columns=["coder", "document", "indicator", "present"])
    return frame.assign(note="")


INDICATORS = ["communication_facilitation", "economic_limitations", "energy_market_stability",
              "maritime_security_improvement"]


def test_bootstrap_draws_whole_documents_not_single_units():
    # One document, coders agreeing on two indicators and not on two: a resample of documents is always
    # that document, so the interval is the point value; resampling units would scatter it.
    one = codes([("ana", "kydd2006", key, code) for key, code in zip(INDICATORS, [1, 0, 1, 0], strict=True)]
                + [("ben", "kydd2006", key, code) for key, code in zip(INDICATORS, [1, 0, 0, 1], strict=True)])
    interval = lab.bootstrap_alpha(one, 200, 0.95, 7)
    assert interval["documents"] == 1
    assert interval["lower"] == interval["upper"] == pytest.approx(lab.alpha(one))


def test_bootstrap_leaves_out_resamples_without_variation_and_needs_a_unit_coded_twice():
    # gause2010 is coded 0 by both coders throughout: a resample drawing it twice has one value only.
    two = codes([(coder, "gause2010", key, 0) for coder in ("ana", "ben") for key in INDICATORS[:2]]
                + [("ana", "kydd2006", INDICATORS[0], 1), ("ben", "kydd2006", INDICATORS[0], 0),
                   ("ana", "kydd2006", INDICATORS[1], 1), ("ben", "kydd2006", INDICATORS[1], 1)])
    interval = lab.bootstrap_alpha(two, 300, 0.95, 7)
    assert 0 < interval["undefined"] < 300 and interval["documents"] == 2
    assert np.isnan(interval["lower"]) and np.isnan(interval["upper"])  # no interval at a level it does not have
    assert lab.interval_text(interval, 0.95, 300) == (
        f"no bootstrap interval, because alpha is undefined in {interval['undefined']} of 300 resamples of the "
        "documents, and the others alone would not make a 95% interval")
    summary = dict(zip(*lab.agreement_summary(two, lab.alpha(two), interval, 0.95, 300).to_dict("list").values(),
                       strict=True))
    assert summary["95% bootstrap interval (300 resamples of the documents coded twice or more)"] == (
        f"none: alpha undefined in {interval['undefined']} of 300 resamples")
    assert summary["Resamples in which alpha is undefined"] == str(interval["undefined"])
    alone = codes([("ana", "kydd2006", INDICATORS[0], 1), ("ben", "gause2010", INDICATORS[0], 0)])
    nothing = lab.bootstrap_alpha(alone, 100, 0.95, 7)
    assert np.isnan(nothing["lower"]) and (nothing["documents"], nothing["undefined"]) == (0, 100)
    assert lab.interval_text(nothing, 0.95, 100) == "no bootstrap interval, because no document was coded by two coders"


def test_a_bootstrap_with_every_resample_defined_gives_its_interval_at_the_stated_level():
    example = load(EXAMPLE)
    interval = lab.bootstrap_alpha(example, 300, 0.9, 7)
    assert interval["undefined"] == 0
    assert lab.interval_text(interval, 0.9, 300) == (
        f"a 90% bootstrap interval from {interval['lower']:.3f} to {interval['upper']:.3f}")


def test_alpha_without_a_unit_coded_twice_is_undefined_and_says_why():
    alone = codes([("ana", "kydd2006", INDICATORS[0], 1), ("ben", "gause2010", INDICATORS[0], 0)])
    assert np.isnan(lab.alpha(alone))
    assert lab.alpha_text(lab.alpha(alone), 0) == lab.UNPAIRED
    assert lab.alpha_reading(lab.alpha(alone), 0) == "undefined, because no unit was coded by two coders"
    assert lab.alpha_text(float("nan"), 3) == lab.UNDEFINED


def test_cohens_kappa_matches_a_reference_value():
    # 50 units: both 1 on 20, first only on 5, second only on 10, both 0 on 15: po = 0.7, pe = 0.5, kappa = 0.4
    first = pd.Series([1] * 20 + [1] * 5 + [0] * 10 + [0] * 15)
    second = pd.Series([1] * 20 + [0] * 5 + [1] * 10 + [0] * 15)
    assert lab.cohens_kappa(first, second) == pytest.approx(0.4)
    assert np.isnan(lab.cohens_kappa(pd.Series([1, 1]), pd.Series([1, 1])))


def test_pairwise_kappa_counts_the_cells_and_agrees_with_the_formula():
    pairs = lab.pairwise_kappa(load(FIXTURES / "chance"))
    row = pairs.iloc[0]
    assert (row.coder_1, row.coder_2, row.units, row.agree, row.both_1, row.only_1, row.only_2) == (
        "ana", "ben", 8, 4, 1, 2, 2)
    assert row.chance == pytest.approx((3 * 3 + 5 * 5) / 64)
    assert row.kappa == pytest.approx((0.5 - row.chance) / (1 - row.chance))
    assert row.alpha == pytest.approx(0.0)
    missing = lab.pairwise_kappa(load(FIXTURES / "missing")).set_index(["coder_1", "coder_2"])
    assert missing.loc[("ana", "cleo"), "units"] == 2 and missing.loc[("ana", "ben"), "units"] == 4
    assert lab.pair_facts(pairs)["both_0"] == 3


def pooled() -> pd.DataFrame:
    """Two pairs of a class, p1 and p2, who coded different documents, pooled in one folder."""
    return load(FIXTURES / "pooled")


def test_pairs_of_coders_without_a_unit_in_common_are_skipped_and_named():
    pairs = lab.pairwise_kappa(pooled())
    assert list(zip(pairs["coder_1"], pairs["coder_2"], strict=True)) == [("p1-ana", "p1-ben"), ("p2-ana", "p2-cleo")]
    assert pairs["units"].tolist() == [4, 4] and pairs["agree"].tolist() == [3, 3]
    assert lab.unshared_pairs(pooled()) == [("p1-ana", "p2-ana"), ("p1-ana", "p2-cleo"), ("p1-ben", "p2-ana"),
                                            ("p1-ben", "p2-cleo")]
    assert lab.unshared_pairs(load(FIXTURES / "missing")) == []
    summary = dict(zip(*lab.agreement_summary(pooled(), lab.alpha(pooled()),
                                              lab.bootstrap_alpha(pooled(), 100, 0.95, 7), 0.95, 100).to_dict(
        "list").values(), strict=True))
    assert summary["Pairs of coders with no unit in common (no kappa)"] == "4"
    assert summary["Documents coded by two or more coders"] == "4"
    assert summary["Krippendorff's alpha (nominal)"] == f"{reference_alpha(FIXTURES / 'pooled'):.3f}"


def test_settled_codes_of_pairs_pooled_give_shares_without_agreement():
    findings = data.load_findings(ROOT / "data")
    settled = load(FIXTURES / "settled")
    assert np.isnan(lab.alpha(settled)) and lab.pairwise_kappa(settled).empty
    agreed = lab.consensus_shares(lab.consensus(settled), findings, 0.95).set_index("indicator")
    assert agreed.loc["communication_facilitation", ["decided", "single", "n_sources"]].tolist() == [4, 4, 1]
    per = lab.indicator_agreement(settled, findings)
    assert (per["units"] == 0).all()
    assert set(lab.indicator_table(per)["Alpha"]) == {lab.UNPAIRED}


def test_per_indicator_agreement_counts_documents_coded_twice_or_more():
    findings = data.load_findings(ROOT / "data")
    per = lab.indicator_agreement(load(FIXTURES / "missing"), findings).set_index("indicator")
    assert len(per) == len(findings)
    assert per.loc["communication_facilitation", ["units", "unanimous"]].tolist() == [2, 1]
    assert per.loc["economic_limitations", ["units", "unanimous"]].tolist() == [2, 2]
    assert np.isnan(per.loc["economic_limitations", "alpha"])  # every code 0: undefined
    assert per.loc["energy_market_stability", "units"] == 0 and np.isnan(per.loc["energy_market_stability",
                                                                                    "agreement"])


def test_consensus_is_the_majority_and_ties_are_listed():
    codes = load(FIXTURES / "missing")
    units = lab.consensus(codes).set_index(["document", "indicator"])
    assert units.loc[("kydd2006", "communication_facilitation"), "consensus"] == 1
    assert units.loc[("gause2010", "economic_limitations"), "consensus"] == 0
    assert units.loc[("unlisted-01", "communication_facilitation"), "consensus"] == 1  # one coder: their code
    tied = units.loc[("gause2010", "communication_facilitation")]
    assert bool(tied["tie"]) and pd.isna(tied["consensus"])
    listed = lab.ties(codes, lab.consensus(codes))
    assert listed.to_dict("records") == [{"document": "gause2010", "indicator": "communication_facilitation",
                                          "ana": "1", "ben": "0", "cleo": ""}]


def test_consensus_shares_leave_ties_out_and_carry_wilson_intervals():
    findings = data.load_findings(ROOT / "data")
    agreed = lab.consensus_shares(lab.consensus(load(FIXTURES / "missing")), findings, 0.95).set_index("indicator")
    assert agreed.loc["communication_facilitation", ["decided", "n_sources", "single"]].tolist() == [2, 2, 1]
    assert agreed.loc["economic_limitations", ["decided", "n_sources", "single"]].tolist() == [2, 0, 0]
    five_of_ten = pd.DataFrame({"document": [f"d{i}" for i in range(10)], "indicator": "economic_limitations",
                                "coders": 1, "present": [1] * 5 + [0] * 5, "tie": False,
                                "consensus": [1] * 5 + [0] * 5})
    wilson = lab.consensus_shares(five_of_ten, findings, 0.95).iloc[0]
    assert (wilson["share"], round(wilson["lower"], 4), round(wilson["upper"], 4)) == (0.5, 0.2366, 0.7634)


def test_tables_beside_the_article_follow_its_layout():
    findings, tables = data.load_findings(ROOT / "data"), data.load_tables(ROOT / "data")
    codes = load(FIXTURES / "missing")
    agreed = lab.consensus_shares(lab.consensus(codes), findings, 0.95)
    beside = lab.beside_article(findings, tables, lab.coder_shares(codes), agreed, 50, 1)
    assert list(beside.columns) == ["Dimension of Mediation", "Article: Supporting Evidence Frequency",
                                    "Article share", "ana", "ben", "cleo", "Consensus"]
    assert beside.iloc[0].tolist() == ["Communication facilitation", "18 sources", "36%", "3/3 (100%)",
                                       "1/2 (50%)", "1/1 (100%)", "2/2 (100%)"]
    assert beside.iloc[1]["ana"] == ""  # nobody coded crisis de-escalation support
    assert lab.labelled(beside, "SYNTHETIC example")["Codings"].eq("SYNTHETIC example").all()


def test_alpha_reading_follows_krippendorffs_conventions():
    assert lab.alpha_reading(0.8).startswith("at or above 0.800")
    assert lab.alpha_reading(0.7).startswith("between 0.667 and 0.800")
    assert lab.alpha_reading(0.66).startswith("below 0.667")
    assert lab.alpha_reading(float("nan")).startswith("undefined")


def test_interval_reading_says_which_level_the_interval_crosses():
    assert lab.interval_reading(0.476, 0.672) == (
        "but the interval reaches across 0.667, so these codings cannot tell on which side of that level the "
        "coders' agreement lies")
    assert lab.interval_reading(0.46, 0.66) == "the whole interval lies within that band"
    assert lab.interval_reading(0.70, 0.75) == "the whole interval lies within that band"
    assert "across 0.667 and 0.800" in lab.interval_reading(0.6, 0.9)
    assert lab.interval_reading(float("nan"), float("nan")) == (
        "without an interval, these codings cannot show how far that reading could move")


def test_the_frame_documents_indicators_rules_and_sheet():
    findings = data.load_findings(ROOT / "data")
    rules = data.load_coding_rules(ROOT / "data")
    assert sorted(rules["indicator"]) == sorted(findings["key"])  # one rule per indicator, no more
    sheet = lab.coding_sheet(findings)
    assert sheet["Key (for the CSV file)"].tolist() == findings["key"].tolist()
    assert (sheet["Code (0/1)"] == "").all() and (sheet["Note"] == "").all()
    named = set(rules["not_this"].str.findall(r"\b[a-z]+(?:_[a-z]+)+\b").sum())
    assert named and named <= set(findings["key"])  # a rule names only indicators that exist
    shown = lab.rules_table(findings, rules)
    assert shown["Indicator"].tolist() == findings["label"].tolist()
    assert shown.loc[0, "Not this indicator"].startswith("Contact that resumes after a break is "
                                                         "“Diplomatic communication reopening”")
    assert not shown["Not this indicator"].str.contains("_").any()
    references = data.load_references(ROOT / "references.bib")
    documents = lab.documents(references).set_index("document")
    assert len(listed_works(references)) == 36 and len(documents) == 35  # one book is listed twice
    assert "touval2015" in documents.index and not {"touval2016", "mohsin2026"} & set(documents.index)
    assert documents.loc["kydd2006", "work"] == "Kydd (2006)"
    assert sorted(documents.index[documents["title_names_pakistan"] == "yes"]) == [
        "karim2026", "kurlantzick2026", "mir2026", "paul2016", "shaikh2026"]


def test_the_synthetic_example_is_what_its_seeded_script_makes(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "make_synthetic_codings.py"), str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in EXAMPLE.iterdir())
    for made in tmp_path.iterdir():
        assert made.read_bytes() == (EXAMPLE / made.name).read_bytes(), made.name
    assert codings.is_synthetic(EXAMPLE) and not codings.is_synthetic(FIXTURES / "missing")
    assert codings.codings_label(EXAMPLE) == "SYNTHETIC example"
    assert codings.codings_label(FIXTURES / "missing") == "codings in missing"


def test_compendium_bib_is_valid_and_apart_from_the_articles_list():
    assert validate_bibliography(ROOT / "compendium.bib") == []
    own = set(data.load_references(ROOT / "compendium.bib")["key"])
    assert {"tong2012", "page2021", "krippendorff2004", "cohen1960"} <= own
    assert own.isdisjoint(set(data.load_references(ROOT / "references.bib")["key"]))


def broken(tmp_path: Path, monkeypatch, coder: str, text: str) -> list[str]:
    """Problems of a copy of the 'missing' fixture in which ``coder``'s file reads ``text``."""
    folder = tmp_path / "mycodings"
    shutil.copytree(FIXTURES / "missing", folder, dirs_exist_ok=True)
    (folder / f"{coder}.csv").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return codings.validate_codings("mycodings", ROOT / "data", ROOT / "references.bib")


HEADER = "document,indicator,present\n"
ROW = "kydd2006,economic_limitations,0\n"
BAD = {
    "value other than 0 or 1": (
        HEADER + ROW + "gause2010,economic_limitations,2\n",
        ["mycodings/ben.csv row 2 (line 3), field present: '2' is not one of the allowed values 0, 1"]),
    "word for a code": (
        HEADER + "kydd2006,economic_limitations,yes\n",
        ["mycodings/ben.csv row 1 (line 2), field present: 'yes' is not one of the allowed values 0, 1"]),
    "empty code": (
        HEADER + "kydd2006,economic_limitations,\n",
        ["mycodings/ben.csv row 1 (line 2), field present: empty value is empty but the field is required"]),
    "unknown document": (
        HEADER + ROW + "kyd2006,economic_limitations,1\n",
        ["mycodings/ben.csv row 2 (line 3), field document: 'kyd2006' is neither a key of the reference list "
         "(references.bib) nor unlisted-NN"]),
    "the article itself is no document": (
        HEADER + "mohsin2026,economic_limitations,1\n",
        ["mycodings/ben.csv row 1 (line 2), field document: 'mohsin2026' is neither a key of the reference list "
         "(references.bib) nor unlisted-NN"]),
    "unknown indicator": (
        HEADER + ROW + "kydd2006,economic_limits,1\n",
        ["mycodings/ben.csv row 2 (line 3), field indicator: 'economic_limits' is not a row key of Tables 1-3 "
         "(findings.csv)"]),
    "duplicated unit": (
        HEADER + ROW + "gause2010,economic_limitations,1\n" + ROW,
        ["mycodings/ben.csv row 3 (line 4), field document/indicator: unit 'kydd2006' x 'economic_limitations' "
         "is coded twice (first at row 1, line 2)"]),
    "missing column": (
        "document,indicator\nkydd2006,economic_limitations\n",
        ["mycodings/ben.csv header (line 1): column 'present' is missing (expected: document, indicator, "
         "present and optionally note, in that order)"]),
    "unknown column": (
        "document,indicator,present,coder\nkydd2006,economic_limitations,0,ben\n",
        ["mycodings/ben.csv header (line 1): column 'coder' is not part of the codings format (expected: "
         "document, indicator, present and optionally note, in that order)"]),
    "empty file": ("", ["mycodings/ben.csv: file is empty (resource ben)"]),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_each_broken_codings_file_is_one_line(tmp_path, monkeypatch, case):
    text, expected = BAD[case]
    assert broken(tmp_path, monkeypatch, "ben", text) == expected


def test_the_note_is_optional_and_the_order_of_columns_fixed(tmp_path, monkeypatch):
    assert broken(tmp_path, monkeypatch, "ben", "document,indicator,present,note\nkydd2006,economic_limitations,0,"
                  "p. 12\n") == []
    assert broken(tmp_path, monkeypatch, "ben", "present,indicator,document\n0,economic_limitations,kydd2006\n") == [
        "mycodings/ben.csv header (line 1): columns present, indicator, document are out of order (expected: "
        "document, indicator, present and optionally note, in that order)"]


def test_a_control_character_and_a_foreign_delimiter_are_named(tmp_path, monkeypatch):
    assert broken(tmp_path, monkeypatch, "ben", HEADER + "kydd2006,economic_limitations,1\x07\n") == [
        "mycodings/ben.csv row 1 (line 2), field present: '1\\x07' holds a control character (U+0007)"]
    assert broken(tmp_path, monkeypatch, "ben", "document;indicator;present\nkydd2006;economic_limitations;1\n") == [
        "mycodings/ben.csv header (line 1): cells are separated by ';', but the codings format declares ',' for "
        "resource ben (dialect.delimiter)"]


def test_a_work_listed_twice_is_coded_under_its_first_key(tmp_path, monkeypatch):
    assert broken(tmp_path, monkeypatch, "ben", HEADER + "touval2015,economic_limitations,0\n") == []
    assert broken(tmp_path, monkeypatch, "ben", HEADER + "touval2016,economic_limitations,0\n") == [
        "mycodings/ben.csv row 1 (line 2), field document: 'touval2016' lists the same work as 'touval2015' "
        "(the reference list prints it twice); code it once, as 'touval2015'"]


def test_a_files_unknown_keys_are_reported_with_its_schema_problems(tmp_path, monkeypatch):
    assert broken(tmp_path, monkeypatch, "ben", HEADER + "kydd2006,economic_limitations,2\n"
                  + "kyd2006,economic_limits,1\n" + "gause2010,,1\n") == [
        "mycodings/ben.csv row 1 (line 2), field present: '2' is not one of the allowed values 0, 1",
        "mycodings/ben.csv row 3 (line 4), field indicator: empty value is empty but the field is required",
        "mycodings/ben.csv row 2 (line 3), field document: 'kyd2006' is neither a key of the reference list "
        "(references.bib) nor unlisted-NN",
        "mycodings/ben.csv row 2 (line 3), field indicator: 'economic_limits' is not a row key of Tables 1-3 "
        "(findings.csv)"]


def test_every_problem_of_every_file_is_listed_at_once(tmp_path, monkeypatch):
    folder = tmp_path / "mycodings"
    broken(tmp_path, monkeypatch, "ben", HEADER + "kydd2006,economic_limitations,2\n")
    (folder / "cleo.csv").write_text(HEADER + "kydd2006,nothing,1\n", encoding="utf-8")
    found = codings.validate_codings(folder, ROOT / "data", ROOT / "references.bib")
    assert [line.split(",")[0] for line in found] == ["mycodings/ben.csv row 1 (line 2)",
                                                       "mycodings/cleo.csv row 1 (line 2)"]


def test_a_folder_needs_two_coders_and_must_exist(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "one").mkdir()
    shutil.copy(FIXTURES / "missing" / "ana.csv", tmp_path / "one")
    assert codings.validate_codings("one", ROOT / "data", ROOT / "references.bib") == [
        "one: holds 1 coder file(s) (<coder>.csv); agreement needs at least 2"]
    assert codings.validate_codings("nowhere", ROOT / "data", ROOT / "references.bib") == [
        "nowhere: not a folder of codings"]
    with pytest.raises(DataError, match="holds 1 coder file"):
        codings.load_codings("one", ROOT / "data", ROOT / "references.bib")
