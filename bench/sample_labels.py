"""The sample's call notes as a labeled file for ``voc evaluate``: each note with the set of its
planted customer concerns (``a|b``) and the statement gold (issue #27: label-set recall on the
sample's call notes).

    python -m bench.sample_labels --out /tmp/sample-labels
    voc evaluate /tmp/sample-labels/call_notes.csv --text-column text --label-column label \\
        --statements-file /tmp/sample-labels/statements.csv --unit statement --seeds 0,1,2 --no-baselines

Reads ``corpus/sample_crm_export.csv`` and ``corpus/sample_crm_export.statements.csv`` (written by
``corpus/generate.py``). A note's label set is the keys of its voice statements; notes with no
voice statement are left out. The statement gold keeps the log statements as ``log``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    import pandas as pd

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("/tmp/sample-labels"))
    a = p.parse_args(argv)
    export = pd.read_csv(ROOT / "corpus" / "sample_crm_export.csv", dtype=str, keep_default_na=False)
    gold = pd.read_csv(ROOT / "corpus" / "sample_crm_export.statements.csv", keep_default_na=False)
    gold = gold[gold["column"] == "call_note"]
    voice = gold[gold["kind"] == "voice"]
    labels = voice.groupby("row")["key"].agg(lambda s: "|".join(sorted(set(s))))
    rows = [int(r) for r in labels.index]
    texts = pd.DataFrame({"text": export.loc[rows, "call_note"].tolist(), "label": labels.tolist()})
    position = {r: i for i, r in enumerate(rows)}
    parts = gold[gold["row"].isin(position)]
    statements = pd.DataFrame({"row": parts["row"].map(position), "start": parts["start"], "end": parts["end"],
                               "label": parts["key"].where(parts["kind"] == "voice", "log")})
    a.out.mkdir(parents=True, exist_ok=True)
    texts.to_csv(a.out / "call_notes.csv", index=False)
    statements.to_csv(a.out / "statements.csv", index=False)
    n_labels = len(set(voice["key"]))
    print(f"{len(texts):,} notes, {n_labels} labels, {len(statements):,} gold statements → {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
