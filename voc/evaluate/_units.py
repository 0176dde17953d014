"""``voc evaluate --unit statement``, and any gold with several labels per text (issue #27).

:func:`evaluate_units` cuts each text into statements exactly as ``voc report`` does
(:func:`voc.units.clean_statements` with the report's default voice/log rules, then
:func:`voc.units.statement_units`), fits the same things :func:`voc.evaluate.evaluate` fits on the
voice statements (:func:`voc.evaluate._run.run_seed`: :class:`voc.analysis.ThemeAnalysis` and the
baselines), and scores each text by the set of its themes (:mod:`voc.evaluate._multi`). With
``unit="row"`` each text is one unit (the one-theme-per-text output, scored the same way).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from voc.errors import ConfigError, InputError
from voc.evaluate import _run
from voc.evaluate._multi import MULTI, Part, statement_scores, topic_scores
from voc.evaluate._table import COLUMNS, EvaluationResult

__all__ = ["evaluate_units", "units_of"]

log = logging.getLogger(__name__)

Unit = Literal["statement", "row"]


def units_of(texts: Sequence[str], unit: Unit, tokenizer: Any) -> Any:
    """The table of units of *texts* (:data:`voc.units.UNIT_COLUMNS`; ``row`` is the text's index).

    ``"statement"``: the report's clean stage on statements (no PII masking, like the rest of
    ``voc evaluate``; the report's default voice/log cues), texts with no statement left have no
    unit. ``"row"``: one voice unit per text, spanning all of it, its text normalised like
    :func:`voc.evaluate.evaluate` normalises it.
    """
    import pandas as pd

    from voc.config import Config
    from voc.parallel import LocalExecutor
    from voc.units import clean_statements, kind_rules, make_units, statement_units

    if unit == "row":
        from voc.clean import normalize_text

        kept = pd.DataFrame({"row": np.arange(len(texts)), "text": [normalize_text(str(t)) for t in texts]})
        units = make_units(kept, ["text"], tokenizer.tokenize_many(kept["text"].tolist()))
        units["end"] = [len(str(t)) for t in texts]  # offsets into the text as read, like statements'
        return units[units["text"] != ""].reset_index(drop=True).assign(unit=lambda u: np.arange(len(u)))
    cu = Config().units
    frame = pd.DataFrame({"row": np.arange(len(texts)), "text": [str(t) for t in texts]})
    rules = kind_rules(cu.log_cues, cu.voice_cues) if cu.kinds else None
    _, _, statements = clean_statements(LocalExecutor(n_jobs=1), frame, ["text"], rules=rules, mask=False,
                                        max_text_chars=None, tokenizer=tokenizer)
    return statement_units(statements)


def evaluate_units(
    texts: Sequence[str],
    gold: Sequence[frozenset[str]],
    *,
    unit: Unit = "statement",
    statements: Sequence[Part] | None = None,
    n_themes: Any = None,
    seeds: Sequence[int] = (0, 1, 2),
    embedding: str | Sequence[str] | None = None,
    reduction: str | Sequence[str] | None = None,
    clustering: str | Sequence[str] | None = None,
    baselines: bool | Sequence[str] = True,
    top_n: int = 10,
    tokenizer: Any = None,
) -> EvaluationResult:
    """Fit themes on the *unit*s of *texts* and score each text by the set of its themes.

    Parameters
    ----------
    texts : sequence of str
        Raw texts (offsets in *statements* are into these).
    gold : sequence of frozenset of str
        Each text's gold labels (:func:`voc.evaluate.parse_label_sets`); one label each is the
        single-label case.
    unit : {"statement", "row"}
        What gets a theme (:func:`units_of`).
    statements : sequence of (text index, start, end, label), optional
        Gold statements: adds ``stmt_nmi``, ``stmt_ari`` and ``segmentation``, and the themes are
        read as the labels of the gold statements their units overlap.
    n_themes, seeds, embedding, reduction, clustering, baselines, top_n, tokenizer
        As :func:`voc.evaluate.evaluate` (default number of themes: the distinct labels).

    Returns
    -------
    EvaluationResult
        The table of :func:`voc.evaluate.evaluate` plus :data:`voc.evaluate._multi.MULTI` columns:
        ``topic_recall``, ``topic_precision``, ``one_theme_ceiling`` and with *statements*
        ``stmt_nmi``, ``stmt_ari``, ``segmentation``. With one label per text, ``nmi``, ``ari``
        and ``v_measure`` score each text's main theme (:func:`voc.units.main_themes`); with
        several, they are blank. ``unassigned`` and ``n_themes`` are over the fitted units.
    """
    import pandas as pd

    from voc.evaluate._core import _chosen_baselines, _variants, _with_means
    from voc.tokenize import Tokenizer

    n_labels = _n_labels(texts, gold, unit, seeds)
    ks, embeddings_, reductions, clusterings, variants = _variants(n_themes, n_labels, embedding, reduction, clustering)
    names = {v: _run.variant_name(v, variants) for v in variants}
    tokenizer = tokenizer or Tokenizer()
    units = units_of(texts, unit, tokenizer)
    voice = units[units["kind"] == "voice"]
    if len(voice) < 2:
        raise InputError(f"{len(voice)} statement(s) of the customer's voice in {len(texts)} texts; need ≥ 2")
    fit_texts, fit_tokens = voice["text"].tolist(), [list(t) for t in voice["tokens"]]
    chosen = _chosen_baselines(baselines)
    args = (fit_texts, fit_tokens, variants, names, tokenizer, top_n, chosen)
    rows, assignments = [], {}
    for seed in seeds:
        for fit in _run.run_seed(seed, *args):
            assignments.setdefault(fit.method, []).append(fit.labels)
            rows.append({"method": fit.method, "seed": str(seed),
                         **_scores(fit, units, gold, statements, top_n, fit_tokens)})
    ks_ = _run.distinct_ks(variants)
    order = [*(names[v] for v in variants), *(_run.baseline_name(b, k, ks_) for k in ks_ for b in chosen)]
    columns = _columns()
    table = pd.DataFrame(rows).reindex(columns=["method", "seed", *columns])
    table = _with_multi_means(_with_means(table, order, assignments), order)
    settings: dict[str, Any] = {
        "unit": unit, "n_themes": "labels" if n_themes is None else ",".join(str(k) for k in ks),
        "seeds": list(seeds), "embedding": ",".join(embeddings_), "reduction": ",".join(reductions),
        "clustering": ",".join(clusterings), "units": len(units), "voice": len(voice),
        # scored with no topic (recall 0): every statement was a non-answer or the rep's log
        "texts_without_voice": len(texts) - int(voice["row"].nunique()),
    }
    if statements is not None:
        settings["gold_statements"] = len(statements)
    return EvaluationResult(table=table, n_documents=len(texts), n_labels=n_labels, settings=settings)


def _n_labels(texts: Sequence[str], gold: Sequence[frozenset[str]], unit: str, seeds: Sequence[int]) -> int:
    """The distinct gold labels; a :class:`~voc.errors.ConfigError` / :class:`~voc.errors.InputError`
    when *unit*, the lengths, the seeds or the labels cannot be evaluated."""
    if unit not in ("statement", "row"):
        raise ConfigError(f"unit must be 'statement' or 'row', got {unit!r}")
    if len(texts) != len(gold):
        raise InputError(f"{len(texts)} texts but {len(gold)} label sets")
    if not seeds:
        raise InputError("give at least one seed")
    n_labels = len(set().union(*gold)) if gold else 0
    if n_labels < 2:
        raise InputError(f"the label column has {n_labels} distinct label(s); need ≥ 2")
    return n_labels


def _columns() -> list[str]:
    """:data:`voc.evaluate._table.COLUMNS` with :data:`MULTI` before ``seconds``."""
    cols = list(COLUMNS)
    at = cols.index("seconds")
    return [*cols[:at], *MULTI, *cols[at:]]


def _scores(fit: _run.Fit, units: Any, gold: Sequence[frozenset[str]], statements: Sequence[Part] | None,
            top_n: int, tokens: list[list[str]]) -> dict[str, float]:
    """The figures of one fit (one row of the table)."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, v_measure_score

    from voc.evaluate.metrics import npmi_coherence, topic_diversity
    from voc.units import main_themes, unit_themes

    pred = np.asarray(fit.labels)
    long = unit_themes(units, pred)
    out: dict[str, float] = {
        "unassigned": float(np.mean(pred < 0)), "n_themes": float(len(set(pred[pred >= 0].tolist()))),
        "coherence": npmi_coherence(fit.topics, tokens), "diversity": topic_diversity(fit.topics),
        **fit.naming, "seconds": fit.seconds,
        **topic_scores(long, gold, units, statements),
    }
    if all(len(g) == 1 for g in gold):
        main = main_themes(long, range(len(gold)), {})["theme_id"].to_numpy()
        y = [next(iter(g)) for g in gold]
        out.update(nmi=normalized_mutual_info_score(y, main), ari=adjusted_rand_score(y, main),
                   v_measure=v_measure_score(y, main))
    if statements is not None:
        out.update(statement_scores(units, long["theme_id"].to_numpy(), statements))
    return out


def _with_multi_means(table: Any, order: Sequence[str]) -> Any:
    """Fill the mean rows' :data:`MULTI` columns (:func:`voc.evaluate._core._with_means` averages
    :data:`COLUMNS` only)."""
    per_seed = table[table["seed"] != "mean"]
    for method in order:
        at = (table["method"] == method) & (table["seed"] == "mean")
        part = per_seed[per_seed["method"] == method]
        for column in MULTI:
            table.loc[at, column] = float(part[column].mean()) if len(part) else float("nan")
    return table


def run_units(input_path: str, rows: Sequence[int], texts: Sequence[str], labels: Sequence[str], *,
              unit: str | None, label_sep: str, label_column: str, statements_file: str | None,
              sublabel_column: str | None, supervised: bool, unlabeled: str, **options: Any) -> EvaluationResult:
    """:func:`evaluate_units` on what :func:`voc.evaluate.run_evaluate` read: the label cells as sets
    (*label_sep*), the gold statements of *statements_file* over the export's *rows*."""
    from voc.evaluate._multi import parse_label_sets, read_statement_gold

    for flag, given in (("--sublabel-column", sublabel_column), ("--supervised", supervised),
                        ("--unlabeled fit", unlabeled == "fit")):
        if given:
            raise ConfigError(f"{flag} is not available with several labels per text or --unit statement; "
                              "drop it, or evaluate single labels with --unit row")
    gold = parse_label_sets(labels, label_sep, path=str(input_path), column=label_column, rows=rows)
    parts = read_statement_gold(statements_file, rows, texts) if statements_file else None
    return evaluate_units(texts, gold, unit=unit or "statement", statements=parts, **options)  # type: ignore[arg-type]
