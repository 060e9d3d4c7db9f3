"""Write the SYNTHETIC example codings of the coding lab into examples/codings/.

No real document-level coding of the article's sample exists, so the lab ships made-up
codings to show what a class will get. They are random draws, seeded so that the files
never change: ten documents (nine of the works a class may code, ``lab.documents``, picked at
random, and one unlisted document) times the fifteen indicators of Tables 1-3. Each unit has a made-up
"true" code, 1 with probability PRESENT for every indicator alike (a constant of this
script; nothing is taken from the article's counts), and each coder copies it correctly
with that coder's ACCURACY and flips it otherwise. Two coders leave SKIPPED units
uncoded, to show how missing codes are handled.

    .venv/bin/python examples/make_synthetic_codings.py [output folder]
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from compendium.analysis import data, lab
from compendium.analysis.codings import SYNTHETIC_MARKER

SEED = 20260517
LISTED_DOCUMENTS = 9
UNLISTED_DOCUMENTS = ["unlisted-01"]
PRESENT = 0.4
ACCURACY = {"coder_a": 0.92, "coder_b": 0.88, "coder_c": 0.84}
SKIPPED = {"coder_b": 4, "coder_c": 8}
ROOT = Path(__file__).resolve().parent.parent
MARKER_TEXT = """# SYNTHETIC codings

The files in this folder are made up. `examples/make_synthetic_codings.py` draws them at
random (seeded) to show what the coding lab computes from a class's codings. They are not
the authors' coding, which was never published, and say nothing about the documents.

A folder holding this file is labelled SYNTHETIC on every table and figure of the coding
lab. Put real codings in a folder of their own, without this file.
"""


def synthetic_codings(documents: list[str], indicators: list[str]) -> dict[str, pd.DataFrame]:
    """Each coder's made-up codings: one row per unit (document x indicator) that coder coded."""
    rng = np.random.default_rng(SEED)
    units = pd.MultiIndex.from_product([documents, indicators], names=["document", "indicator"]).to_frame(
        index=False)
    truth = (rng.random(len(units)) < PRESENT).astype(int)
    coded = {}
    for coder, accuracy in ACCURACY.items():
        flip = rng.random(len(units)) >= accuracy
        frame = units.assign(present=np.where(flip, 1 - truth, truth))
        skipped = rng.choice(len(units), size=SKIPPED.get(coder, 0), replace=False)
        coded[coder] = frame.drop(index=skipped).reset_index(drop=True)
    return coded


def main(folder: Path) -> None:
    references = data.load_references(ROOT / "references.bib")
    listed = sorted(lab.documents(references)["document"])
    rng = np.random.default_rng(SEED)
    documents = sorted(rng.choice(listed, size=LISTED_DOCUMENTS, replace=False)) + UNLISTED_DOCUMENTS
    indicators = list(data.load_findings(ROOT / "data")["key"])
    folder.mkdir(parents=True, exist_ok=True)
    for coder, frame in synthetic_codings(documents, indicators).items():
        frame.to_csv(folder / f"{coder}.csv", index=False, lineterminator="\n")
    (folder / SYNTHETIC_MARKER).write_text(MARKER_TEXT, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "examples" / "codings")
