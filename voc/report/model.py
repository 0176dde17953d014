"""The table model behind every report format.

The pipeline builds one :class:`ReportModel`; the CSV, Markdown and HTML renderers only read it.
Fields added by later stages (insights, run history, taxonomy) have defaults, so a renderer must
cope with them being empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Quote", "ThemeRow", "ReportModel", "join_themes"]


@dataclass
class Quote:
    """A verbatim (PII-masked) text with its context, for quote lists."""

    text: str
    row: int
    date: str = ""
    outcome: str = ""
    segments: dict[str, str] = field(default_factory=dict)


@dataclass
class ThemeRow:
    """One theme as reports show it.

    ``theme_id`` is the stable id (kept across runs when the theme matches the previous run's).
    Insight fields are empty when the matching columns (date, outcome, segments) are not configured.
    """

    theme_id: int
    label: str
    size: int
    share: float
    keywords: list[str]
    quotes: list[str]
    # -- stable ids / taxonomy ----------------------------------------------------------------------
    status: str = ""  # "新規" (new this run), "" (matched a previous theme)
    marketing: dict[str, str] = field(default_factory=dict)  # messaging, product_idea, owner, status, notes
    # -- insights -----------------------------------------------------------------------------------
    trend: list[tuple[str, int, float]] = field(default_factory=list)  # (month "YYYY-MM", count, share of month)
    emerging: bool = False
    winloss: dict[str, Any] = field(default_factory=dict)  # see voc.insights.win_loss
    segments: list[dict[str, Any]] = field(default_factory=list)  # see voc.insights.segment_lift
    competitors: list[tuple[str, int]] = field(default_factory=list)
    quote_records: list[Quote] = field(default_factory=list)  # many quotes with context (theme pages)


@dataclass
class ReportModel:
    """Everything a report renders; built once by the pipeline, rendered by each format.

    ``rows`` holds read/kept/rejected counts; ``rejected_by_reason`` maps a reason key to a count;
    ``changes`` lists theme ids by kind of change since the previous run
    (``new``, ``growing``, ``shrinking``, ``vanished``; vanished entries are dicts with id and label).
    """

    title: str
    input_name: str
    themes: list[ThemeRow]
    rows: dict[str, int]
    rejected_by_reason: dict[str, int]
    n_unassigned: int
    options: dict[str, Any] = field(default_factory=dict)
    version: str = ""
    months: list[str] = field(default_factory=list)
    changes: dict[str, list[Any]] = field(default_factory=dict)
    run_id: str = ""
    previous_run_id: str = ""

    def theme_records(self) -> list[dict[str, Any]]:
        """Rows for ``themes.csv``: lists joined with ``、`` (keywords) and `` | `` (quotes)."""
        return [
            {
                "theme_id": t.theme_id,
                "label": t.label,
                "size": t.size,
                "share": round(t.share, 6),
                "keywords": "、".join(t.keywords),
                "quotes": " | ".join(q.replace("\n", " ") for q in t.quotes),
            }
            for t in self.themes
        ]


def join_themes(
    records: pd.DataFrame, assignments: pd.DataFrame, rejected: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every row of the export with its theme: the analyst's one join.

    *records* are the export's rows (``row`` and every column, e.g. ``ReportResult.records``),
    *assignments* need ``row``, ``theme_id`` and ``theme_label`` (``assignments.csv``), *rejected*
    ``row`` and ``reason`` (``rejected.csv``). Returns *records* (deal columns included) with
    ``theme_id`` (``-1`` when the row was not analysed or is unassigned), ``theme_label`` (empty
    when not analysed) and ``status``: ``analysed`` or the reason the row was rejected.
    """
    import pandas as pd

    cols = [c for c in ("row", "theme_id", "theme_label", "subtheme_id", "subtheme_label") if c in assignments]
    out = records.merge(assignments[cols], on="row", how="left", validate="one_to_one")
    out["theme_id"] = out["theme_id"].fillna(-1).astype(int)
    out["theme_label"] = out["theme_label"].fillna("")
    status = pd.Series("analysed", index=out.index)
    if rejected is not None and len(rejected):
        reasons = rejected.drop_duplicates("row").set_index("row")["reason"]
        status = out["row"].map(reasons).fillna("analysed")
    out["status"] = status.to_numpy()
    return out
