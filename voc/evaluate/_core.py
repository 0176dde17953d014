"""Fit and score: :func:`evaluate`, the library call behind ``voc evaluate``."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from voc.errors import ConfigError, InputError
from voc.evaluate import _run
from voc.evaluate._table import COLUMNS, EvaluationResult
from voc.evaluate.metrics import npmi_coherence, pair_scores, topic_diversity
from voc.evaluate.references import BASELINES, SUPERVISED
from voc.types import Clustering, NThemes, Reduction, choices, one_of, parse_n_themes

__all__ = ["evaluate", "METHODS"]

log = logging.getLogger(__name__)

#: Methods in the order they are reported; ``voc`` is the configured ThemeModel, ``supervised`` the
#: optional supervised reference (:func:`voc.evaluate.references.supervised_labels`).
METHODS = ("voc", *BASELINES, SUPERVISED)


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [v.strip() for v in items if v.strip()]


def _is_label(y: str) -> bool:
    return bool(y.strip()) and y.lower() != "nan"


def evaluate(
    texts: Sequence[str], labels: Sequence[Any], *, n_themes: NThemes | str | Sequence[NThemes] | None = None,
    seeds: Sequence[int] = (0, 1, 2), embedding: str | Sequence[str] | None = None,
    reduction: str | Sequence[str] | None = None, clustering: str | Sequence[str] | None = None,
    baselines: bool | Sequence[str] = True, supervised: bool = False, top_n: int = 10, tokenizer: Any = None,
    jobs: int = 1, unlabeled: str = "drop", sublabels: Sequence[Any] | None = None,
) -> EvaluationResult:
    """Fit voc's themes (and the baselines) on labeled *texts* and measure them.

    Parameters
    ----------
    texts : sequence of str
        Raw texts; they are normalized like ``voc report`` does.
    labels : sequence
        Gold label of each text (same length).
    n_themes : int, "auto", a sequence of them, or None
        ``None`` (default) uses the number of distinct labels. Several values (a list or a
        comma-separated string such as ``"40,60"``) compare those numbers of themes in one run, on
        the same embeddings; the rows are then named ``voc:<embedding>/k=<k>``. The baselines use
        the first value; in ``"auto"`` mode, the number of themes voc found for the same seed.
    seeds : sequence of int
    embedding, reduction : str or sequence of str, optional
        Override the configured defaults (:class:`voc.config.Config`). Several values (a list or a
        comma-separated string) compare every combination in one run; the rows are then named
        ``voc:<embedding>`` (``+umap`` when reduced), and in auto mode the baselines use the number
        of themes found by the first combination.
    clustering : str or sequence of str, optional
        Override the configured clustering (:data:`voc.types.Clustering`); several compare.
    baselines : bool or sequence of str
        Also fit TF-IDF + k-means, TF-IDF + NMF and LDA (``True``), none, or those named; at each
        number of themes when several are compared (rows ``<baseline>/k=<k>``).
    supervised : bool
        Also report the supervised reference (row ``supervised``): a logistic regression told the
        labels, 5-fold cross-validated, on the first variant's embedding plus TF-IDF over the
        tokens (:func:`voc.evaluate.references.supervised_labels`). It shows how far the representation
        separates the labels at all; it is not a clustering, and its coherence and diversity are
        blank.
    top_n : int
        Keywords per theme used for coherence and diversity.
    jobs : int
        Seeds fitted in parallel worker processes (results are the same as with 1).
    unlabeled : {"drop", "fit"}
        What to do with texts whose label is blank: ``"drop"`` (default) leaves them out;
        ``"fit"`` fits the themes on every text and scores NMI, ARI and V-measure on the labeled
        ones only, as when a sample of an export has been labeled by hand (or a ground truth, like
        the call notes' concern, exists for some notes only). The unassigned share, the number of
        themes, coherence and stability are measured on every fitted text.
    sublabels : sequence, optional
        A finer gold label of each text (same length; e.g. the leaves under each label). Each voc
        variant's themes are then split into sub-themes (:func:`voc.subthemes.find_subthemes`), and
        their (theme, sub-theme) pairs scored against these (``sub_nmi``, ``sub_ari``, ``n_pairs``;
        :func:`voc.evaluate.metrics.pair_scores`); and each seed also fits the first variant flat at the
        number of distinct sub-labels (row ``voc/flat-k=<k>``), scored against them in the same
        columns: whether two levels cost anything against one level of the same detail. Texts
        with a blank sub-label are left out of these scores. ``nmi`` and ``ari`` stay scored
        against *labels*.

    Every voc fit's themes are named by :class:`voc.naming.PhraseNamer` and the names measured
    (:mod:`voc.evaluate.metrics`; columns ``grounded``, ``fragments``, ``distinct`` of
    :class:`EvaluationResult`); the baselines' and the supervised reference's are blank.

    Returns
    -------
    EvaluationResult
    """
    texts, _, scored, gold_scored, n_labels, sub_scored, sub_gold, n_sublabels = _gold(texts, labels, sublabels, unlabeled)
    if not seeds:
        raise InputError("give at least one seed")
    ks, embeddings_, reductions, clusterings, variants = _variants(n_themes, n_labels, embedding, reduction, clustering)
    names = {v: _run.variant_name(v, variants) for v in variants}
    tokenizer, tokens = _tokenize(texts, tokenizer)
    args = (texts, tokens, variants, names, tokenizer, top_n, _chosen_baselines(baselines),
            (gold_scored, scored) if supervised else None, n_sublabels)
    runs = _run_seeds(seeds, args, jobs)
    gold = _Gold(scored, gold_scored, sub_scored, sub_gold, n_sublabels)
    table = _table(seeds, runs, tokens, gold, _order(variants, names, n_sublabels))
    settings = _settings(n_themes, ks, seeds, embeddings_, reductions, clusterings, gold, unlabeled)
    return EvaluationResult(table=table, n_documents=len(texts), n_labels=n_labels, settings=settings)


def _tokenize(texts: list[str], tokenizer: Any) -> tuple[Any, list[list[str]]]:
    """The tokenizer (:class:`voc.tokenize.Tokenizer` when None) and each text's tokens."""
    from voc.tokenize import Tokenizer

    tokenizer = tokenizer or Tokenizer()
    t0 = time.perf_counter()
    tokens = tokenizer.tokenize_many(texts)
    log.info("tokenized %d texts in %.1fs", len(texts), time.perf_counter() - t0)
    return tokenizer, tokens


@dataclass
class _Gold:
    """What the fits are scored against (:func:`_gold`): which texts have a label and their labels,
    the same for the sub-labels, and the number of distinct sub-labels (None without them)."""

    scored: np.ndarray
    labels: list[str]
    sub_scored: np.ndarray
    sub_labels: list[str]
    n_sublabels: int | None


def _run_seeds(seeds: Sequence[int], args: tuple[Any, ...], jobs: int) -> list[list[_run.Fit]]:
    """Every seed's fits (:func:`voc.evaluate._run.run_seed`), in worker processes when *jobs* > 1."""
    if jobs > 1 and len(seeds) > 1:
        from joblib import Parallel, delayed

        return Parallel(n_jobs=min(jobs, len(seeds)))(delayed(_run.run_seed)(seed, *args, n_jobs=1) for seed in seeds)
    return [_run.run_seed(seed, *args) for seed in seeds]


def _order(variants: list[_run.Variant], names: dict[_run.Variant, str], n_sublabels: int | None) -> list[str]:
    """The methods in the order the table reports them: voc's variants, the flat fit, the baselines
    at each number of themes, the supervised reference."""
    ks_ = _run.distinct_ks(variants)
    flat = [_run.flat_name(names[variants[0]], n_sublabels)] if n_sublabels is not None else []
    return [
        *(names[v] for v in variants), *flat, *(_run.baseline_name(b, k, ks_) for k in ks_ for b in BASELINES), SUPERVISED
    ]


def _score(seed: int, fit: _run.Fit, tokens: list[list[str]], gold: _Gold) -> dict[str, Any]:
    """One row of the table: *fit* (one method, one seed) scored against *gold*."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, v_measure_score

    pred, scored = fit.labels, gold.scored
    row: dict[str, Any] = {
        "method": fit.method,
        "seed": str(seed),
        "nmi": normalized_mutual_info_score(gold.labels, pred[scored]),
        "ari": adjusted_rand_score(gold.labels, pred[scored]),
        "v_measure": v_measure_score(gold.labels, pred[scored]),
        "unassigned": float(np.mean(pred < 0)),
        "n_themes": float(len(set(pred[pred >= 0].tolist()))),
        "coherence": npmi_coherence(fit.topics, tokens),
        "diversity": topic_diversity(fit.topics),
        **fit.naming,
        "seconds": fit.seconds,
    }
    if gold.n_sublabels is not None and (fit.subthemes is not None or fit.flat):
        # the flat fit is one level: each theme is its own pair
        within = fit.subthemes if fit.subthemes is not None else np.full(len(pred), -1)
        pairs = pair_scores(pred[gold.sub_scored], within[gold.sub_scored], gold.sub_labels)
        row.update(sub_nmi=pairs["nmi"], sub_ari=pairs["ari"], n_pairs=float(pairs["n_pairs"]))
    return row


def _table(
    seeds: Sequence[int], runs: list[list[_run.Fit]], tokens: list[list[str]], gold: _Gold, order: Sequence[str]
) -> Any:
    """:attr:`EvaluationResult.table`: one row per fit and seed, each method's mean row first."""
    import pandas as pd

    rows: list[dict[str, Any]] = []
    assignments: dict[str, list[np.ndarray]] = {}
    for seed, fits in zip(seeds, runs, strict=True):
        for fit in fits:
            assignments.setdefault(fit.method, []).append(fit.labels)
            rows.append(_score(seed, fit, tokens, gold))
    return _with_means(pd.DataFrame(rows).reindex(columns=["method", "seed", *COLUMNS]), order, assignments)


def _settings(
    n_themes: Any, ks: list[Any], seeds: Sequence[int], embeddings_: list[str], reductions: list[str],
    clusterings: list[str], gold: _Gold, unlabeled: str,
) -> dict[str, Any]:
    """:attr:`EvaluationResult.settings`: what was compared, and how the texts were scored."""
    settings: dict[str, Any] = {
        "n_themes": "labels" if n_themes is None else ",".join(str(k) for k in ks),
        "seeds": list(seeds),
        "embedding": ",".join(embeddings_),
        "reduction": ",".join(reductions),
        "clustering": ",".join(clusterings),
    }
    if gold.n_sublabels is not None:
        settings["sublabels"] = gold.n_sublabels
    if unlabeled == "fit":
        settings["unlabeled"] = "fit"
        settings["scored"] = int(gold.scored.sum())
    return settings


def _gold(texts: Sequence[str], labels: Sequence[Any], sublabels: Sequence[Any] | None, unlabeled: str) -> tuple[Any, ...]:
    """The texts to fit and their gold labels: normalized texts, labels, which texts are scored,
    the scored labels, their number, and the same for the sub-labels (:func:`evaluate`)."""
    from voc.clean import normalize_text

    if unlabeled not in ("drop", "fit"):
        raise ConfigError(f"unlabeled must be 'drop' or 'fit', got {unlabeled!r}")
    texts = [normalize_text(str(t)) for t in texts]
    gold = [str(y) for y in labels]
    if len(texts) != len(gold):
        raise InputError(f"{len(texts)} texts but {len(gold)} labels")
    sub = None if sublabels is None else [str(y) for y in sublabels]
    if sub is not None and len(sub) != len(texts):
        raise InputError(f"{len(texts)} texts but {len(sub)} sub-labels")
    labeled = [_is_label(y) for y in gold]
    keep = [i for i, t in enumerate(texts) if t and (labeled[i] or unlabeled == "fit")]
    texts, gold = [texts[i] for i in keep], [gold[i] for i in keep]
    scored = np.array([labeled[i] for i in keep], dtype=bool)  # the texts the scores are computed on
    gold_scored = [y for y, s in zip(gold, scored, strict=True) if s]
    n_labels = len(set(gold_scored))
    if n_labels < 2:
        raise InputError(f"the label column has {n_labels} distinct value(s) among non-empty texts; need ≥ 2")
    sub_scored = np.zeros(len(texts), dtype=bool)  # the texts the sub-theme scores are computed on
    sub_gold: list[str] = []
    n_sublabels = None
    if sub is not None:
        sub = [sub[i] for i in keep]
        sub_scored = np.array([_is_label(y) for y in sub], dtype=bool) & scored
        sub_gold = [y for y, s in zip(sub, sub_scored, strict=True) if s]
        n_sublabels = len(set(sub_gold))
        if n_sublabels < 2:
            raise InputError(
                f"the sub-label column has {n_sublabels} distinct value(s) among labeled texts; need ≥ 2"
            )
    return texts, gold, scored, gold_scored, n_labels, sub_scored, sub_gold, n_sublabels


def _variants(
    n_themes: Any, n_labels: int, embedding: Any, reduction: Any, clustering: Any
) -> tuple[list[Any], list[str], list[str], list[str], list[Any]]:
    """The numbers of themes and every (embedding, clustering, reduction, k) combination to fit,
    each checked (:func:`evaluate`)."""
    from voc.config import ModelConfig
    from voc.embed import available_embedders

    if n_themes is None:
        ks: list[Any] = [n_labels]
    elif isinstance(n_themes, (str, int)) and not isinstance(n_themes, bool):
        ks = [parse_n_themes(v) for v in _as_list(str(n_themes))]
    else:
        ks = [parse_n_themes(v) for v in n_themes]
    if not ks or len(set(ks)) != len(ks):
        raise ConfigError(f"n_themes must name each number of themes once, got {n_themes!r}")
    defaults = ModelConfig()
    embeddings_ = _as_list(embedding) or [defaults.embedding]
    reductions = _as_list(reduction) or [defaults.reduction]
    clusterings = _as_list(clustering) or [defaults.clustering]
    variants = [(e, c, r, k) for e, c, r in itertools.product(embeddings_, clusterings, reductions) for k in ks]
    for emb_name, clu, red, _ in variants:
        if clu not in choices(Clustering):
            raise ConfigError(f"clustering must be one of {one_of(Clustering)}, got {clu!r}")
        if emb_name not in available_embedders() and not emb_name.startswith("sentence-transformers:"):
            raise ConfigError(f"embedding must be one of {available_embedders()}, got {emb_name!r}")
        if red not in choices(Reduction):
            raise ConfigError(f"reduction must be one of {one_of(Reduction)}, got {red!r}")
    return ks, embeddings_, reductions, clusterings, variants


def _chosen_baselines(baselines: bool | Sequence[str]) -> list[str]:
    """The baselines to fit: all, none or those named, in :data:`BASELINES` order."""
    if baselines is True or baselines is False:
        return list(BASELINES) if baselines else []
    chosen = [b for b in BASELINES if b in set(baselines)]
    if len(chosen) != len(set(baselines)):
        raise ConfigError(f"baselines must be among {BASELINES}, got {list(baselines)!r}")
    return chosen


def _with_means(table: Any, order: Sequence[str], assignments: dict[str, list[np.ndarray]]) -> Any:
    """*table* (one row per method and seed) with a ``mean`` row per method first, in *order*;
    ``stability`` is the mean ARI between the seeds' assignments."""
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score

    means = []
    for method in order:
        part = table[table["method"] == method]
        if part.empty:
            continue
        mean = {"method": method, "seed": "mean", **{m: float(part[m].mean()) for m in COLUMNS if m != "stability"}}
        pairs = list(itertools.combinations(assignments[method], 2))
        mean["stability"] = float(np.mean([adjusted_rand_score(a, b) for a, b in pairs])) if pairs else float("nan")
        means.append(mean)
    return pd.concat([pd.DataFrame(means).reindex(columns=table.columns), table], ignore_index=True)
