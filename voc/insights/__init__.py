"""The insights stage: how often each theme comes up, where (segment, rep, month), how it moves win
rate (:mod:`voc.insights._tables`: cross-tabs, lift, trends, tests), and the stage that computes
them for every theme and sub-theme as tables keyed by theme id and level (:func:`insight_tables`,
:mod:`voc.insights._build`), from which the report's rows are built."""

from __future__ import annotations

from voc.insights._build import LEVEL_KEYS, InsightTables, insight_tables, theme_changes
from voc.insights._tables import (
    TOO_FEW,
    benjamini_hochberg,
    compare_runs,
    competitor_mentions,
    emerging_themes,
    monthly_trend,
    segment_lift,
    theme_sizes,
    wilson_interval,
)
from voc.insights._winrate import difference_interval, one_outcome_columns, win_loss

__all__ = [
    "theme_sizes", "wilson_interval", "benjamini_hochberg", "monthly_trend", "win_loss", "segment_lift",
    "competitor_mentions", "emerging_themes", "compare_runs", "TOO_FEW", "difference_interval",
    "one_outcome_columns",
    "InsightTables", "insight_tables", "theme_changes", "LEVEL_KEYS",
]
