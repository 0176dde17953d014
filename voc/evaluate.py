"""Measure theme quality against gold labels: ``voc evaluate``.

Fits voc's themes for several seeds on labeled texts and reports, per seed and as a mean, how well
they recover the labels (NMI, ARI, V-measure), how many texts are left unassigned, how many themes
were found, the themes' NPMI coherence over the corpus' own tokens and their diversity, plus seed
stability (mean pairwise ARI between seeds). In the same run and on the same tokens it fits three
baselines: TF-IDF + k-means, TF-IDF + NMF and scikit-learn's LDA, and on request a supervised
reference (a cross-validated classifier told the labels; :mod:`voc.references`).

Only labels are needed; the text goes through the same cleaning (:func:`voc.clean.normalize_text`)
and tokenizer as ``voc report``.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from voc.errors import ConfigError, InputError
from voc.metrics import npmi_coherence, topic_diversity
from voc.references import BASELINES, SUPERVISED, fit_baseline, supervised_labels
from voc.types import Clustering, NThemes, Reduction, choices, one_of, parse_n_themes

__all__ = ["EvaluationResult", "evaluate", "npmi_coherence", "topic_diversity", "METHODS"]

log = logging.getLogger(__name__)

#: Methods in the order they are reported; ``voc`` is the configured ThemeModel, ``supervised`` the
#: optional supervised reference (:func:`voc.references.supervised_labels`).
METHODS = ("voc", *BASELINES, SUPERVISED)
_METRICS = ("nmi", "ari", "v_measure", "unassigned", "n_themes", "coherence", "diversity", "seconds")


@dataclass
class EvaluationResult:
    """What :func:`evaluate` measured.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per method and seed, plus one ``seed == "mean"`` row per method. Columns: method,
        seed, nmi, ari, v_measure, unassigned, n_themes, coherence, diversity, seconds, stability
        (mean pairwise ARI between seeds; on the mean rows only).
    n_documents, n_labels : int
    settings : dict
    """

    table: Any
    n_documents: int
    n_labels: int
    settings: dict[str, Any] = field(default_factory=dict)

    def means(self) -> Any:
        """The mean rows, indexed by method."""
        return self.table[self.table["seed"] == "mean"].set_index("method")

    def summary(self) -> str:
        """One line: texts, labels and settings (``scored = N`` when unlabeled texts were fitted too)."""
        settings = ", ".join(f"{k} = {v}" for k, v in self.settings.items() if k != "input")
        return f"{self.n_documents:,} texts, {self.n_labels} labels; {settings}"

    def to_markdown(self, *, per_seed: bool = True) -> str:
        """The table as GitHub Markdown (mean rows first, then per seed when *per_seed*)."""
        t = self.table if per_seed else self.table[self.table["seed"] == "mean"]
        t = t.sort_values(["seed"], key=lambda s: s.map(lambda v: (v != "mean", str(v))), kind="stable")
        cols = ["method", "seed", *_METRICS, "stability"]
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for _, row in t.iterrows():
            cells = []
            for c in cols:
                v = row[c]
                if c in ("method", "seed"):
                    cells.append(str(v))
                elif v is None or (isinstance(v, float) and np.isnan(v)):
                    cells.append("")
                elif c == "n_themes":
                    cells.append(f"{v:.1f}" if row["seed"] == "mean" else f"{int(v)}")
                elif c == "seconds":
                    cells.append(f"{v:.1f}")
                else:
                    cells.append(f"{v:.3f}")
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [v.strip() for v in items if v.strip()]


#: One configuration of voc in an evaluation: (embedding, clustering, reduction, number of themes).
Variant = tuple[str, str, str, Any]


def _variant_name(variant: Variant, variants: Sequence[Variant]) -> str:
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


def _run_seed(
    seed: int,
    texts: list[str],
    tokens: list[list[str]],
    variants: list[Variant],
    names: dict[Variant, str],
    tokenizer: Any,
    top_n: int,
    baselines: list[str],
    supervised: tuple[list[str], np.ndarray] | None = None,
) -> list[tuple[str, np.ndarray, list[list[str]], float]]:
    """Every fit of one seed: (method, labels, keywords per theme, seconds). Runs in a worker with
    ``jobs > 1``. The baselines are fitted at each number of themes compared (in auto mode: the
    number the first variant in that mode found), named ``<baseline>/k=<k>`` when there are several.
    *supervised* (gold labels of the scored texts, and which texts are scored) adds the supervised
    reference on the first variant's embedding."""
    from voc.embed import make_embedder
    from voc.themes import ThemeModel

    fits = []
    found = []
    embedded: dict[str, tuple[Any, np.ndarray, float]] = {}  # several k on one embedding embed once
    for emb_name, clu, red, k_fixed in variants:
        if emb_name not in embedded:
            t0 = time.perf_counter()
            embedder = make_embedder(emb_name, random_state=seed)
            emb = embedder.fit_transform(texts, tokens)
            embedded[emb_name] = (embedder, emb, time.perf_counter() - t0)
        embedder, emb, embed_seconds = embedded[emb_name]
        t0 = time.perf_counter() - embed_seconds  # each row's seconds include the embedding
        model = ThemeModel(
            n_themes=k_fixed,
            embedding=emb_name,
            clustering=clu,  # type: ignore[arg-type]
            reduction=red,  # type: ignore[arg-type]
            tokenizer=tokenizer,
            top_n_words=top_n,
            random_state=seed,
        )
        pred = model.fit_transform(texts, tokens=tokens, embeddings=emb, embedder=embedder)
        topics = [[w for w, _ in model.keywords_[t]][:top_n] for t in sorted(model.keywords_)]
        name = names[(emb_name, clu, red, k_fixed)]
        fits.append((name, np.asarray(pred), topics, time.perf_counter() - t0))
        log.info("seed %d: %s found %d themes", seed, name, model.n_themes_)
        found.append(model.n_themes_)
    ks = _distinct_ks(variants)
    for k_fixed in ks:
        first = next(i for i, v in enumerate(variants) if v[3] == k_fixed)
        k = k_fixed if k_fixed != "auto" else max(2, found[first])
        for method in baselines:
            t0 = time.perf_counter()
            pred_b, topics_b = fit_baseline(method, tokens, int(k), seed, top_n)
            fits.append((_baseline_name(method, k_fixed, ks), pred_b, topics_b, time.perf_counter() - t0))
    if supervised is not None:
        gold, scored = supervised
        _, emb, embed_seconds = embedded[variants[0][0]]
        t0 = time.perf_counter() - embed_seconds
        pred_s = supervised_labels(emb, tokens, gold, scored, seed)
        fits.append((SUPERVISED, pred_s, [], time.perf_counter() - t0))
    return fits


