"""The files of ``voc evaluate``: read a labeled export (:func:`read_labeled`), and
:func:`run_evaluate`, which reads, evaluates and writes ``OUT.csv`` / ``OUT.md``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from voc.errors import ConfigError, InputError
from voc.evaluate._core import evaluate
from voc.evaluate._table import EvaluationResult

__all__ = ["read_labeled", "read_labels", "read_label_rows", "run_evaluate"]


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
    texts, (labels,) = read_labels(
        path, text_column=text_column, label_columns=[label_column], label_file=label_file,
        ignore_labels=ignore_labels, encoding=encoding, keep_unlabeled=keep_unlabeled,
    )
    return texts, labels


def read_labels(
    path: str,
    *,
    text_column: str,
    label_columns: Sequence[str],
    label_file: str | None = None,
    ignore_labels: Sequence[str] = (),
    encoding: str = "auto",
    keep_unlabeled: bool = False,
) -> tuple[list[str], list[list[str]]]:
    """:func:`read_labeled` for several label columns, all read from *path* or all from
    *label_file*: the texts, and each column's labels. Rows are kept or dropped by the first
    column (the others may be blank: ``""``); *ignore_labels* blanks a label in any column."""
    _, texts, columns = read_label_rows(path, text_column=text_column, label_columns=label_columns,
                                        label_file=label_file, ignore_labels=ignore_labels, encoding=encoding,
                                        keep_unlabeled=keep_unlabeled)
    return texts, columns


def read_label_rows(
    path: str,
    *,
    text_column: str,
    label_columns: Sequence[str],
    label_file: str | None = None,
    ignore_labels: Sequence[str] = (),
    encoding: str = "auto",
    keep_unlabeled: bool = False,
) -> tuple[list[int], list[str], list[list[str]]]:
    """:func:`read_labels` with the export's row (0-based data row, ``voc.read``'s ``row``) of each text kept."""
    from voc.read import read_export

    label_columns = list(label_columns)
    if label_file is None:
        frame = read_export(path, text_columns=[text_column], required_columns=label_columns, encoding=encoding).frame
        texts = frame[text_column].tolist()
        columns = [frame[c].tolist() for c in label_columns]
    else:
        frame = read_export(path, text_columns=[text_column], encoding=encoding).frame
        import pandas as pd

        # Read directly: voc.read reserves a "row" column, which truth files often have.
        try:
            truth = pd.read_csv(label_file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except FileNotFoundError:
            raise InputError("label file does not exist", path=str(label_file)) from None
        for column in label_columns:
            if column not in truth.columns:
                raise InputError(
                    f"no such column; available: {', '.join(truth.columns)}", path=str(label_file), column=column
                )
        texts = frame[text_column].tolist()
        columns = []
        for column in label_columns:
            by_row = dict(enumerate(truth[column]))
            columns.append([by_row.get(int(r), "") for r in frame["row"]])
    ignore = {s.strip() for s in ignore_labels}
    rows = []
    for r, t, *ys in zip(frame["row"].tolist(), texts, *columns, strict=True):
        ys = ["" if str(y).strip() in ignore else str(y).strip() for y in ys]
        if str(t).strip() and (ys[0] or keep_unlabeled):
            rows.append((int(r), t, ys))
    if not any(ys[0] for _, _, ys in rows):
        raise InputError("no row has both a text and a label", path=str(path), column=label_columns[0])
    return [r for r, _, _ in rows], [t for _, t, _ in rows], [[ys[c] for _, _, ys in rows] for c in range(len(label_columns))]


def run_evaluate(
    input_path: str,
    *,
    text_column: str,
    label_column: str,
    sublabel_column: str | None = None,
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
    unit: str | None = None,
    label_sep: str = "|",
    statements_file: str | None = None,
) -> EvaluationResult:
    """What ``voc evaluate`` does: read, :func:`evaluate`, and write ``OUT.csv`` / ``OUT.md``.

    With *sublabel_column* (read from the same file as *label_column*: *label_file* when given),
    voc's sub-themes are scored against it (``evaluate(..., sublabels=...)``). With *unit*
    ``"statement"``, *statements_file* (gold statements: ``row``, ``start``, ``end``, ``label``), or
    a label cell holding *label_sep* (several labels per text), the themes are fitted on the
    units and each text scored by the set of its themes (:func:`voc.evaluate.evaluate_units`;
    *unit* then defaults to ``"statement"``); else by :func:`evaluate`, as before."""

    try:
        seed_list = [int(s) for s in str(seeds).split(",") if s.strip()]
    except ValueError:
        raise InputError(f"--seeds must be comma-separated integers, got {seeds!r}") from None
    if not label_sep:
        raise ConfigError("--label-sep must not be empty; give the character that joins labels in a cell, e.g. '|'")
    rows, texts, columns = read_label_rows(
        input_path,
        text_column=text_column,
        label_columns=[label_column] + ([sublabel_column] if sublabel_column else []),
        label_file=label_file,
        ignore_labels=ignore_label,
        keep_unlabeled=unlabeled == "fit",
    )
    if sample is not None and sample < len(texts):
        rows, texts, columns = _sample_rows(rows, texts, columns, sample)
    labels = columns[0]
    if unit == "statement" or statements_file or any(label_sep in y for y in labels):
        from voc.evaluate._units import run_units

        result = run_units(
            input_path, rows, texts, labels, unit=unit, label_sep=label_sep, label_column=label_column,
            statements_file=statements_file, sublabel_column=sublabel_column, supervised=supervised,
            unlabeled=unlabeled, n_themes=n_themes, seeds=seed_list, embedding=embedding, reduction=reduction,
            clustering=clustering, baselines=not no_baselines,
        )
    else:
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
            sublabels=columns[1] if sublabel_column else None,
        )
    result.settings["input"] = str(input_path)
    if sample is not None:
        result.settings["sample"] = sample
    if out_prefix:
        _write_result(result, Path(out_prefix), input_path)
    return result


def _sample_rows(rows: list[int], texts: list[str], columns: list[list[str]],
                 sample: int) -> tuple[list[int], list[str], list[list[str]]]:
    """*sample* of the texts, with their rows and labels: the same rows as
    ``pandas.read_csv(path).sample(n=sample, random_state=0)``."""
    import pandas as pd

    picks = pd.Series(range(len(texts))).sample(n=sample, random_state=0).tolist()
    return [rows[i] for i in picks], [texts[i] for i in picks], [[c[i] for i in picks] for c in columns]


def _write_result(result: EvaluationResult, out: Path, input_path: str) -> None:
    """``OUT.csv`` (the table) and ``OUT.md`` (the summary and the table) of *result*."""
    from voc.report import csv_bytes

    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".csv").write_bytes(csv_bytes(result.table))
    header = f"# voc evaluate: {input_path}\n\n{result.summary()}\n\n"
    out.with_suffix(".md").write_text(header + result.to_markdown(), encoding="utf-8")
