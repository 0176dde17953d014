"""The fits of one seed of ``voc evaluate``: voc's variants (named, and split into sub-themes when
sub-labels are given), the flat fit at the number of sub-labels, the baselines and the supervised
reference. :func:`run_seed` runs in a worker process with ``jobs > 1``; it returns plain data
(:class:`Fit`), scored by :func:`voc.evaluate.evaluate`."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from voc.evaluate.references import SUPERVISED, fit_baseline, supervised_labels

__all__ = ["Fit", "Variant", "run_seed", "variant_name", "flat_name", "baseline_name", "distinct_ks"]

log = logging.getLogger(__name__)

#: One configuration of voc in an evaluation: (embedding, clustering, reduction, number of themes).
Variant = tuple[str, str, str, Any]


@dataclass
class Fit:
    """One method's fit for one seed.

    Attributes
    ----------
    method : str
        Row name (``voc``, ``voc/flat-k=54``, ``tfidf+kmeans`` …).
    labels : ndarray of shape (n_documents,)
        Theme of each fitted text (``-1`` unassigned).
    topics : list of list of str
        Keywords of each theme (for coherence and diversity).
    seconds : float
        Embedding and fit time (naming and sub-themes not included).
    naming : dict
        ``grounded``, ``fragments``, ``distinct`` of the themes' phrase names (voc's fits only).
    subthemes : ndarray of shape (n_documents,), optional
        Sub-theme of each text within its theme, ``-1`` when its theme is not split
        (:func:`voc.subthemes.find_subthemes`; voc's variants, with sub-labels only).
    flat : bool
        The flat fit at the number of sub-labels: scored against the sub-labels as one level.
    """

    method: str
    labels: np.ndarray
    topics: list[list[str]]
    seconds: float
    naming: dict[str, float] = field(default_factory=dict)
    subthemes: np.ndarray | None = None
    flat: bool = False


def variant_name(variant: Variant, variants: Sequence[Variant]) -> str:
    """``voc`` for a single configuration, else ``voc:<embedding>[/<clustering>][+umap][/k=K]``
    (the clustering and the number of themes are named when several are compared)."""
    if len(variants) == 1:
        return "voc"
    emb, clu, red, k = variant
    several_clusterings = len({v[1] for v in variants}) > 1
    several_ks = len({v[3] for v in variants}) > 1
    return (
        f"voc:{emb}" + (f"/{clu}" if several_clusterings else "") + ("" if red == "none" else f"+{red}")
        + (f"/k={k}" if several_ks else "")
    )


def flat_name(first: str, k: int) -> str:
    """``voc/flat-k=54``: the first variant's name (without its ``/k=…``) fitted flat at *k* themes."""
    return f"{first.split('/k=')[0]}/flat-k={k}"


def distinct_ks(variants: Sequence[Variant]) -> list[Any]:
    return list(dict.fromkeys(v[3] for v in variants))


def baseline_name(method: str, k: Any, ks: Sequence[Any]) -> str:
    """``tfidf+kmeans`` for one number of themes, ``tfidf+kmeans/k=40`` when several are compared."""
    return method if len(ks) == 1 else f"{method}/k={k}"


def name_figures(texts: list[str], labels: np.ndarray, names: dict[int, Any]) -> dict[str, float]:
    """Measure the names of the groups of *labels* (*names*: ``{group: voc.naming.ThemeName}``,
    :mod:`voc.evaluate.metrics`): ``{"grounded", "fragments", "distinct"}``."""
    from voc.evaluate.metrics import distinct_names, fragment_rate, name_groundedness

    phrases = {g: tuple(n.phrases) for g, n in names.items()}
    return {
        "grounded": name_groundedness(phrases, texts, labels),
        "fragments": fragment_rate(phrases, texts, labels),
        "distinct": distinct_names([n.label for n in names.values()]),
    }


def run_seed(
    seed: int,
    texts: list[str],
    tokens: list[list[str]],
    variants: list[Variant],
    names: dict[Variant, str],
    tokenizer: Any,
    top_n: int,
    baselines: list[str],
    supervised: tuple[list[str], np.ndarray] | None = None,
    sub_k: int | None = None,
    n_jobs: int | None = -1,
) -> list[Fit]:
    """Every fit of one seed.

    Each voc variant is fitted on its embedding (several k on one embedding embed once) and its
    themes named by :class:`voc.naming.PhraseNamer`. With *sub_k* (the number of distinct
    sub-labels) each variant's themes are split (:func:`voc.subthemes.find_subthemes`, on that
    fit's embeddings and tokens, avoiding the themes' own names), and the first variant is also
    fitted flat at *sub_k* themes on the same embedding (:func:`flat_name`). The baselines are
    fitted at each number of themes compared (in auto mode: the number the first variant in that
    mode found), named ``<baseline>/k=<k>`` when there are several. *supervised* (gold labels of
    the scored texts, and which texts are scored) adds the supervised reference on the first
    variant's embedding. *n_jobs*: threads of the sub-theme splits (results do not depend on it).
    """
    fits, found, embedded = _fit_voc(seed, texts, tokens, variants, names, tokenizer, top_n, sub_k, n_jobs)
    fits += _fit_baselines(seed, tokens, variants, found, baselines, top_n)
    if supervised is not None:
        gold, scored = supervised
        _, emb, embed_seconds = embedded[variants[0][0]]
        t0 = time.perf_counter() - embed_seconds
        pred_s = supervised_labels(emb, tokens, gold, scored, seed)
        fits.append(Fit(SUPERVISED, np.asarray(pred_s), [], time.perf_counter() - t0))
    return fits


def _fit_voc(
    seed: int, texts: list[str], tokens: list[list[str]], variants: list[Variant], names: dict[Variant, str],
    tokenizer: Any, top_n: int, sub_k: int | None, n_jobs: int | None,
) -> tuple[list[Fit], list[int], dict[str, tuple[Any, np.ndarray, float]]]:
    """voc's fits of one seed (:func:`run_seed`): each variant, then the flat fit at *sub_k*; with
    the number of themes each variant found and each embedding (embedder, vectors, seconds)."""
    from voc.analysis import ThemeAnalysis
    from voc.naming import PhraseNamer
    from voc.themes import ThemeModel

    fits = []
    found = []
    namer = PhraseNamer(random_state=seed)  # memoizes each text's parse: the sub-themes reuse it
    embedded: dict[str, tuple[Any, np.ndarray, float]] = {}
    runs = [(v, names[v], v[3], False) for v in variants]
    if sub_k is not None:
        runs.append((variants[0], flat_name(names[variants[0]], sub_k), sub_k, True))
    for variant, name, k_fixed, flat in runs:
        emb_name, clu, red, _ = variant
        embedder, emb, embed_seconds = _embedded(embedded, emb_name, texts, tokens, seed)
        model = ThemeModel(
            n_themes=k_fixed,
            embedding=emb_name,
            clustering=clu,  # type: ignore[arg-type]
            reduction=red,  # type: ignore[arg-type]
            tokenizer=tokenizer,
            top_n_words=top_n,
            random_state=seed,
        )
        # the fitted theme numbers (no stable ids); sub-themes only against sub-labels, not for the flat fit
        analysis = ThemeAnalysis(model, match=False, subthemes=sub_k is not None and not flat, namer=namer,
                                 describe=False, random_state=seed, n_jobs=n_jobs)
        analysis.fit(texts, tokens=tokens, embeddings=emb, embedder=embedder)
        pred = np.asarray(analysis.labels_)
        fitted = analysis.model_
        topics = [[w for w, _ in fitted.keywords_[t]][:top_n] for t in sorted(fitted.keywords_)]
        seconds = embed_seconds + analysis.timings_["themes"]  # each row's seconds include the embedding
        log.info("seed %d: %s found %d themes", seed, name, fitted.n_themes_)
        figures = name_figures(texts, pred, analysis.phrases_)
        subs = analysis.subtheme_labels_ if analysis.subthemes_ is not None else None
        fits.append(Fit(name, pred, topics, seconds, naming=figures, subthemes=subs, flat=flat))
        if not flat:
            found.append(fitted.n_themes_)
    return fits, found, embedded


def _embedded(
    embedded: dict[str, tuple[Any, np.ndarray, float]], emb_name: str, texts: list[str], tokens: list[list[str]],
    seed: int,
) -> tuple[Any, np.ndarray, float]:
    """The texts embedded by *emb_name* (embedder, vectors, seconds), fitted once per seed and kept
    in *embedded*: several variants on one embedding embed once."""
    from voc.embed import make_embedder

    if emb_name not in embedded:
        t0 = time.perf_counter()
        embedder = make_embedder(emb_name, random_state=seed)
        emb = embedder.fit_transform(texts, tokens)
        embedded[emb_name] = (embedder, emb, time.perf_counter() - t0)
    return embedded[emb_name]


def _fit_baselines(
    seed: int, tokens: list[list[str]], variants: list[Variant], found: list[int], baselines: list[str], top_n: int
) -> list[Fit]:
    """The baselines of one seed at each number of themes compared (in auto mode: the number the
    first variant in that mode found, *found*)."""
    fits = []
    ks = distinct_ks(variants)
    for k_fixed in ks:
        first = next(i for i, v in enumerate(variants) if v[3] == k_fixed)
        k = k_fixed if k_fixed != "auto" else max(2, found[first])
        for method in baselines:
            t0 = time.perf_counter()
            pred_b, topics_b = fit_baseline(method, tokens, int(k), seed, top_n)
            fits.append(Fit(baseline_name(method, k_fixed, ks), np.asarray(pred_b), topics_b, time.perf_counter() - t0))
    return fits
