"""Pipeline helpers for issue-4 features: the date window, stable theme ids (history + taxonomy),
and filling the report model's insight fields. :mod:`voc.pipeline` calls them in this order:

1. :func:`filter_window` (``--since``/``--until``) before cleaning;
2. :func:`stable_theme_ids` after the themes are fitted: matches them to the previous run of the
   history (:mod:`voc.matching`), applies the taxonomy's merges and names;
3. :func:`add_insights` once the :class:`~voc.report.model.ThemeRow` list exists;
4. :func:`record_run` after the report was written: adds the run to the history and updates the
   taxonomy file.
"""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc.errors import ConfigError
from voc.taxonomy import STATUS_NEW, Taxonomy

if TYPE_CHECKING:
    from collections.abc import Mapping

    import numpy as np
    import pandas as pd

    from voc.config import Config
    from voc.report.model import ThemeRow

__all__ = [
    "filter_window", "history_path", "load_run_taxonomy", "StableIds", "stable_theme_ids",
    "add_insights", "record_run", "previous_auto_k", "MAX_QUOTE_RECORDS",
]

log = logging.getLogger(__name__)

#: Quotes with context kept per theme for the theme pages (most central first).
MAX_QUOTE_RECORDS = 1000


def _parse_day(value: str, flag: str) -> Any:
    import pandas as pd

    try:
        return pd.Timestamp(str(value)).normalize()
    except (ValueError, TypeError):
        raise ConfigError(f"{flag} must be a date like 2026-08-31, got {value!r}") from None


