"""The pipeline's glue for the units stage: statements or rows, voice or log, deals (issue #27).

Plain data in, plain data out; only :mod:`voc.pipeline` calls these, in its order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from voc.config import Config

if TYPE_CHECKING:
    import pandas as pd

    from voc.history import StableIds
    from voc.pipeline import _Timer
    from voc.themes import ThemeModel

log = logging.getLogger("voc.pipeline")

def _clean(config: Config, executor: Any, in_window: pd.DataFrame, tokenizer: Any,
           progress: bool) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """The clean stage: kept rows, rejected rows and, with ``[units] unit = "statement"``, the kept
    statements (:func:`voc.units.clean_statements`; ``None`` for whole-row units)."""
    cin, cc, cu = config.input, config.clean, config.units
    if cu.unit == "row":
        kept, rejected = executor.clean(in_window, cin.text_columns, mask=cc.mask_pii,
                                        max_text_chars=cc.max_text_chars, tokenizer=tokenizer, progress=progress)
        return kept, rejected, None
    from voc.units import clean_statements, kind_rules

    rules = kind_rules(cu.log_cues, cu.voice_cues) if cu.kinds else None
    return clean_statements(executor, in_window, cin.text_columns, rules=rules, mask=cc.mask_pii,
                            max_text_chars=cc.max_text_chars, tokenizer=tokenizer, progress=progress)


def _units(config: Config, kept: pd.DataFrame, statements: pd.DataFrame | None, executor: Any, tokenizer: Any,
           timer: _Timer, progress: bool) -> pd.DataFrame:
    """The table of units (:mod:`voc.units`): the kept statements, or one unit per kept row."""
    from voc.units import make_units, statement_units

    if statements is not None:
        if "tokens" in kept.columns:
            del kept["tokens"]
        if statements["tokens"].isna().any():  # Dask: the workers clean, this machine tokenizes
            with timer.stage("tokenize"):
                statements["tokens"] = executor.tokenize(tokenizer, statements["text"].tolist(), progress=progress)
        return statement_units(statements)
    tokens = kept.pop("tokens").tolist() if "tokens" in kept.columns else None
    if tokens is None:  # Dask: the workers tokenize
        with timer.stage("tokenize"):
            tokens = executor.tokenize(tokenizer, kept["text"].tolist(), progress=progress)
    return make_units(kept, config.input.text_columns, tokens)


def _unit_counts(config: Config, units: pd.DataFrame) -> dict[str, Any]:
    """``run.json``'s ``units``: what got a theme, the units analysed, of which voice and log."""
    voice = int((units["kind"] == "voice").sum())
    return {"unit": config.units.unit, "units": len(units), "voice": voice, "log": len(units) - voice}


def _count_deals(config: Config, table: pd.DataFrame, sub_entries: dict[int, list[dict[str, Any]]],
                 said: pd.DataFrame, stable: StableIds, model: ThemeModel, *,
                 n_rows: int) -> tuple[pd.DataFrame, dict[int, list[dict[str, Any]]]]:
    """Statement units: the themes' sizes in deals (:func:`_deal_sizes`) and the sub-themes'
    (:func:`_subtheme_deals`); whole-row units: *table* and *sub_entries* as they are."""
    if config.units.unit != "statement":
        return table, sub_entries
    table = _deal_sizes(table, said, stable, model, n_rows=n_rows)
    return table, _subtheme_deals(sub_entries, said, table)


def _deal_sizes(table: pd.DataFrame, said: pd.DataFrame, stable: StableIds, model: ThemeModel, *,
                n_rows: int) -> pd.DataFrame:
    """Statement units: each theme's ``size`` and ``share`` in deals (distinct rows of the voice
    units *said*), ``mentions`` its statements, largest first; the history's theme sizes in deals
    too, so that the next run compares like with like."""
    import pandas as pd

    from voc.units import theme_counts

    counts = theme_counts(said)
    table = table.copy()
    table["mentions"] = table["theme_id"].map(counts["mentions"]).fillna(0).astype(int)
    table["size"] = table["theme_id"].map(counts["deals"]).fillna(0).astype(int)
    table["share"] = table["size"] / n_rows if n_rows else 0.0
    table = table.sort_values("size", ascending=False, kind="stable").reset_index(drop=True)
    clusters = pd.DataFrame({"row": said["row"].to_numpy(), "cluster": model.labels_})
    deals = clusters.drop_duplicates().groupby("cluster").size()
    stable.themes["size"] = stable.themes["cluster"].map(deals).fillna(0).astype(int)
    return table


