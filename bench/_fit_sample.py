"""How big must the theme-fit sample be? NMI and fit time against the sample size, in one process.

    python -m bench._fit_sample --size 100000 --samples 5000,10000,20000,30000

Tokenizes and cleans the notes once, then for each sample size runs :meth:`voc.themes.ThemeModel.fit` with that ``fit_sample``
(fit on a stratified sample, assign the rest) and scores the assignments against the ground truth.
The default of ``[scale] fit_sample`` comes from this measurement (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench._fit_sample")
    p.add_argument("--size", type=int, default=100_000)
    p.add_argument("--samples", default="5000,10000,20000,30000")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--text-column", default="call_note")
    p.add_argument("--out", type=Path, default=HERE / "results")
    a = p.parse_args(argv)

    import pandas as pd

    from bench import _data, _e2e
    from voc.config import Config, ModelConfig, ScaleConfig
    from voc.parallel import LocalExecutor, clean_parallel, tokenize_parallel
    from voc.pipeline import theme_model
    from voc.tokenize import Tokenizer

    export, truth = _data.export(a.size, a.seed, a.out / "data")
    frame = pd.read_csv(export, dtype=str, keep_default_na=False)
    frame.insert(0, "row", range(len(frame)))
    kept, _ = clean_parallel(frame, [a.text_column], -1)
    texts = kept["text"].tolist()
    t0 = time.perf_counter()
    tokens = tokenize_parallel(Tokenizer(), texts, -1)
    print(f"{len(texts):,} texts tokenized in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    gold = _e2e.truth_labels(truth, f"{a.text_column}_theme")
    rows = kept["row"].tolist()
    results = []
    for s in [int(x) for x in a.samples.split(",")]:
        config = Config(model=ModelConfig(seed=42), scale=ScaleConfig(fit_sample=s))
        t0 = time.perf_counter()
        model = theme_model(config).fit(texts, tokens=tokens, executor=LocalExecutor(-1))
        wall = time.perf_counter() - t0
        score, n = _e2e.nmi({r: int(lab) for r, lab in zip(rows, model.labels_, strict=True)}, gold)
        results.append({"fit_sample": s, "seconds": wall, "nmi": score, "n_themes": model.n_themes_,
                        "stages": model.timings_})
        print(json.dumps(results[-1]), file=sys.stderr)
    print("| fit_sample | seconds (embed+sample+fit+assign) | themes | NMI |\n|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['fit_sample']:,} | {r['seconds']:.1f} | {r['n_themes']} | {r['nmi']:.3f} |")


if __name__ == "__main__":
    main()