def _distinct_ks(variants: Sequence[Variant]) -> list[Any]:
    return list(dict.fromkeys(v[3] for v in variants))


def _baseline_name(method: str, k: Any, ks: Sequence[Any]) -> str:
    """``tfidf+kmeans`` for one number of themes, ``tfidf+kmeans/k=40`` when several are compared."""
    return method if len(ks) == 1 else f"{method}/k={k}"


def evaluate(
    texts: Sequence[str],
    labels: Sequence[Any],
    *,
    n_themes: NThemes | str | Sequence[NThemes] | None = None,
    seeds: Sequence[int] = (0, 1, 2),
    embedding: str | Sequence[str] | None = None,
    reduction: str | Sequence[str] | None = None,
    clustering: str | Sequence[str] | None = None,
    baselines: bool | Sequence[str] = True,
    supervised: bool = False,
    top_n: int = 10,
    tokenizer: Any = None,
    jobs: int = 1,
    unlabeled: str = "drop",
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
        tokens (:func:`voc.references.supervised_labels`). It shows how far the representation
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

    Returns
    -------
    EvaluationResult
    """
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, v_measure_score

    from voc.clean import normalize_text
    from voc.config import ModelConfig
    from voc.embed import available_embedders
    from voc.tokenize import Tokenizer

    if unlabeled not in ("drop", "fit"):
        raise ConfigError(f"unlabeled must be 'drop' or 'fit', got {unlabeled!r}")
    texts = [normalize_text(str(t)) for t in texts]
    gold = [str(y) for y in labels]
    if len(texts) != len(gold):
        raise InputError(f"{len(texts)} texts but {len(gold)} labels")
    labeled = [bool(y.strip()) and y.lower() != "nan" for y in gold]
    keep = [i for i, t in enumerate(texts) if t and (labeled[i] or unlabeled == "fit")]
    texts, gold = [texts[i] for i in keep], [gold[i] for i in keep]
    scored = np.array([labeled[i] for i in keep], dtype=bool)  # the texts the scores are computed on
    gold_scored = [y for y, s in zip(gold, scored, strict=True) if s]
    n_labels = len(set(gold_scored))
    if n_labels < 2:
        raise InputError(f"the label column has {n_labels} distinct value(s) among non-empty texts; need ≥ 2")
    if not seeds:
        raise InputError("give at least one seed")
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
    names = {v: _variant_name(v, variants) for v in variants}
    for emb_name, clu, red, _ in variants:
        if clu not in choices(Clustering):
            raise ConfigError(f"clustering must be one of {one_of(Clustering)}, got {clu!r}")
        if emb_name not in available_embedders() and not emb_name.startswith("sentence-transformers:"):
            raise ConfigError(f"embedding must be one of {available_embedders()}, got {emb_name!r}")
        if red not in choices(Reduction):
            raise ConfigError(f"reduction must be one of {one_of(Reduction)}, got {red!r}")
    tokenizer = tokenizer or Tokenizer()
    t0 = time.perf_counter()
    tokens = tokenizer.tokenize_many(texts)
    log.info("tokenized %d texts in %.1fs", len(texts), time.perf_counter() - t0)

    if baselines is True:
        chosen_baselines = list(BASELINES)
    elif baselines is False:
        chosen_baselines = []
    else:
        chosen_baselines = [b for b in BASELINES if b in set(baselines)]
        if len(chosen_baselines) != len(set(baselines)):
            raise ConfigError(f"baselines must be among {BASELINES}, got {list(baselines)!r}")
    rows: list[dict[str, Any]] = []
    assignments: dict[str, list[np.ndarray]] = {}
    ks_ = _distinct_ks(variants)
    order = [names[v] for v in variants] + [_baseline_name(b, k, ks_) for k in ks_ for b in BASELINES] + [SUPERVISED]

    def record(method: str, seed: int, pred: np.ndarray, topics: list[list[str]], seconds: float) -> None:
        assignments.setdefault(method, []).append(pred)
        rows.append(
            {
                "method": method,
                "seed": str(seed),
                "nmi": normalized_mutual_info_score(gold_scored, pred[scored]),
                "ari": adjusted_rand_score(gold_scored, pred[scored]),
                "v_measure": v_measure_score(gold_scored, pred[scored]),
                "unassigned": float(np.mean(pred < 0)),
                "n_themes": float(len(set(pred[pred >= 0].tolist()))),
                "coherence": npmi_coherence(topics, tokens),
                "diversity": topic_diversity(topics),
                "seconds": seconds,
            }
        )

    args = (
        texts, tokens, variants, names, tokenizer, top_n, chosen_baselines,
        (gold_scored, scored) if supervised else None,
    )
    if jobs > 1 and len(seeds) > 1:
        from joblib import Parallel, delayed

        runs = Parallel(n_jobs=min(jobs, len(seeds)))(delayed(_run_seed)(seed, *args) for seed in seeds)
    else:
        runs = [_run_seed(seed, *args) for seed in seeds]
    for seed, fits in zip(seeds, runs, strict=True):
        for method, pred, topics, seconds in fits:
            record(method, seed, pred, topics, seconds)

    table = pd.DataFrame(rows)
    means = []
    for method in order:
        part = table[table["method"] == method]
        if part.empty:
            continue
        mean = {"method": method, "seed": "mean", **{m: float(part[m].mean()) for m in _METRICS}}
        pairs = list(itertools.combinations(assignments[method], 2))
        mean["stability"] = float(np.mean([adjusted_rand_score(a, b) for a, b in pairs])) if pairs else float("nan")
        means.append(mean)
    table["stability"] = np.nan
    table = pd.concat([pd.DataFrame(means), table], ignore_index=True)
    settings = {
        "n_themes": "labels" if n_themes is None else ",".join(str(k) for k in ks),
        "seeds": list(seeds),
        "embedding": ",".join(embeddings_),
        "reduction": ",".join(reductions),
        "clustering": ",".join(clusterings),
    }
    if unlabeled == "fit":
        settings["unlabeled"] = "fit"
        settings["scored"] = int(scored.sum())
    return EvaluationResult(table=table, n_documents=len(texts), n_labels=n_labels, settings=settings)


def read_labeled(
    path: str,
    *,
    text_column: str,
    label_column: str,
    label_file: str | None = None,
    ignore_labels: Sequence[str] = (),
    encoding: str = "auto",
    keep_unlabeled: bool = False,
) -> tuple[list[str], list[str]]:
    """Texts and gold labels of a labeled export; rows with a blank text or label are dropped.

    The label column is read from *path*, or from *label_file* when given (a ground-truth file
    beside the export, such as ``corpus/sample_crm_export.truth.csv``, whose data rows are in the
    same order as the export's). Labels listed in
    *ignore_labels* (e.g. ``none``) are dropped too. With *keep_unlabeled*, rows with a text but a
    blank or ignored label are kept, with the label ``""`` (``evaluate(..., unlabeled="fit")``).
    """
    from voc.io import read_export

    if label_file is None:
        frame = read_export(path, text_columns=[text_column], required_columns=[label_column], encoding=encoding).frame
        texts, labels = frame[text_column].tolist(), frame[label_column].tolist()
    else:
        frame = read_export(path, text_columns=[text_column], encoding=encoding).frame
        import pandas as pd

        # Read directly: voc.io reserves a "row" column, which truth files often have.
        try:
            truth = pd.read_csv(label_file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except FileNotFoundError:
            raise InputError("label file does not exist", path=str(label_file)) from None
        if label_column not in truth.columns:
            raise InputError(
                f"no such column; available: {', '.join(truth.columns)}", path=str(label_file), column=label_column
            )
        by_row = dict(enumerate(truth[label_column]))
        texts = frame[text_column].tolist()
        labels = [by_row.get(int(r), "") for r in frame["row"]]
    ignore = {s.strip() for s in ignore_labels}
    pairs = []
    for t, y in zip(texts, labels, strict=True):
        y = str(y).strip()
        if y in ignore:
            y = ""
        if str(t).strip() and (y or keep_unlabeled):
            pairs.append((t, y))
    if not any(y for _, y in pairs):
        raise InputError("no row has both a text and a label", path=str(path), column=label_column)
    return [t for t, _ in pairs], [y for _, y in pairs]


def run_evaluate(
    input_path: str,
    *,
    text_column: str,
    label_column: str,
    label_file: str | None = None,
    ignore_label: Sequence[str] = (),
    n_themes: str | None = None,
    seeds: str = "0,1,2",
    embedding: str | None = None,
    reduction: str | None = None,
    clustering: str | None = None,
    no_baselines: bool = False,
    supervised: bool = False,
    out_prefix: str | None = None,
    sample: int | None = None,
    jobs: int = 1,
    unlabeled: str = "drop",
) -> EvaluationResult:
    """What ``voc evaluate`` does: read, :func:`evaluate`, and write ``OUT.csv`` / ``OUT.md``."""
    from pathlib import Path

    try:
        seed_list = [int(s) for s in str(seeds).split(",") if s.strip()]
    except ValueError:
        raise InputError(f"--seeds must be comma-separated integers, got {seeds!r}") from None
    texts, labels = read_labeled(
        input_path,
        text_column=text_column,
        label_column=label_column,
        label_file=label_file,
        ignore_labels=ignore_label,
        keep_unlabeled=unlabeled == "fit",
    )
    if sample is not None and sample < len(texts):
        import pandas as pd

        # the same rows as pandas.read_csv(path).sample(n=sample, random_state=0)
        picks = pd.Series(range(len(texts))).sample(n=sample, random_state=0).tolist()
        texts, labels = [texts[i] for i in picks], [labels[i] for i in picks]
    result = evaluate(
        texts,
        labels,
        n_themes=n_themes,
        seeds=seed_list,
        embedding=embedding,
        reduction=reduction,
        clustering=clustering,
        baselines=not no_baselines,
        supervised=supervised,
        jobs=jobs,
        unlabeled=unlabeled,
    )
    result.settings["input"] = str(input_path)
    if sample is not None:
        result.settings["sample"] = sample
    if out_prefix:
        out = Path(out_prefix)
        out.parent.mkdir(parents=True, exist_ok=True)
        result.table.to_csv(out.with_suffix(".csv"), index=False)
        header = f"# voc evaluate: {input_path}\n\n{result.summary()}\n\n"
        out.with_suffix(".md").write_text(header + result.to_markdown(), encoding="utf-8")
    return result