def _in_notes(quotes: dict[int, list[Any]], sub_entries: dict[int, list[dict[str, Any]]],
              place: Callable[[Sequence[Any]], list[Any]]) -> tuple[dict[int, list[Any]], dict[int, list[dict[str, Any]]]]:
    """Each quote (a statement) with its place in its note (*place*: :func:`voc.units.quote_context`)."""
    quotes = {t: place(qs) for t, qs in quotes.items()}
    sub_entries = {t: [{**e, "quote_records": place(e.get("quote_records", []))} for e in entries]
                   for t, entries in sub_entries.items()}
    return quotes, sub_entries


def _one_outcome_columns(config: Config, in_window: pd.DataFrame, outcomes: Any) -> list[dict[str, Any]]:
    """The text columns written (almost) only on one outcome (:func:`voc.insights.one_outcome_columns`),
    kept out of every win-rate comparison: statement units only (a whole-row unit mixes columns)."""
    cin = config.input
    if outcomes is None or config.units.unit != "statement":
        return []
    from voc.insights import one_outcome_columns

    table = one_outcome_columns(in_window, cin.text_columns, outcomes.outcome.loc[in_window.index])
    out = []
    for rec in table[table["excluded"]].to_dict("records"):
        log.warning("%s: the text column %r is filled on %d closed deals, %.0f%% of one outcome: it is kept out of "
                    "the win-rate comparisons", cin.path, rec["column"], rec["filled"], 100 * rec["share"])
        out.append({k: rec[k] for k in ("column", "reason", "won", "lost", "open")})
    return out


def _log_rows(units: pd.DataFrame, place: Callable[[Sequence[Any]], list[Any]] | None = None) -> list[Any]:
    """The rep's log by section (:func:`voc.units.log_rows`), as the report's rows, each example
    in its note (*place*: :func:`voc.units.quote_context` of *units*, made here when not given)."""
    from voc.report.model import LogRow, Quote
    from voc.units import log_rows, quote_context

    place = place or quote_context(units)
    out = []
    for r in log_rows(units):
        quotes = [Quote(text=t, row=int(row)) for row, t in r.pop("examples")]
        out.append(LogRow(**r, quotes=place(quotes)))
    return out


def _subtheme_deals(sub_entries: dict[int, list[dict[str, Any]]], said: pd.DataFrame,
                    table: pd.DataFrame) -> dict[int, list[dict[str, Any]]]:
    """Statement units: each sub-theme's ``size`` in deals (distinct rows of the voice units
    *said* that carry it), ``share`` of its theme's deals (*table*'s ``size``), ``mentions`` its
    statements; largest first, as :meth:`voc.subthemes.SubthemeResult.describe` orders them."""
    if not sub_entries or "subtheme_id" not in said.columns:
        return sub_entries
    subs = said[said["subtheme_id"] >= 0]
    deals = subs.groupby("subtheme_id")["row"].nunique()
    mentions = subs.groupby("subtheme_id").size()
    theme_deals = dict(zip(table["theme_id"].tolist(), table["size"].tolist(), strict=True))
    out = {}
    for theme_id, entries in sub_entries.items():
        counted = []
        for e in entries:
            size = int(deals.get(e["subtheme_id"], 0))
            counted.append({**e, "size": size, "mentions": int(mentions.get(e["subtheme_id"], 0)),
                            "share": size / max(1, int(theme_deals.get(theme_id, 0)))})
        out[theme_id] = sorted(counted, key=lambda e: (-e["size"], e["subtheme_id"]))
    return out
