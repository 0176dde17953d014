"""Win rates that hold, on the sample (issue #27): which text columns are one-outcome, and what the
win-rate comparison says with and without them and the rep's log.

Usage::

    python -m bench.winrate            # runs voc report on corpus/voc.toml in-process (about 40 s)

Prints the one-outcome table of the text columns (``voc.insights.one_outcome_columns``) and, for the
report's themes, how many have enough deals for a win rate and how many differ significantly
(q < 0.05), two ways: as the report computes it (voice statements of usable columns) and with the
lost-only column let in.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    import pandas as pd

    from voc.config import load_config
    from voc.insights import insight_tables, one_outcome_columns
    from voc.pipeline import run_report
    from voc.read.outcomes import map_outcomes

    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(ROOT / "corpus" / "voc.toml").override(
            {"output.dir": str(Path(tmp) / "latest"), "history.enabled": False})
        result = run_report(config)
        mentions = pd.read_csv(Path(result.out_dir) / "mentions.csv", dtype={"deal_id": str})
    cin = config.input
    frame = result.records
    outcomes = map_outcomes(frame[cin.outcome_column], cin.won_values, cin.lost_values, cin.open_values).outcome
    table = one_outcome_columns(frame, cin.text_columns, outcomes)
    print("| column | filled (closed) | won | lost | open | share of one outcome | excluded |\n|---|---|---|---|---|---|---|")
    for r in table.itertuples():
        print(f"| {r.column} | {r.filled} | {r.won} | {r.lost} | {r.open} | {r.share:.3f} | {r.excluded} |")
    print()
    long = mentions.assign(unit=range(len(mentions)))
    kept = frame[frame["row"].isin(set(result.assignments["row"]))]
    excluded = table.loc[table["excluded"], "column"].tolist()
    ways = {
        "report (voice, usable columns)": (long, excluded),
        "+ the lost-only column": (long, []),
    }
    print("| comparison | themes with a win rate | significant (q < 0.05) | most negative effect |")
    print("|---|---|---|---|")
    for name, (lt, cols) in ways.items():
        wl = insight_tables(lt, kept, frame, outcome_column=cin.outcome_column, outcomes=outcomes,
                            excluded_columns=cols).winloss
        ok = wl[wl["enough"]]
        print(f"| {name} | {len(ok)} | {int((ok['q_value'] < 0.05).sum())} | {ok['effect'].min():+.3f} |")


if __name__ == "__main__":
    main()
