"""Lost reasons alone, by statements and by rows (issue #27: "a lost reason of one statement
behaves as today"): the themes of the sample's single-concern lost reasons against the planted
concern, at a fixed k and at auto k.

    python -m bench.lost_reasons                 # about 2 minutes: four voc report runs
    python -m bench.lost_reasons --k 11 --k auto --seed 42

For each run, over the reasons with one planted concern (``lost_reason_theme2`` empty) and over
those of them that are one statement: ARI, homogeneity, completeness and V-measure of each deal's
main theme (``assignments.csv``) against the planted concern, and the number of themes. For the
statement runs also how many voice statements are not the first of their reason, and how many
themes carry mostly such statements.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPORT = ROOT / "corpus" / "sample_crm_export.csv"
TRUTH = ROOT / "corpus" / "sample_crm_export.truth.csv"


def _run(out: Path, unit: str, k: str, seed: int) -> None:
    cmd = [sys.executable, "-m", "voc", "-q", "report", str(EXPORT), "--text-column", "lost_reason", "--id-column",
           "deal_id", "--n-themes", k, "--seed", str(seed), "--unit", unit, "--no-history", "--no-taxonomy-update",
           "--out", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        raise SystemExit(f"voc report failed ({done.returncode}):\n{done.stderr[-3000:]}")


def main(argv: list[str] | None = None) -> int:
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--k", action="append", help="numbers of themes (repeat; default 11 and auto)")
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args(argv)
    truth = pd.read_csv(TRUTH, keep_default_na=False)
    single = truth[(truth["lost_reason_theme"] != "") & (truth["lost_reason_theme2"] == "")]["row"].tolist()
    print("| k | unit | themes | reasons | ARI | homogeneity | completeness | V | one-statement reasons | ARI | "
          "homogeneity | completeness | V |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for k in a.k or ["11", "auto"]:
            outs = {}
            for unit in ("statement", "row"):
                outs[unit] = Path(tmp) / f"{unit}-{k}"
                _run(outs[unit], unit, k, a.seed)
            mentions = pd.read_csv(outs["statement"] / "mentions.csv", keep_default_na=False)
            n_statements = mentions.groupby("row").size()
            for unit, out in outs.items():
                asg = pd.read_csv(out / "assignments.csv", keep_default_na=False).set_index("row")
                n_themes = len(pd.read_csv(out / "themes.csv"))
                rows = [r for r in single if r in asg.index]
                one = [r for r in rows if n_statements.get(r, 0) == 1]
                cells = []
                for subset in (rows, one):
                    gold = truth.set_index("row").loc[subset, "lost_reason_theme"]
                    pred = asg.loc[subset, "theme_id"]
                    h, c, v = homogeneity_completeness_v_measure(gold, pred)
                    cells += [f"{len(subset):,}", f"{adjusted_rand_score(gold, pred):.3f}", f"{h:.3f}", f"{c:.3f}",
                              f"{v:.3f}"]
                print(f"| {k} | {unit} | {n_themes} | " + " | ".join(cells) + " |")
            voice = mentions[mentions["kind"] == "voice"].copy()
            voice["later"] = voice.groupby("row").cumcount() > 0
            mostly = int((voice.groupby("theme_id")["later"].mean() > 0.5).sum())
            print(f"\nk = {k}, statements: {int(voice['later'].sum()):,} of {len(voice):,} voice statements are not the "
                  f"first of their reason; {mostly} theme(s) carry mostly such statements\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