def filter_window(
    frame: pd.DataFrame, date_column: str | None, since: str | None, until: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the rows whose *date_column* is within [*since*, *until*] (both inclusive, days).

    Needs ``row`` and *date_column*. Returns the rows inside and a rejected frame (``row``,
    ``reason`` = ``outside_window``, ``detail``) for the others, including rows with an empty or
    unreadable date, so that every row stays accounted for.
    """
    import pandas as pd

    if not since and not until:
        return frame, pd.DataFrame(columns=["row", "reason", "detail"])
    if not date_column:
        raise ConfigError("--since/--until need a date column: set [input] date_column in the config")
    dates = pd.to_datetime(frame[date_column].replace("", None), errors="coerce", format="mixed")
    inside = dates.notna()
    lo = _parse_day(since, "--since") if since else None
    hi = _parse_day(until, "--until") if until else None
    if lo is not None and hi is not None and lo > hi:
        raise ConfigError(f"--since {since} is after --until {until}")
    if lo is not None:
        inside &= dates >= lo
    if hi is not None:
        inside &= dates < hi + pd.Timedelta(days=1)
    out = frame[~inside]
    detail = [
        f"{date_column}={v!r} outside {since or '…'}〜{until or '…'}" if v else f"{date_column} is empty"
        for v in out[date_column].astype(str)
    ]
    rejected = pd.DataFrame({"row": out["row"].to_numpy(), "reason": "outside_window", "detail": detail})
    return frame[inside], rejected


def history_path(config: Config) -> Path:
    """``[history] path``, or ``history.duckdb`` beside the output folder."""
    if config.history_path:
        return Path(config.history_path)
    return Path(config.out_dir).parent / "history.duckdb"


def load_run_taxonomy(config: Config) -> Taxonomy:
    """The configured taxonomy (empty when no path is set or the file does not exist yet)."""
    from voc.taxonomy import load_taxonomy

    if not config.taxonomy_path:
        return Taxonomy()
    return load_taxonomy(config.taxonomy_path, missing_ok=True)


@dataclass
class StableIds:
    """Stable ids of one run (see :func:`stable_theme_ids`)."""

    run_id: str
    previous_run_id: str
    reported: np.ndarray  # per document: reported theme id (after merges), -1 = none
    themes: pd.DataFrame  # per fitted theme: cluster, theme_id, reported_as, status, size + signature
    keywords: dict[int, list[str]]  # reported id -> keywords, best first
    status: dict[int, str]  # reported id -> "新規" or ""
    taxonomy: Taxonomy
    previous: pd.DataFrame | None = None  # previous run's themes (pre-merge), or None
    previous_n_kept: int = 0
    match_scores: dict[int, float] = field(default_factory=dict)

    def label(self, theme_id: int, default: str) -> str:
        """The taxonomy name of *theme_id*, else *default* (the automatic label)."""
        return self.taxonomy.name_of(theme_id, default)


def _previous_run(store: Any, config: Config) -> dict[str, Any] | None:
    """The latest run of the history that analysed the same text columns (runs of other configs
    sharing the history file are not comparable)."""
    import json

    runs = store.runs()
    for rec in reversed(runs.to_dict("records")):
        try:
            columns = json.loads(rec.get("config") or "{}").get("text_columns")
        except ValueError:
            columns = None
        if columns is None or list(columns) == list(config.text_columns):
            return rec
    return None


def previous_auto_k(config: Config) -> int | None:
    """The number of themes auto mode chose in the last comparable run of the history (same text
    columns, ``n_themes = "auto"``), or ``None``: no history, a given number of themes, or a last
    run that did not choose one. The next auto-mode fit keeps it unless another k is clearly more
    stable (``[model] auto_k_margin``, :func:`voc.autok.choose_k`)."""
    import json

    import pandas as pd

    if not config.history or config.n_themes != "auto":
        return None
    path = history_path(config)
    if not path.exists():
        return None
    from voc.store import RunStore

    with RunStore(path) as store:
        previous = _previous_run(store, config)
    if previous is None:
        return None
    try:
        was_auto = json.loads(previous.get("config") or "{}").get("n_themes") == "auto"
    except ValueError:
        was_auto = False
    k = previous.get("auto_k")
    if not was_auto or k is None or pd.isna(k):
        return None
    return int(k)


def _new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def stable_theme_ids(
    config: Config,
    labels: np.ndarray,
    tokens: list[list[str]],
    keywords: dict[int, list[tuple[str, float]]],
    taxonomy: Taxonomy,
) -> StableIds:
    """Match the fitted themes (*labels*, ``ThemeModel.keywords_``) to the previous run's.

    Reads the latest run of the history with the same text columns (when ``[history] enabled``),
    matches by
    :func:`voc.matching.match_themes`, then applies the taxonomy's ``merge_into`` links. The status
    is ``"新規"`` for themes without a match, but only when there was something to match against
    (a previous run or taxonomy entries with keywords).
    """
    import numpy as np

    from voc.matching import combine_signatures, match_themes, theme_signatures

    sig = theme_signatures(labels, tokens, keywords)
    sig = sig.sort_values(["size", "cluster"], ascending=[False, True], kind="stable").reset_index(drop=True)
    previous, prev_id, prev_kept, max_id = None, "", 0, 0
    if config.history:
        from voc.store import RunStore

        with RunStore(history_path(config)) as store:
            last = _previous_run(store, config)
            max_id = store.max_theme_id()
            if last is not None:
                prev_id, prev_kept = str(last["run_id"]), int(last["n_kept"] or 0)
                previous = store.themes(prev_id)
    next_id = max([max_id, *taxonomy.ids(), 0]) + 1
    mapping, _ = match_themes(
        sig, previous, next_id=next_id, threshold=config.match_threshold, taxonomy=taxonomy
    )
    comparable = previous is not None or any(e.keywords or e.seed_words for e in taxonomy.themes)
    if not comparable:
        mapping["status"] = ""
    themes = sig.merge(mapping, on="cluster")
    themes["reported_as"] = [taxonomy.resolve(int(t)) for t in themes["theme_id"]]
    by_cluster = dict(zip(themes["cluster"], themes["reported_as"], strict=True))
    reported = np.asarray([by_cluster.get(int(c), -1) if c >= 0 else -1 for c in labels], dtype=int)
    groups: dict[int, list[int]] = {}
    for tid, rid in zip(themes["theme_id"], themes["reported_as"], strict=True):
        groups.setdefault(int(rid), []).append(int(tid))
    combined = combine_signatures(themes, groups)
    kw = {int(r.theme_id): list(r.keywords) for r in combined.itertuples(index=False)}
    status = {
        rid: STATUS_NEW if all(themes.loc[themes["theme_id"] == p, "status"].iloc[0] == STATUS_NEW for p in parts) else ""
        for rid, parts in groups.items()
    }
    return StableIds(
        run_id=_new_run_id(),
        previous_run_id=prev_id,
        reported=reported,
        themes=themes,
        keywords=kw,
        status=status,
        taxonomy=taxonomy,
        previous=previous,
        previous_n_kept=prev_kept,
        match_scores={int(t): float(s) for t, s in zip(themes["theme_id"], themes["score"], strict=True)},
    )


def _plain(value: Any) -> Any:
    """JSON-friendly: numpy scalars to Python, NaN/inf to None."""
    import numpy as np

    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def add_insights(
    rows: list[ThemeRow],
    kept: pd.DataFrame,
    frame: pd.DataFrame,
    reported: np.ndarray,
    embeddings: np.ndarray,
    config: Config,
    stable: StableIds,
) -> dict[str, Any]:
    """Fill the insight fields of *rows* in place; returns ``months`` and ``changes`` for the model.

    *kept* are the analysed records (``row``, ``text`` and the configured columns), in the order of
    *reported* (their reported theme ids) and *embeddings*; *frame* is every read record inside the
    window (for win/loss, which counts deals without text too). NaN in ``winloss`` / ``segments``
    dicts becomes ``None``.
    """
    import numpy as np

    from voc import insights
    from voc.report.model import Quote

    docs = kept.assign(theme_id=reported)
    by_id = {r.theme_id: r for r in rows}
    out: dict[str, Any] = {"months": [], "changes": {}}
    for r in rows:
        r.status = stable.status.get(r.theme_id, "")
        r.marketing = stable.taxonomy.marketing(r.theme_id)
    if config.date_column:
        trend = insights.monthly_trend(docs, config.date_column)
        out["months"] = sorted(set(trend["month"]))
        for tid, part in trend.groupby("theme_id"):
            if int(tid) in by_id:
                by_id[int(tid)].trend = [(m, int(c), float(s)) for m, c, s in zip(part["month"], part["count"], part["share"], strict=True)]
        em = insights.emerging_themes(docs, config.date_column, recent_months=config.recent_months)
        for tid, flag in zip(em["theme_id"], em["emerging"], strict=True):
            if int(tid) in by_id:
                by_id[int(tid)].emerging = bool(flag)
    if config.outcome_column:
        theme_of_row = dict(zip(kept["row"], reported, strict=True))
        deals = frame.assign(theme_id=[int(theme_of_row.get(r, -1)) for r in frame["row"]])
        wl = insights.win_loss(deals, config.outcome_column, min_count=config.min_count)
        for rec in wl.to_dict("records"):
            tid = int(rec.pop("theme_id"))
            if tid in by_id:
                by_id[tid].winloss = {k: _plain(v) for k, v in rec.items()}
    if config.segment_columns:
        seg = insights.segment_lift(docs, config.segment_columns)
        for rec in seg.to_dict("records"):
            tid = int(rec.pop("theme_id"))
            if tid in by_id:
                by_id[tid].segments.append({k: _plain(v) for k, v in rec.items()})
    if config.competitor_column:
        comp = insights.competitor_mentions(docs, config.competitor_column)
        for tid, name, count, _ in comp.itertuples(index=False):
            if int(tid) in by_id:
                by_id[int(tid)].competitors.append((str(name), int(count)))
    # Quotes with context, most central first.
    seg_cols = list(config.segment_columns)
    # only the columns a quote shows: records of every export column cost 2 s at 46,605 rows
    wanted = ["text", "row", config.date_column, config.outcome_column, *seg_cols]
    quote_frame = kept[list(dict.fromkeys(c for c in wanted if c and c in kept.columns))]
    for r in rows:
        members = np.flatnonzero(reported == r.theme_id)
        centre = embeddings[members].mean(axis=0)
        order = members[np.argsort(-(embeddings[members] @ centre), kind="stable")][:MAX_QUOTE_RECORDS]
        sub = quote_frame.iloc[order]
        r.quote_records = [
            Quote(
                text=str(rec["text"]),
                row=int(rec["row"]),
                date=str(rec.get(config.date_column, "")) if config.date_column else "",
                outcome=str(rec.get(config.outcome_column, "")) if config.outcome_column else "",
                segments={c: str(rec.get(c, "")) for c in seg_cols},
            )
            for rec in sub.to_dict("records")
        ]
    if stable.previous is not None:
        import pandas as pd

        prev = stable.previous.groupby("reported_as", as_index=False).agg(size=("size", "sum"), label=("label", "first"))
        prev = prev.rename(columns={"reported_as": "theme_id"})
        current = pd.DataFrame([(r.theme_id, r.size, r.status) for r in rows], columns=["theme_id", "size", "status"])
        out["changes"] = insights.compare_runs(current, prev, n_current=len(kept), n_previous=stable.previous_n_kept)
    return out


def record_run(
    config: Config,
    stable: StableIds,
    run: dict[str, Any],
    rows: list[ThemeRow],
    assignments: pd.DataFrame,
    written: Mapping[str, str] | None = None,
) -> None:
    """Add this run to the history and bring the taxonomy file up to date (after a good report).

    *run* is the ``run.json`` dict; *assignments* needs ``row`` and ``theme_id`` (reported ids) and
    the id column when configured. *written* maps keyword tokens to how the notes spell them
    (:func:`voc.label.written_keywords`), stored beside the tokens for ``voc history --run``.
    """
    import pandas as pd

    from voc.taxonomy import save_taxonomy

    n_kept = int(run["rows"]["kept"])
    labels = {r.theme_id: r.label for r in rows}
    th = stable.themes.copy()
    th["label"] = [labels.get(int(rid), "") for rid in th["reported_as"]]
    th["share"] = th["size"] / n_kept if n_kept else 0.0
    spell = written or {}
    th["written_keywords"] = [[spell.get(w, w) for w in words] for words in th["keywords"]]
    if config.history:
        from voc.store import RunStore

        asg = pd.DataFrame({"row": assignments["row"], "theme_id": assignments["theme_id"]})
        if config.id_column and config.id_column in assignments:
            asg["record_id"] = assignments[config.id_column].astype(str)
        record = {
            "run_id": stable.run_id,
            "created_at": datetime.now(UTC),
            "input_path": run["input"]["path"],
            "input_checksum": run["input"]["checksum"],
            "config": run["options"],
            "n_read": run["rows"]["read"],
            "n_kept": n_kept,
            "n_rejected": run["rows"]["rejected"],
            "n_themes": run["themes"]["n_themes"],
            "n_unassigned": run["themes"]["unassigned"],
            "voc_version": run["voc_version"],
            "since": config.since,
            "until": config.until,
            "previous_run_id": stable.previous_run_id,
            "auto_k": run["themes"].get("auto_k", {}).get("chosen"),
        }
        with RunStore(history_path(config)) as store:
            store.record_run(record, th, asg)
    if config.taxonomy_path and config.taxonomy_update:
        tax = stable.taxonomy
        for t in th.itertuples(index=False):
            is_new = tax.get(int(t.theme_id)) is None
            entry = tax.ensure(int(t.theme_id), keywords=list(t.keywords)[:10])
            if is_new:
                entry.name = t.label
                entry.status = STATUS_NEW
        save_taxonomy(tax, config.taxonomy_path)
