"""Statement units: each text cell cut into statements, cleaned, and told voice or log (issue #27).

:func:`clean_statements` is the clean stage when ``[units] unit = "statement"``: the statements of
every text cell (:func:`voc.statements.split_statements`, offsets into the cell as the export holds
it) go through the same cleaning as whole rows (:func:`voc.clean.clean`: normalising, non-answers,
PII masking, tokens, in worker processes), then each kept statement is classified
(:func:`voc.statements.statement_kind`). A row is kept when one of its statements is; the other rows
are rejected with the reasons whole-row cleaning gives them (``empty_text``, ``non_answer``) or
``no_statement`` (text, but no statement with a letter or digit).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from voc.statements import KindRules

__all__ = ["statement_frame", "clean_statements", "kind_rules", "STATEMENT_COLUMNS"]

#: Columns of :func:`statement_frame`, in order.
STATEMENT_COLUMNS = ["row", "deal_row", "column", "start", "end", "statement"]
_TEXT = "statement"
_KANA_ONLY = re.compile(r"[ぁ-ゖー\s、。,.!?！？…・]+")


def kind_rules(log_cues: Sequence[str] = (), voice_cues: Sequence[str] = ()) -> KindRules:
    """The voice/log rules: the default cues of :mod:`voc.statements`, after the user's own
    patterns (``[units] voice_cues`` first, then ``log_cues``). A pattern that is not a regular
    expression is a :class:`~voc.errors.ConfigError` naming it."""
    import re

    from voc.errors import ConfigError
    from voc.statements import Cue, KindRules

    cues = []
    for kind, patterns in (("voice", voice_cues), ("log", log_cues)):
        for i, pattern in enumerate(patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"[units] {kind}_cues: {pattern!r} is not a regular expression ({exc})") from None
            cues.append(Cue(f"custom_{kind}_{i + 1}", kind, pattern))  # type: ignore[arg-type]
    return KindRules().with_cues(cues) if cues else KindRules()


def statement_frame(frame: pd.DataFrame, text_columns: Sequence[str], *, max_chars: int | None = None,
                    n_jobs: int | None = 1, rules: KindRules | None = None) -> pd.DataFrame:
    """One line per statement of the *text_columns* of *frame* (needs ``row`` and those columns).

    Columns :data:`STATEMENT_COLUMNS`: ``row`` (0, 1, …: the statement's number, what
    :func:`voc.clean.clean` keeps or rejects), ``deal_row`` (the export's row), ``column``,
    ``start`` and ``end`` (offsets into the cell as the export holds it) and ``statement``
    (``cell[start:end]``). In row order, then column order, then text order. *max_chars*: only the
    first that many characters of a cell are split (the clean stage's bound on 1 MB cells).
    *n_jobs*: cells are split in up to that many forked processes (:func:`voc.parallel.forked_map`,
    chunks of cells in order), the same frame whatever the number. With *rules*, also ``kind`` and
    ``cue`` (:func:`voc.statements.statement_kind` of each statement, told in the same processes).
    """
    import pandas as pd

    from voc.parallel import MIN_TEXTS_PER_JOB, forked_map, resolve_n_jobs

    columns = [frame[c].tolist() for c in text_columns]
    cells = [(int(row), column, cell if max_chars is None else cell[:max_chars])
             for row, *values in zip(frame["row"].tolist(), *columns, strict=True)
             for column, cell in zip(text_columns, values, strict=True) if isinstance(cell, str) and cell]
    jobs = min(resolve_n_jobs(n_jobs), max(1, len(cells) // MIN_TEXTS_PER_JOB))
    size = max(1, -(-len(cells) // (jobs * 4)))
    chunks = forked_map(_split_cells, [(cells[i : i + size], rules) for i in range(0, len(cells), size)], jobs)
    out = [s for chunk in chunks for s in chunk]
    columns = STATEMENT_COLUMNS + (["kind", "cue"] if rules is not None else [])
    return pd.DataFrame({"row": range(len(out)), **{c: [s[i] for s in out] for i, c in enumerate(columns[1:])}},
                        columns=columns)


def _statements_of(frame: pd.DataFrame, *, text_columns: list[str], max_chars: int | None,
                   rules: KindRules | None) -> tuple[pd.DataFrame, list[str]]:
    """The statements of a chunk of rows to clean (:func:`statement_frame` in this process) and the
    column that holds them: the ``prepare`` step of :func:`voc.parallel.cleaned`."""
    return statement_frame(frame, text_columns, max_chars=max_chars, n_jobs=1, rules=rules), [_TEXT]


def _split_cells(item: tuple[list[tuple[int, str, str]], KindRules | None]) -> list[tuple[Any, ...]]:
    """``(deal_row, column, start, end, statement)`` of each statement of the cells (``(row,
    column, text)``) of *item*, in order; with its rules, also the statement's ``kind`` and ``cue``."""
    from voc.statements import split_statements, statement_kind

    cells, rules = item
    out: list[tuple[Any, ...]] = [(row, column, s.start, s.end, s.text) for row, column, cell in cells
                                  for s in split_statements(cell)]
    if rules is None:
        return out
    told: dict[str, Any] = {}  # each distinct statement told once (statements repeat)
    kinds = [told[s[4]] if s[4] in told else told.setdefault(s[4], statement_kind(s[4], rules)) for s in out]
    return [(*s, k.kind, k.cue) for s, k in zip(out, kinds, strict=True)]


def clean_statements(
    executor: Any, frame: pd.DataFrame, text_columns: Sequence[str], *, rules: KindRules | None, mask: Any,
    max_text_chars: int | None, tokenizer: Any, progress: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The clean stage on statements: ``(kept, rejected, statements)``.

    *kept* are the rows of *frame* with a kept statement, with ``text`` (their statements' texts,
    one per line) and ``truncated``, as :func:`voc.clean.clean` gives them; *rejected* the other
    rows (``row``, ``reason``, ``detail``); *statements* the kept statements: ``row`` (the export's
    row), ``column``, ``start``, ``end``, ``text`` (normalised, masked), ``tokens``, ``truncated``,
    ``kind`` (``voice`` or ``log``; every one ``voice`` when *rules* is ``None``) and ``cue``.
    *executor* runs the cleaning (:class:`voc.parallel.LocalExecutor`).
    """
    import pandas as pd

    from voc.clean import DEFAULT_MAX_TEXT_CHARS

    cap = None if max_text_chars is None else max(max_text_chars, DEFAULT_MAX_TEXT_CHARS) * 4
    # each worker cuts its chunk of rows into statements, tells voice from log and cleans them: the
    # statements never cross a process boundary before they are cleaned
    prepare = functools.partial(_statements_of, text_columns=list(text_columns), max_chars=cap, rules=rules)
    st, _ = executor.clean(frame, list(text_columns), prepare=prepare, mask=mask, max_text_chars=max_text_chars,
                           tokenizer=tokenizer, progress=progress)
    if not len(st):
        st = statement_frame(frame.iloc[:0], text_columns, rules=rules).assign(text=[], truncated=[], tokens=[])
    if "tokens" not in st.columns:  # Dask: tokenized by the caller
        st["tokens"] = None
    st = _join_empty(st)
    st = pd.DataFrame({
        "row": st["deal_row"].astype("int64").to_numpy(), "column": st["column"].to_numpy(),
        "start": st["start"].astype("int64").to_numpy(), "end": st["end"].astype("int64").to_numpy(),
        "text": st["text"].to_numpy(), "tokens": st["tokens"].to_numpy(), "truncated": st["truncated"].to_numpy(),
        "kind": st["kind"].to_numpy() if rules is not None else "voice",
        "cue": st["cue"].to_numpy() if rules is not None else "",
    })
    texts, truncated = _per_row(st)
    has = frame["row"].isin(texts.keys())
    kept = frame.loc[has].copy()
    kept["text"] = [texts[r] for r in kept["row"].tolist()]
    kept["truncated"] = [truncated[r] for r in kept["row"].tolist()]
    rejected = _rejected_rows(frame.loc[~has], text_columns, mask=mask)
    return kept.reset_index(drop=True), rejected, st


def _per_row(st: pd.DataFrame) -> tuple[dict[int, str], dict[int, bool]]:
    """Each row's statements' texts, one per line in their order, and whether any was cut."""
    texts: dict[int, list[str]] = {}
    truncated: dict[int, bool] = {}
    for r, t, cut in zip(st["row"].tolist(), st["text"].tolist(), st["truncated"].tolist(), strict=True):
        texts.setdefault(r, []).append(t)
        truncated[r] = truncated.get(r, False) or bool(cut)
    return {r: "\n".join(ts) for r, ts in texts.items()}, truncated


def _join_empty(st: pd.DataFrame) -> pd.DataFrame:
    """Statements written in kana and punctuation only (とのこと。, です。, でした) join the statement
    before them in the same cell: alone they cannot carry a theme, and they belong to it. (Not
    statements without content tokens: 受注！ has none, being a stop word, and must stay the log.)"""
    if not len(st):
        return st
    empty = st["text"].map(lambda t: _KANA_ONLY.fullmatch(t) is not None).to_numpy()
    if not empty.any():
        return st
    keep = [True] * len(st)
    rows, columns, texts, ends = (st[c].tolist() for c in ("deal_row", "column", "text", "end"))
    last = -1
    for i in range(len(st)):
        if empty[i] and last >= 0 and (rows[last], columns[last]) == (rows[i], columns[i]):
            texts[last] += texts[i]
            ends[last] = ends[i]
            keep[i] = False
        else:
            last = i
    out = st.assign(text=texts, end=ends)
    return out[keep].reset_index(drop=True)


def _rejected_rows(frame: pd.DataFrame, text_columns: Sequence[str], *, mask: Any) -> pd.DataFrame:
    """Why each row of *frame* (rows without a kept statement) is rejected: whole-row cleaning's
    reason (``empty_text``, ``non_answer``), else ``no_statement`` (text with no statement)."""
    import pandas as pd

    from voc.clean import clean

    columns = ["row", "reason", "detail"]
    if not len(frame):
        return pd.DataFrame(columns=columns)
    whole_kept, whole_rejected = clean(frame, text_columns, mask=mask, max_text_chars=200)
    where = "+".join(text_columns)
    no_statement = pd.DataFrame({
        "row": whole_kept["row"].to_numpy(), "reason": "no_statement",
        "detail": [f"{where}: no statement left (each was empty or a non-answer): {t[:40]}"
                   for t in whole_kept["text"]],
    }, columns=columns)
    parts = [p for p in (whole_rejected, no_statement) if len(p)]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
