"""What the lost reasons' statement themes are fitted on (issue #27, item 2): every voice statement
(what ``voc report`` does), each reason's first statement only, or one statement of each reason
drawn at random, the others assigned by the fitted model (``ThemeModel.predict``); k = 11, seed 42.

    python -m bench.lost_reasons_fit      # about a minute

Prints ARI, homogeneity and completeness of each deal's main theme against its planted concern,
over the reasons with one planted concern and those of them that are one statement (as
:mod:`bench.lost_reasons`).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    import numpy as np
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure

    from voc.config import Config
    from voc.pipeline import report_units, theme_model

    config = Config().override({"input.path": str(ROOT / "corpus" / "sample_crm_export.csv"),
                                "input.text_columns": ["lost_reason"], "input.id_column": "deal_id",
                                "model.n_themes": 11, "model.seed": 42, "history.enabled": False})
    kept, units = report_units(config)
    voice = units[units["kind"] == "voice"].reset_index(drop=True)
    texts, tokens = voice["text"].tolist(), [list(t) for t in voice["tokens"]]
    truth = pd.read_csv(ROOT / "corpus" / "sample_crm_export.truth.csv", keep_default_na=False).set_index("row")
    n_units = units.groupby("row").size()
    single = [r for r in kept["row"] if truth.at[r, "lost_reason_theme"] and not truth.at[r, "lost_reason_theme2"]]
    subsets = {"single-concern": single, "one statement": [r for r in single if n_units.get(r, 0) == 1]}

    def main_themes(labels: np.ndarray) -> pd.Series:
        frame = pd.DataFrame({"row": voice["row"], "theme": labels, "i": range(len(labels))})
        counts = frame[frame["theme"] >= 0].groupby(["row", "theme"]).agg(n=("i", "size"), first=("i", "min"))
        ordered = counts.reset_index().sort_values(["row", "n", "first"], ascending=[True, False, True])
        return ordered.drop_duplicates("row").set_index("row")["theme"]

    rng = np.random.default_rng(0)
    fits = {
        "every statement": np.arange(len(voice)),
        "first statement of each reason": np.flatnonzero(~voice.duplicated(["row", "column"]).to_numpy()),
        "one at random of each reason": np.sort(voice.groupby(["row", "column"]).apply(
            lambda g: rng.choice(g.index.to_numpy())).to_numpy()),
    }
    print("| fitted on | units | reasons | ARI | homogeneity | completeness |")
    print("|---|---:|---|---:|---:|---:|")
    for name, idx in fits.items():
        model = theme_model(config).fit([texts[i] for i in idx], tokens=[tokens[i] for i in idx])
        labels = model.labels_ if len(idx) == len(voice) else np.asarray(model.predict(texts))
        main = main_themes(np.asarray(labels))
        for subset, rows in subsets.items():
            gold = truth.loc[rows, "lost_reason_theme"]
            pred = [int(main.get(r, -1)) for r in rows]
            h, c, _ = homogeneity_completeness_v_measure(gold, pred)
            print(f"| {name} | {len(idx):,} | {subset} ({len(rows):,}) | {adjusted_rand_score(gold, pred):.3f} | "
                  f"{h:.3f} | {c:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
