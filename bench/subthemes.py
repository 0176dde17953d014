"""Two levels against one: themes, their sub-themes and their names, measured on leaf labels.

On a corpus labeled two levels deep (``../shared/data/asdc_food_subtopics.csv``: ``top``, 14
groups; ``label``, 54 leaves) and for each seed, in the same run:

- voc's themes at k = 14 (:func:`voc.pipeline.theme_model`, every text fitted) against ``top``;
- their sub-themes (:func:`voc.subthemes.find_subthemes`): the (theme, sub-theme) pairs against
  ``label``, next to flat themes at k = 54 against ``label``;
- the names (:class:`voc.naming.PhraseNamer`) of themes and sub-themes: groundedness, fragment
  rate and distinct share (:mod:`voc.evaluate.metrics`);
- the seconds names + sub-themes took, as a share of the k = 14 fit (tokenize, embed, cluster).

``--show`` also prints the theme names of the sample corpus (``corpus/sample_crm_export.csv``,
``lost_reason``, auto k) and of ``asdc_food_requests.csv`` at 20 themes, beside the keywords that
named them before, for reading.

    python -m bench.subthemes                       # seeds 42, 0, 1
    python -m bench.subthemes --seeds 42 --show
    python -m bench.subthemes --scale 100000 --seeds 42  # cost against voc report (generated export)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any


def _shared() -> Path:
    """../shared/data beside the checkout, or $VOC_SHARED_DATA (as tests/conftest.py finds it)."""
    import os

    env = os.environ.get("VOC_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


SHARED = _shared()


def _fit(texts: list[str], k: Any, seed: int, tokens: Any = None, fit_sample: int | None = 0) -> tuple[Any, Any, Any]:
    """voc's themes of *texts* at *k* (every text clustered when *fit_sample* is 0; the report's
    default sample when None): the fitted model, its tokens and embeddings."""
    from voc.config import Config, ModelConfig, ScaleConfig
    from voc.pipeline import theme_model

    scale = ScaleConfig() if fit_sample is None else ScaleConfig(fit_sample=fit_sample)
    model = theme_model(Config(model=ModelConfig(n_themes=k, seed=seed), scale=scale))
    model.fit(texts, tokens=tokens)
    return model, model.tokens_, model.embeddings_


def _name_scores(texts: list[str], labels: Any, names: dict[int, Any]) -> dict[str, float]:
    from voc.evaluate.metrics import distinct_names, fragment_rate, name_groundedness

    phrases = {g: n.phrases for g, n in names.items()}
    return {
        "grounded": name_groundedness(phrases, texts, labels),
        "fragments": fragment_rate(phrases, texts, labels),
        "distinct": distinct_names([n.label for n in names.values()]),
    }


def run_seed(texts: list[str], top: list[str], leaf: list[str], seed: int) -> dict[str, Any]:
    import numpy as np
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from voc.evaluate.metrics import pair_labels, pair_scores
    from voc.naming import PhraseNamer
    from voc.subthemes import find_subthemes

    t0 = time.perf_counter()
    model, tokens, emb = _fit(texts, 14, seed)
    fit_s = time.perf_counter() - t0
    themes = model.labels_
    t0 = time.perf_counter()
    namer = PhraseNamer(random_state=seed)
    names = namer.name(texts, themes)
    subs = find_subthemes(
        texts,
        tokens,
        emb,
        themes,
        theme_names={g: n.phrases for g, n in names.items()},
        namer=namer,
        random_state=seed,
    )
    extra_s = time.perf_counter() - t0
    pairs = pair_scores(themes, subs.assignments, leaf)
    theme_scores = _name_scores(texts, themes, names)
    # sub-theme names, each grounded in its own sub-theme's texts
    pair_ids = pair_labels(themes, subs.assignments)
    split = subs.assignments >= 0
    sub_names: dict[int, Any] = {}
    for row in subs.table.itertuples():
        members = np.flatnonzero((themes == row.theme_id) & (subs.assignments == row.subtheme))
        sub_names[int(pair_ids[members[0]])] = row
    from voc.evaluate.metrics import fragment_rate, name_groundedness

    sub_phrases = {g: r.phrases for g, r in sub_names.items()}
    sub_labels = np.where(split, pair_ids, -1)
    # a sub-theme's name is distinct when no sibling and not its theme shares it
    ok = 0
    for g, t in subs.table.groupby("theme_id"):
        seen = list(t.label)
        ok += sum(1 for lab in seen if seen.count(lab) == 1 and lab != names[int(g)].label)
    sub_distinct = ok / len(subs.table) if len(subs.table) else float("nan")
    t0 = time.perf_counter()
    flat, _, _ = _fit(texts, 54, seed, tokens)
    flat_s = time.perf_counter() - t0
    return {
        "seed": seed,
        "themes_nmi_top": normalized_mutual_info_score(top, themes),
        "themes_ari_top": adjusted_rand_score(top, themes),
        "pairs_nmi": pairs["nmi"],
        "pairs_ari": pairs["ari"],
        "n_pairs": pairs["n_pairs"],
        "flat54_nmi": normalized_mutual_info_score(leaf, flat.labels_),
        "flat54_ari": adjusted_rand_score(leaf, flat.labels_),
        "theme_grounded": theme_scores["grounded"],
        "theme_fragments": theme_scores["fragments"],
        "theme_distinct": theme_scores["distinct"],
        "sub_grounded": name_groundedness(sub_phrases, texts, sub_labels),
        "sub_fragments": fragment_rate(sub_phrases, texts, sub_labels),
        "sub_distinct": sub_distinct,
        "fit_s": fit_s,
        "names_subthemes_s": extra_s,
        "ratio": extra_s / fit_s,
        "flat_s": flat_s,
    }


_COLS = [
    ("seed", "seed", "{}"),
    ("themes_nmi_top", "themes NMI (top)", "{:.3f}"),
    ("themes_ari_top", "themes ARI (top)", "{:.3f}"),
    ("pairs_nmi", "pairs NMI (label)", "{:.3f}"),
    ("pairs_ari", "pairs ARI (label)", "{:.3f}"),
    ("n_pairs", "pairs", "{:.0f}"),
    ("flat54_nmi", "flat k=54 NMI", "{:.3f}"),
    ("flat54_ari", "flat k=54 ARI", "{:.3f}"),
    ("theme_grounded", "names grounded", "{:.0%}"),
    ("theme_fragments", "name fragments", "{:.0%}"),
    ("theme_distinct", "names distinct", "{:.0%}"),
    ("sub_grounded", "sub names grounded", "{:.0%}"),
    ("sub_fragments", "sub name fragments", "{:.0%}"),
    ("sub_distinct", "sub names distinct", "{:.0%}"),
    ("fit_s", "fit k=14 s", "{:.1f}"),
    ("names_subthemes_s", "names+sub-themes s", "{:.1f}"),
    ("ratio", "÷ fit", "{:.0%}"),
]


def table(rows: list[dict[str, Any]]) -> str:
    import numpy as np

    mean = {k: float(np.mean([r[k] for r in rows])) for k, _, _ in _COLS if k != "seed"}
    mean["seed"] = "mean"
    lines = ["| " + " | ".join(h for _, h, _ in _COLS) + " |", "|" + "---|" * len(_COLS)]
    for r in [*rows, mean]:
        lines.append("| " + " | ".join(f.format(r[k]) if k != "seed" else str(r[k]) for k, _, f in _COLS) + " |")
    return "\n".join(lines)


def show(path: Path, column: str, n_themes: Any, seed: int) -> None:
    """Print the theme names of one corpus beside their keywords."""
    import pandas as pd

    from voc.clean import normalize_text
    from voc.naming import PhraseNamer
    from voc.subthemes import find_subthemes

    raw = pd.read_csv(path)[column].dropna()
    texts = [t for t in (normalize_text(str(v)) for v in raw) if t]
    model, tokens, emb = _fit(texts, n_themes, seed)
    namer = PhraseNamer(random_state=seed)
    names = namer.name(texts, model.labels_)
    subs = find_subthemes(
        texts,
        tokens,
        emb,
        model.labels_,
        theme_names={g: n.phrases for g, n in names.items()},
        namer=namer,
        random_state=seed,
    )
    print(f"\n{path.name} ({column}, {len(texts):,} texts, n_themes={n_themes}, seed {seed})\n")
    print("| theme | size | name | coverage | keywords (before) | sub-themes |")
    print("|---|---|---|---|---|---|")
    for g in sorted(names):
        n = names[g]
        kw = "・".join(w for w, _ in model.keywords_[g][:3])
        t = subs.table[subs.table.theme_id == g]
        sub = "; ".join(f"{r.label} ({r.share:.0%})" for r in t.itertuples()) or "(whole)"
        cov = ", ".join(f"{c:.0%}" for c in n.coverage)
        print(f"| {g} | {int((model.labels_ == g).sum())} | {n.label} | {cov} | {kw} | {sub} |")


def scale(n: int, seed: int) -> None:
    """Seconds of names + sub-themes against ``voc report``'s wall time on the same generated export
    of *n* deals (its ``call_note`` column, as ``python -m bench`` runs it: a child process, one
    OpenMP/BLAS thread), in one run; names and sub-themes are computed here on the themes fitted
    as the report fits them (auto k, a 10,000-note sample, every note assigned)."""
    import os
    import tempfile

    import pandas as pd

    from bench import _data, _e2e
    from voc.clean import normalize_text
    from voc.naming import PhraseNamer
    from voc.subthemes import find_subthemes

    export, truth = _data.export(n, seed, Path(__file__).resolve().parent / "results" / "data")
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    with tempfile.TemporaryDirectory() as work:
        report_s = _e2e.run_voc(export, truth, Path(work), env=env)["wall_s"]
    texts = [t for t in (normalize_text(str(v)) for v in pd.read_csv(export)["call_note"].dropna()) if t]
    t0 = time.perf_counter()
    model, tokens, emb = _fit(texts, "auto", 42, fit_sample=None)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    namer = PhraseNamer(random_state=42, n_jobs=-1)
    names = namer.name(texts, model.labels_)
    names_s = time.perf_counter() - t0
    subs = find_subthemes(
        texts,
        tokens,
        emb,
        model.labels_,
        theme_names={g: n.phrases for g, n in names.items()},
        namer=namer,
        random_state=42,
    )
    extra_s = time.perf_counter() - t0
    print(
        f"\n{export.name}: {len(texts):,} call notes, {model.n_themes_} themes, {len(subs.table)} sub-themes. "
        f"voc report {report_s:.1f} s wall; here: fit (tokenize, embed, themes) {fit_s:.1f} s, names {names_s:.1f} s, "
        f"names + sub-themes {extra_s:.1f} s = {extra_s / report_s:.0%} of the report's wall time "
        f"({extra_s / fit_s:.0%} of the fit)"
    )


def main(argv: list[str] | None = None) -> None:
    import pandas as pd

    from voc.clean import normalize_text

    p = argparse.ArgumentParser(prog="python -m bench.subthemes", description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=SHARED / "asdc_food_subtopics.csv")
    p.add_argument("--seeds", default="42,0,1")
    p.add_argument("--show", action="store_true", help="also print the names on the sample corpus and ASDC requests")
    p.add_argument("--scale", type=int, default=0, help="instead: time names + sub-themes on this many generated notes")
    a = p.parse_args(argv)
    if a.scale:
        scale(a.scale, int(a.seeds.split(",")[0]))
        return
    if not a.data.exists():
        raise SystemExit(f"{a.data} does not exist: this benchmark needs ../shared/data (see its README)")
    seeds = [int(s) for s in a.seeds.split(",")]
    df = pd.read_csv(a.data)
    texts = [normalize_text(str(t)) for t in df["text"]]
    keep = [i for i, t in enumerate(texts) if t]
    texts = [texts[i] for i in keep]
    top = [str(df["top"].iloc[i]) for i in keep]
    leaf = [str(df["label"].iloc[i]) for i in keep]
    rows = []
    for seed in seeds:
        rows.append(run_seed(texts, top, leaf, seed))
        print(f"seed {seed} done", flush=True)
    print(f"\n`python -m bench.subthemes --seeds {a.seeds}` on {a.data.name} ({len(texts):,} texts)\n")
    print(table(rows))
    if a.show:
        root = Path(__file__).resolve().parents[1]
        show(root / "corpus" / "sample_crm_export.csv", "lost_reason", "auto", 42)
        show(SHARED / "asdc_food_requests.csv", "text", 20, 42)


if __name__ == "__main__":
    main()
