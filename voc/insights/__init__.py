"""The insights stage: how often each theme comes up, where (segment, rep, month), how it moves win
rate (:mod:`voc.insights._tables`: cross-tabs, lift, trends, tests), and the step that fills the
report's theme rows with them (:func:`theme_insights`)."""

from __future__ import annotations

from voc.insights._fill import theme_insights
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
    win_loss,
)

__all__ = [
    "theme_sizes", "wilson_interval", "benjamini_hochberg", "monthly_trend", "win_loss", "segment_lift",
    "competitor_mentions", "emerging_themes", "compare_runs", "TOO_FEW", "theme_insights",
]
