"""Sub-themes: split each theme's texts into the groups it holds, or leave it whole.

For one theme (:func:`split_theme`): its members' embeddings are centred on the theme, projected
on their top principal components and L2-normalized, so that what the members share no longer
dominates. The number of sub-themes is chosen in two steps. First the gap (Tibshirani, Walther &
Hastie 2001): for each candidate k, how much tighter k-means makes the members' k groups than those
of a Gaussian null, a cloud with the theme's own variance along each component and no groups; a
theme where no k is clearly tighter is left whole. Then stability, as :func:`voc.themes._autok.choose_k`
chooses the number of themes: k-means on eight random 80% subsets of (up to) ``sample`` members,
mean pairwise ARI of their labelings of the sample. Stability alone cannot say "do not split" (a
single elongated cloud is cut the same way by every subset), so it is measured on the null too;
of the tight candidates, k is the one whose stability beats the null's by the most, and the theme
is split only when that gain is at least ``min_gain``. The many small k-means fits run in
:mod:`voc.subthemes._smallkmeans`. Members are then assigned by k-means (several restarts) on all of them. Everything is seeded: the same input and seed give the same
sub-themes.

:func:`find_subthemes` does this for every theme, names each sub-theme with a
:class:`voc.naming.Namer` (distinct from its siblings and from the theme's own name), and adds its
size, share of the theme, c-TF-IDF keywords against its siblings and the members nearest its centre
as quotes. It returns plain data (:class:`Subthemes`); top-level assignments are not changed.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from voc.errors import ConfigError

__all__ = ["Subthemes", "Split", "find_subthemes", "split_theme", "subtheme_keywords"]

log = logging.getLogger(__name__)

#: Principal components the split sees (fewer for small themes).
DIMS = 32
#: Random 80% subsets clustered per candidate k. Eight, not autok's three: with three the chosen
#: splits moved with the k-means seeding (ASDC meal requests, 3 seeds: pairs ARI 0.486 with
#: scikit-learn's seeding, 0.455 with :mod:`voc.subthemes._smallkmeans`'s), and a planted two-group theme of
#: 60 texts was split in two at 3 of 4 seeds with eight subsets, 2 of 4 with five.
SUBSETS = 8


@dataclass
class Split:
    """How one theme was split (:func:`split_theme`).

    Attributes
    ----------
    labels : ndarray of shape (n_members,)
        Sub-theme of each member, ``0 .. k-1`` numbered by size (largest first); all ``-1`` when
        the theme is left whole.
    k : int
        Sub-themes (0 when left whole).
    stability, null_stability : dict[int, float]
        Mean pairwise ARI of each candidate k on the theme and on its Gaussian null (empty when
        no candidate's gap reached ``min_gap``: the stability was not measured).
    gaps : dict[int, float]
        Gap of each candidate k (see :func:`split_theme`).
    reason : str
        Why the theme was split or not, in plain words (for logs and run records).
    """

    labels: np.ndarray
    k: int
    stability: dict[int, float] = field(default_factory=dict)
    null_stability: dict[int, float] = field(default_factory=dict)
    gaps: dict[int, float] = field(default_factory=dict)
    reason: str = ""


@dataclass
class Subthemes:
    """Sub-themes of every theme (:func:`find_subthemes`).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per sub-theme: ``theme_id``, ``subtheme`` (0, 1, … within the theme, largest
        first), ``label`` (its name), ``phrases`` (list of str), ``size``, ``share`` (of the
        theme's texts), ``keywords`` (list of str, best first), ``quotes`` (list of str, most
        central first). Themes left whole have no rows.
    assignments : ndarray of shape (n_documents,)
        Sub-theme of each document within its theme; ``-1`` when its theme is not split or the
        document has no theme.
    splits : dict[int, Split]
        Per theme, the stability behind the choice.
    """

    table: Any
    assignments: np.ndarray
    splits: dict[int, Split] = field(default_factory=dict)


def _project(X: np.ndarray, dims: int) -> tuple[np.ndarray, np.ndarray]:
    """Members centred, on their top *dims* principal components (scores, not normalized), and the
    components' standard deviations. From the eigenvectors of the covariance matrix (dim × dim):
    much faster than a randomized SVD of the members for the few hundred dimensions of voc's
    embeddings, and exact."""
    X = np.asarray(X, dtype=np.float64)
    Xc = X - X.mean(axis=0)
    d = int(min(dims, X.shape[1], len(X) - 1))
    values, vectors = np.linalg.eigh(Xc.T @ Xc / max(1, len(X) - 1))
    top = np.argsort(-values, kind="stable")[:d]
    return Xc @ vectors[:, top], np.sqrt(np.maximum(values[top], 0.0))


def _stability(sample: np.ndarray, ks: list[int], subsets: list[np.ndarray], seed: int) -> dict[int, float]:
    """Mean pairwise ARI, for each k of *ks*, of the labelings of *sample* by k-means fitted on each
    of the index arrays *subsets* (seed ``seed + r`` for the r-th), as
    :func:`voc.themes._autok.subset_stability` measures it, with :mod:`voc.subthemes._smallkmeans`."""
    from voc.subthemes._smallkmeans import adjusted_rand, kmeans

    out = {}
    for k in ks:
        runs = [kmeans(sample[s], k, seed + r).predict(sample) for r, s in enumerate(subsets)]
        pairs = [(a, b) for a in range(len(runs)) for b in range(a + 1, len(runs))]
        out[k] = float(np.mean([adjusted_rand(runs[a], runs[b]) for a, b in pairs]))
    return out


def _gap(scores: np.ndarray, sd: np.ndarray, k: int, seed: int) -> float:
    """``log(inertia of k-means on a Gaussian null) − log(inertia of k-means on the members)``, both
    on the leading k − 1 principal components (k groups differ in at most k − 1 directions); the
    null has the members' standard deviations *sd* along them, drawn from ``default_rng([seed, k])``."""
    from voc.subthemes._smallkmeans import kmeans

    m = k - 1
    null = np.random.default_rng([int(seed), int(k)]).standard_normal((len(scores), m)) * sd[:m]
    with np.errstate(divide="ignore"):  # members in k exact groups (repeated texts): log 0, an infinite gap
        return float(np.log(kmeans(null, k, seed).inertia) - np.log(kmeans(scores[:, :m], k, seed).inertia))


def _distinct_rows(X: np.ndarray, limit: int, chunk: int = 8192) -> int:
    """The number of distinct rows of *X*, counted up to *limit* (more: *limit*)."""
    X = np.ascontiguousarray(X)
    rows = X.view(np.dtype((np.void, X.dtype.itemsize * X.shape[1]))).ravel() if X.ndim == 2 else X
    seen: set[bytes] = set()
    for start in range(0, len(rows), chunk):
        seen.update(v.tobytes() for v in np.unique(rows[start:start + chunk]))
        if len(seen) >= limit:
            return limit
    return len(seen)


def _normalize(Z: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(Z, axis=1, keepdims=True)
    return np.ascontiguousarray(np.divide(Z, norms, out=np.zeros_like(Z), where=norms > 0), dtype=np.float32)


def split_theme(
    embeddings: np.ndarray,
    tokens: Sequence[Sequence[str]] | None = None,
    *,
    max_subthemes: int = 6,
    min_size: int = 15,
    min_gain: float = 0.1,
    min_gap: float = 0.3,
    sample: int = 600,
    random_state: int = 42,
    n_jobs: int | None = -1,
) -> Split:
    """Split one theme's members (*embeddings*, one row each; *tokens*, their tokens) into
    sub-themes, or not.

    Candidates are k = 2 … *max_subthemes*, at most ``n // min_size`` (each sub-theme should be
    able to hold *min_size* texts) and fewer than the members' distinct embeddings (a theme of one
    or two texts repeated is left whole). A candidate is *tight* when its k groups are tighter than
    those of the null: on the leading k − 1 principal components (k groups differ in at most
    k − 1 directions), ``log(inertia of the null's k-means) − log(inertia of the theme's) ≥ min_gap``
    (the gap statistic at one k, with a Gaussian reference). Of the tight candidates, the k whose
    stability beats the Gaussian null's by the most is kept when that gain is at least
    *min_gain*; otherwise (or with no tight candidate) the theme is left whole. The stability gain alone is noisy (a few subsets): on
    clouds without groups it reached 0.5. Their gap stayed below 0.16 (36 Gaussian clouds of
    60–1,000 points in 40–400 dimensions; ``tests/test_subthemes.py`` keeps one), hence 0.3; the
    14 themes of ASDC's meal requests at seed 42, each holding 2–9 labeled kinds, had gaps of
    0.44–1.2, the sample corpus' themes 0.43–0.92 but one (0.04, stability 0.12: left whole).
    Members are then assigned by voc's clusterer (k-means with
    restarts refined by EM over the members' words and projected embeddings,
    :class:`voc.themes.cluster.ConsensusEMClusterer` ``method="em"``), or by k-means alone without
    *tokens*. See the module docstring.
    """
    from threadpoolctl import threadpool_limits

    # one BLAS/OpenMP thread for the small matrices here (the k-means runs go to threads of their
    # own): after a theme fit, multi-threaded BLAS on them took seconds instead of milliseconds
    with threadpool_limits(limits=1):
        return _split_theme(
            embeddings, tokens, max_subthemes, min_size, min_gain, min_gap, sample, random_state, n_jobs
        )


def _split_theme(
    embeddings: np.ndarray,
    tokens: Sequence[Sequence[str]] | None,
    max_subthemes: int,
    min_size: int,
    min_gain: float,
    min_gap: float,
    sample: int,
    random_state: int,
    n_jobs: int | None,
) -> Split:
    from voc.themes.cluster import ConsensusEMClusterer, kmeans_restarts

    for name, value, low in (("max_subthemes", max_subthemes, 2), ("min_size", min_size, 1), ("sample", sample, 10)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ConfigError(f"{name} must be an integer ≥ {low}, got {value!r}")
    n = len(embeddings)
    whole = np.full(n, -1, dtype=int)
    k_hi = min(int(max_subthemes), n // int(min_size))
    if k_hi < 2:
        return Split(whole, 0, reason=f"{n} texts: too few to split (need {2 * min_size})")
    # k groups need more than k distinct members: with k, each group is one repeated text and
    # the gap is log(0) − log(0) (a theme of a category column's few values, or one-character notes)
    distinct = _distinct_rows(embeddings, k_hi + 1)
    if distinct <= 2:
        return Split(whole, 0, reason=f"{distinct} distinct text(s) in {n}: too few to split (need 3)")
    k_hi = min(k_hi, distinct - 1)
    seed = int(random_state)
    scores, sd = _project(embeddings, DIMS)
    Z = _normalize(scores)
    rng = np.random.default_rng(seed)
    pick = np.sort(rng.choice(n, size=min(n, int(sample)), replace=False))
    subsets = [rng.choice(len(pick), size=int(0.8 * len(pick)), replace=False) for _ in range(SUBSETS)]
    ks = list(range(2, k_hi + 1))
    # the gap of every candidate first (cheap: k − 1 dimensions): when none reaches min_gap the
    # theme stays whole whatever k the stability would choose, and the stability runs (most of
    # the cost) are skipped; on 91k call notes in 40 themes, 25 were settled this way
    gaps = {c: _gap(scores[pick], sd, c, seed) for c in ks}
    tight = [c for c in ks if gaps[c] >= min_gap]  # a NaN gap (no spread at all) is not tight
    if not tight:
        best = max(ks, key=lambda c: (gaps[c], -c))
        reason = (
            f"left whole: no split is tighter than one of a cloud without groups (best gap {gaps[best]:.3f} "
            f"at k={best}; need ≥ {min_gap})"
        )
        return Split(whole, 0, gaps=gaps, reason=reason)
    stab = _stability(Z[pick], tight, subsets, seed)
    null = _normalize(rng.standard_normal((len(pick), len(sd))) * sd)
    null_stab = _stability(null, tight, subsets, seed)
    # of the k whose groups are tighter than a null's, the one most steadier than no groups at
    # all; on ASDC's meal requests (14 themes, 54 leaf labels, seeds 42, 0, 1) this gave pairs
    # ARI 0.487 against 0.474 for the most steady k of all candidates (docs/quality.md)
    k = max(tight, key=lambda c: (stab[c] - null_stab[c], -c))
    gain, gap = stab[k] - null_stab[k], gaps[k]
    if gain < min_gain:
        reason = (
            f"left whole: the best split (k={k}: stability {stab[k]:.2f}, gap {gap:.3f}) is not steadier "
            f"than one of a cloud without groups (stability {null_stab[k]:.2f}; need a gain ≥ {min_gain})"
        )
        return Split(whole, 0, stab, null_stab, gaps, reason)
    if tokens is not None:
        if len(tokens) != n:
            raise ValueError(f"{len(tokens)} token lists for {n} embeddings")
        # EM over the words beside the embeddings: pairs ARI 0.46 → 0.49 on the same corpus
        clusterer = ConsensusEMClusterer(n_clusters=k, method="em", n_jobs=n_jobs, random_state=seed)
        raw = np.asarray(clusterer.fit_predict(Z, tokens=tokens), dtype=int)
        k = int(len(set(raw.tolist())))
        _, raw = np.unique(raw, return_inverse=True)
    else:
        raw = kmeans_restarts(Z, k, random_state=seed, n_init=4, n_jobs=n_jobs)
    sizes = Counter(raw.tolist())
    order = sorted(sizes, key=lambda c: (-sizes[c], c))
    labels = np.asarray([order.index(c) for c in range(k)])[raw] if k else whole
    reason = (
        f"split in {k}: stability {stab[k]:.2f} against {null_stab[k]:.2f} for a cloud without groups; gap {gap:.3f}"
    )
    return Split(labels.astype(int), k, stab, null_stab, gaps, reason)


#: Texts (in all themes) from which the themes are split in worker processes.
_PARALLEL_MIN = 5000


def _split_one(job: tuple[np.ndarray, list[Sequence[str]], dict[str, Any]]) -> Split:
    """:func:`split_theme` of one theme's members (their embeddings and tokens), in a worker."""
    embeddings, tokens, params = job
    return split_theme(embeddings, tokens, n_jobs=1, **params)


def _split_all(
    embeddings: np.ndarray, tokens: Sequence[Sequence[str]], members: dict[int, np.ndarray],
    params: dict[str, Any], n_jobs: int | None,
) -> dict[int, Split]:
    """:func:`split_theme` of every theme (*members*: theme → indices). With many texts and
    *n_jobs* > 1, in worker processes (:func:`voc.parallel.forked_map`), one theme each, largest
    first: the splits are independent and seeded per theme, so the result does not depend on
    *n_jobs* (on 91k call notes in 40 themes, 2 processes took the splits from 7.0 s to 3.9 s)."""
    from voc.parallel import forked_map, resolve_n_jobs

    jobs = min(resolve_n_jobs(n_jobs), len(members))
    total = sum(len(i) for i in members.values())
    if jobs <= 1 or total < _PARALLEL_MIN:
        return {t: split_theme(embeddings[i], [tokens[j] for j in i], n_jobs=n_jobs, **params) for t, i in members.items()}
    by_size = sorted(members, key=lambda t: (-len(members[t]), t))
    # one theme's data at a time, made as a worker takes it (not a copy of every theme's at once)
    done = forked_map(_split_one, ((embeddings[members[t]], [tokens[j] for j in members[t]], params) for t in by_size),
                      jobs)
    return dict(zip(by_size, done, strict=True))


def subtheme_keywords(
    tokens: Sequence[Sequence[str]], labels: np.ndarray, n: int = 8, *, exclude: frozenset[str] = frozenset()
) -> dict[int, list[str]]:
    """c-TF-IDF keywords of each group of *tokens* against the other groups (:func:`voc.themes.ctfidf`
    without the square root on tf: ``tf(t, c) · log(1 + A / f(t))``, A the mean number of words per
    group, f(t) the word's count in all groups), best first, ties by word. Tokens in *exclude* are
    skipped."""
    from voc.themes import ctfidf_keywords

    return ctfidf_keywords(tokens, np.asarray(labels).tolist(), n, reduce_frequent_words=False, exclude=exclude)


def _describe_split(
    theme: int, idx: np.ndarray, split: Split, names: Mapping[int, Any], texts: Sequence[str],
    tokens: Sequence[Sequence[str]], embeddings: np.ndarray, written: Mapping[str, str], own: frozenset[str],
    n_keywords: int, n_quotes: int,
) -> list[dict[str, Any]]:
    """The rows of :attr:`Subthemes.table` of one split theme (*idx*: its members): name, size,
    share, keywords (not the theme's own name's words, *own*) and quotes of each sub-theme."""
    from voc.label import representative_quotes
    from voc.naming import ThemeName

    member_texts = [texts[i] for i in idx]
    keywords = subtheme_keywords([tokens[i] for i in idx], split.labels, n_keywords, exclude=own)
    emb = np.asarray(embeddings[idx], dtype=np.float32)
    rows = []
    for s in range(split.k):
        members = np.flatnonzero(split.labels == s)
        sub_texts = [member_texts[i] for i in members]
        quotes = [sub_texts[i] for i in representative_quotes(sub_texts, emb[members], n_quotes)]
        name = names.get(s) or ThemeName((), (), f"{s + 1}", False)  # not in the sample (tiny)
        rows.append({
            "theme_id": theme, "subtheme": s, "label": name.label, "phrases": list(name.phrases),
            "size": int(len(members)), "share": float(len(members) / len(idx)),
            "keywords": [written.get(w, w) for w in keywords.get(s, [])], "quotes": quotes,
        })
    return rows


def _same_length(texts: Sequence[str], tokens: Sequence[Sequence[str]], embeddings: np.ndarray, themes: np.ndarray) -> int:
    """The number of texts; a ValueError unless tokens, embeddings and themes have one per text."""
    n = len(texts)
    if not (len(tokens) == n == len(themes) == len(embeddings)):
        raise ValueError(
            f"texts ({n}), tokens ({len(tokens)}), embeddings ({len(embeddings)}) and themes ({len(themes)}) "
            "must have the same length"
        )
    return n


def find_subthemes(
    texts: Sequence[str],
    tokens: Sequence[Sequence[str]],
    embeddings: np.ndarray,
    themes: Sequence[int] | np.ndarray,
    *,
    theme_names: Mapping[int, Sequence[str]] | None = None,
    namer: Any = None,
    written: Mapping[str, str] | None = None,
    max_subthemes: int = 6,
    min_size: int = 15,
    min_gain: float = 0.1,
    min_gap: float = 0.3,
    sample: int = 600,
    n_keywords: int = 8,
    n_quotes: int = 3,
    random_state: int = 42,
    n_jobs: int | None = -1,
) -> Subthemes:
    """Sub-themes of every theme.

    Parameters
    ----------
    texts, tokens : sequences of length n
        The cleaned texts and their tokens (as the themes were fitted on).
    embeddings : ndarray of shape (n, dim)
        The texts' embeddings (``voc.embed.make_embedder(...).fit_transform(texts, tokens)``).
    themes : array-like of int, length n
        Theme of each text (``ThemeModel.labels_``; ``-1`` unassigned).
    theme_names : mapping, optional
        ``{theme: phrases}`` of the themes' own names; sub-theme names avoid them.
    namer : voc.naming.Namer, optional
        Default ``PhraseNamer(random_state=random_state)``.
    written : mapping, optional
        Token → written form for the keywords (``Tokenizer.display_forms(texts)``).
    max_subthemes, min_size, min_gain, min_gap, sample : see :func:`split_theme`.
    n_keywords, n_quotes : int
    random_state : int
    n_jobs : int or None
        Threads for the k-means runs (the result does not depend on it).

    Returns
    -------
    Subthemes
    """
    import pandas as pd

    from voc.naming import PhraseNamer, sample_members

    themes = np.asarray(themes, dtype=int)
    n = _same_length(texts, tokens, embeddings, themes)
    namer = namer if namer is not None else PhraseNamer(random_state=random_state)
    written = written or {}
    assignments = np.full(n, -1, dtype=int)
    rows: list[dict[str, Any]] = []
    splits: dict[int, Split] = {}
    params = {"max_subthemes": max_subthemes, "min_size": min_size, "min_gain": min_gain, "min_gap": min_gap,
              "sample": sample, "random_state": random_state}
    members = {t: np.flatnonzero(themes == t) for t in sorted(int(t) for t in set(themes.tolist()) if t >= 0)}
    found = _split_all(embeddings, tokens, members, params, n_jobs)
    # the sample each theme's name was chosen from: its sub-themes are named on it (parsed, memoized)
    used = {p for ps in (theme_names or {}).values() for p in ps}
    group_sample = getattr(namer, "group_sample", None)
    per_theme = group_sample(len(members)) if callable(group_sample) else getattr(namer, "sample", 0)
    for theme, idx in members.items():
        split = found[theme]
        splits[theme] = split
        log.debug("theme %d (%d texts): %s", theme, len(idx), split.reason)
        if split.k == 0:
            continue
        assignments[idx] = split.labels
        # named on the texts the theme's own name was chosen from (parsed once, memoized)
        named = np.searchsorted(idx, sample_members(idx, per_theme, getattr(namer, "random_state", 0), theme))
        # names unique in the run: no theme's phrase, no phrase of a sub-theme named before
        names = namer.name([texts[idx[i]] for i in named], split.labels[named], reserved=used)
        used.update(p for nm in names.values() for p in nm.phrases)
        own = frozenset((theme_names or {}).get(theme, ()))
        rows += _describe_split(theme, idx, split, names, texts, tokens, embeddings, written, own, n_keywords, n_quotes)
    columns = ["theme_id", "subtheme", "label", "phrases", "size", "share", "keywords", "quotes"]
    return Subthemes(pd.DataFrame(rows, columns=columns), assignments, splits)
