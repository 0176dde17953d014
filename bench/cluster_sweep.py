"""How sensitive is ``consensus-em`` to its settings? NMI, ARI and seed stability per setting.

The embeddings of each seed are computed once and every setting clusters the same ones, so the
differences come from the clustering alone. Used for the statement in docs/quality.md that the EM settings
are not fragile.

    python -m bench.cluster_sweep FILE --text-column text --label-column label
    python -m bench.cluster_sweep corpus/sample_crm_export.csv --text-column lost_reason \\
        --label-file corpus/sample_crm_export.truth.csv --label-column lost_reason_theme --ignore-label none
"""

from __future__ import annotations

import itertools
import time

SETTINGS = [
    {"kappa": 10.0, "beta": 0.5, "temperature": 2.0},  # the default
    {"kappa": 10.0, "beta": 0.5, "temperature": 0.0},  # hard EM (voc 0.2)
    {"kappa": 10.0, "beta": 0.5, "temperature": 1.0},  # plain soft EM
    {"kappa": 10.0, "beta": 0.5, "temperature": 3.0},
    {"kappa": 10.0, "beta": 0.5, "temperature": 4.0},
    {"kappa": 5.0, "beta": 0.5, "temperature": 2.0},
    {"kappa": 20.0, "beta": 0.5, "temperature": 2.0},
    {"kappa": 10.0, "beta": 0.1, "temperature": 2.0},
    {"kappa": 10.0, "beta": 1.0, "temperature": 2.0},
    {"kappa": 10.0, "beta": 0.5, "temperature": 2.0, "n_runs": 60},
    {"kappa": 10.0, "beta": 0.5, "temperature": 2.0, "run_dims": None},
    {"kappa": 10.0, "beta": 0.5, "temperature": 2.0, "run_max_iter": 300},  # converged runs (to 61dc91b)
]


def main(argv: list[str] | None = None) -> None:
    import numpy as np
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from bench._labeled import parser, read
    from voc.embed import make_embedder
    from voc.themes.cluster import ConsensusEMClusterer
    from voc.tokenize import Tokenizer

    a = parser("python -m bench.cluster_sweep", __doc__.splitlines()[0]).parse_args(argv)
    texts, labels = read(a)
    tokens = Tokenizer().tokenize_many(texts)
    gold = np.asarray(labels)
    k = len(set(labels))
    seeds = [int(s) for s in a.seeds.split(",")]
    embeddings = {s: make_embedder("lsa+chive", random_state=s).fit_transform(texts, tokens) for s in seeds}
    print(f"{a.input}: {len(texts):,} texts, k = {k}\n")
    print("| setting | NMI | ARI | seed stability | seconds per fit |\n|---|---|---|---|---|")
    for setting in SETTINGS:
        preds, seconds = [], []
        for s in seeds:
            t0 = time.perf_counter()
            preds.append(ConsensusEMClusterer(k, random_state=s, **setting).fit_predict(embeddings[s], tokens=tokens))
            seconds.append(time.perf_counter() - t0)
        nmi = np.mean([normalized_mutual_info_score(gold, y) for y in preds])
        ari = np.mean([adjusted_rand_score(gold, y) for y in preds])
        stab = np.mean([adjusted_rand_score(x, y) for x, y in itertools.combinations(preds, 2)])
        name = ", ".join(f"{key}={value}" for key, value in setting.items())
        print(f"| {name} | {nmi:.3f} | {ari:.3f} | {stab:.3f} | {np.mean(seconds):.1f} |", flush=True)


if __name__ == "__main__":
    main()
