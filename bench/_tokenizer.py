"""Tokenizer throughput against a plain ``tagger.parse`` loop over the same texts, same process.

The candidates run interleaved, *rounds* times each, and each keeps its best round, so a burst of
load from other processes on a shared machine hurts every candidate alike instead of one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def _loop(f: Callable[[str], Any], texts: list[str]) -> Callable[[], Any]:
    def go() -> None:
        for t in texts:
            f(t)

    return go


def run(texts: list[str], *, rounds: int = 3, jobs: int = 2) -> dict[str, Any]:
    import fugashi

    from voc._tagger import FastTagger
    from voc.parallel import tokenize_parallel
    from voc.tokenize import Tokenizer

    tagger = fugashi.Tagger()
    fast = FastTagger()
    tok = Tokenizer()

    def nodes(text: str) -> list[tuple[str, str, str, str | None]]:
        return [(n.surface, n.feature.pos1, n.feature.pos2, n.feature.lemma) for n in tagger(text)]

    candidates: dict[str, Callable[[], Any]] = {
        "tagger.parse (reference)": _loop(tagger.parse, texts),
        "FastTagger.fields (4 fields/morpheme)": _loop(fast.fields, texts),
        "fugashi nodes → feature tuples": _loop(nodes, texts),
        "voc Tokenizer, 1 process": _loop(tok, texts),
        f"voc Tokenizer, {jobs} processes": lambda: tokenize_parallel(tok, texts, n_jobs=jobs, min_texts_per_job=1),
    }
    for f in (tagger.parse, fast.fields, nodes, tok):  # warm up: dictionaries, caches
        f(texts[0])
    best = {name: float("inf") for name in candidates}
    for _ in range(rounds):
        for name, go in candidates.items():
            t0 = time.perf_counter()
            go()
            best[name] = min(best[name], time.perf_counter() - t0)
    ref = best["tagger.parse (reference)"]
    one = best["voc Tokenizer, 1 process"]
    rows = [
        {"name": name, "seconds": s, "texts_per_s": len(texts) / s, "vs_parse": ref / s} for name, s in best.items()
    ]
    return {
        "texts": len(texts),
        "mean_chars": sum(map(len, texts)) / len(texts),
        "rounds": rounds,
        "jobs": jobs,
        "rows": rows,
        "ratio_1proc": ref / one,
        "speedup_jobs": one / best[f"voc Tokenizer, {jobs} processes"],
    }
