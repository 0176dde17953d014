"""Regenerate the README figure docs/lost-vs-won-words.png from the sample corpus.

    .venv/bin/python scripts/docs_figure.py

Words that set lost deals (失注) apart from won ones (受注) in the call notes and lost reasons of
corpus/sample_crm_export.csv (voc.explore.distinguishing_words), drawn by voc.plots.
"""

from __future__ import annotations

from pathlib import Path

import voc.explore as ex
import voc.plots as vp
from voc.clean import clean
from voc.read import read_export

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    columns = ["call_note", "lost_reason"]
    export = read_export(ROOT / "corpus" / "sample_crm_export.csv", text_columns=columns, required_columns=["outcome"])
    kept, _ = clean(export.frame, columns)
    words = ex.distinguishing_words(kept, by="outcome", group="失注", other="受注")
    fig = vp.distinguishing_words(words, n=12, title="失注と受注を分ける語 (サンプルコーパス, log-odds z)")
    out = ROOT / "docs" / "lost-vs-won-words.png"
    out.parent.mkdir(exist_ok=True)
    fig.savefig(out, dpi=110)
    print(out)


if __name__ == "__main__":
    main()
