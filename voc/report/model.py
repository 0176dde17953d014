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

__all__ = ["Quote", "SubthemeRow", "ThemeRow", "LogRow", "ReportModel", "join_themes", "SUBTHEME_COLUMNS"]

#: Columns of ``subthemes.csv`` (:meth:`ReportModel.subtheme_records`), in order.
SUBTHEME_COLUMNS = (
    "theme_id",
    "theme_label",
    "subtheme_id",
    "label",
    "size",
    "share",
    "keywords",
    "quotes",
    "status",
)


@dataclass
class Quote:
    """A verbatim (PII-masked) text with its context, for quote lists."""

    text: str
    row: int
    date: str = ""
    outcome: str = ""
    segments: dict[str, str] = field(default_factory=dict)
    result: str = ""  # the outcome as voc read it: "won", "lost", "open" or "" (no outcome column)
    # -- the statement in its note (statement units, issue #27; empty for whole-row units) -----------
    column: str = ""  # the text column the statement is in
    before: str = ""  # the (masked) text of that cell before the statement
    after: str = ""  # the (masked) text of that cell after it


@dataclass
class SubthemeRow:
    """One sub-theme of a theme as reports show it.

    ``subtheme_id`` is stable and unique in the run (like theme ids); ``label`` is its name (a short
    phrase customers wrote); ``share`` is its share of the **parent theme's** texts (0..1). With
    statement units ``size`` and ``share`` count deals (distinct rows), ``mentions`` statements.
    ``trend``, ``winloss``, ``segments`` and ``quote_records`` mean what they mean on
    :class:`ThemeRow` and are empty when not computed (or too few texts).
    """

    subtheme_id: int
    label: str
    size: int
    share: float
    keywords: list[str]
    quotes: list[str]  # representative first
    status: str = ""  # "新規" (new this run) or ""
    trend: list[tuple[str, int, float]] = field(default_factory=list)  # as ThemeRow.trend
    winloss: dict[str, Any] = field(default_factory=dict)  # keys of voc.insights.win_loss
    segments: list[dict[str, Any]] = field(default_factory=list)  # as ThemeRow.segments
    quote_records: list[Quote] = field(default_factory=list)
    mentions: int = 0  # statements that carry the sub-theme; 0: not counted (row units: = size)


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
    # -- statements (issue #27): ``size`` counts deals (distinct rows), ``mentions`` statements -------
    mentions: int = 0  # statements (units) that carry the theme; 0: not counted (row units: = size)
    co_themes: list[dict[str, Any]] = field(default_factory=list)  # {theme_id, label, deals}: mentioned with it
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
    # -- sub-themes ---------------------------------------------------------------------------------
    subthemes: list[SubthemeRow] = field(default_factory=list)  # largest first; empty: not split


@dataclass
class LogRow:
    """One kind of the rep's log (statements that are not the customer's voice, issue #27), e.g. the
    next steps: counted and searchable, never named as a customer theme, never in win rates.

    ``cue`` is the rule's name (:mod:`voc.statements`: ``next_step``, ``visit``, ``outcome`` …),
    ``label`` its Japanese name for marketers (次回アクション), ``statements`` and ``deals`` its counts.
    """

    cue: str
    label: str
    statements: int
    deals: int
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class ReportModel:
    """Everything a report renders; built once by the pipeline, rendered by each format.

    ``rows`` holds read/kept/rejected counts; ``rejected_by_reason`` maps a reason key to a count;
    ``changes`` lists theme ids by kind of change since the previous run
    (``new``, ``growing``, ``shrinking``, ``vanished``; vanished entries are dicts with id and label).
    ``outcomes`` (empty without an outcome column) is :meth:`voc.read.outcomes.OutcomeMapping.to_dict` of
    the analysed deals plus ``column`` and ``won_with_text`` (analysed texts on won deals).
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
    outcomes: dict[str, Any] = field(default_factory=dict)
    dates: dict[str, Any] = field(default_factory=dict)  # run.json's dates: values of the date column not read
    # -- statements (issue #27) ---------------------------------------------------------------------
    unit: str = "row"  # what got a theme: "row" (one text per row) or "statement"
    log: list[LogRow] = field(default_factory=list)  # the rep's log by cue, largest first
    # text columns kept out of the win-rate comparison: {column, reason (Japanese), won, lost, open}
    excluded_columns: list[dict[str, Any]] = field(default_factory=list)

    def theme_records(self) -> list[dict[str, Any]]:
        """Rows for ``themes.csv``: lists joined with ``、`` (keywords) and `` | `` (quotes);
        ``mentions`` (statements) and ``deals`` (= ``size``) are written for statement units."""
        return [
            {
                "theme_id": t.theme_id,
                "label": t.label,
                "size": t.size,
                "mentions": t.mentions,
                "deals": t.size,
                "share": round(t.share, 6),
                "keywords": "、".join(t.keywords),
                "quotes": " | ".join(q.replace("\n", " ") for q in t.quotes),
            }
            for t in self.themes
        ]

    def subtheme_records(self) -> list[dict[str, Any]]:
        """Rows for ``subthemes.csv`` (columns :data:`SUBTHEME_COLUMNS`), theme by theme.

        Lists are joined as in :meth:`theme_records`; a theme without sub-themes has no rows.
        With statement units, also ``mentions`` (statements) after ``size`` (deals).
        """
        return [
            {
                "theme_id": t.theme_id,
                "theme_label": t.label,
                "subtheme_id": s.subtheme_id,
                "label": s.label,
                "size": s.size,
                **({"mentions": s.mentions} if self.unit == "statement" else {}),
                "share": round(s.share, 6),
                "keywords": "、".join(s.keywords),
                "quotes": " | ".join(q.replace("\n", " ") for q in s.quotes),
                "status": s.status,
            }
            for t in self.themes
            for s in t.subthemes
        ]


def join_themes(
    records: pd.DataFrame, assignments: pd.DataFrame, rejected: pd.DataFrame | None = None,
    outcomes: pd.Series | None = None,
) -> pd.DataFrame:
    """Every row of the export with its theme: the analyst's one join.

    *records* are the export's rows (``row`` and every column, e.g. ``ReportResult.records``),
    *assignments* need ``row``, ``theme_id`` and ``theme_label`` (``assignments.csv``), *rejected*
    ``row`` and ``reason`` (``rejected.csv``). Returns *records* (deal columns included) with
    ``theme_id`` (``-1`` when the row was not analysed or is unassigned), ``theme_label`` (empty
    when not analysed) and ``status``: ``analysed`` or the reason the row was rejected. When
    *assignments* hold ``subtheme_id`` and ``subtheme_label`` they are carried the same way
    (``-1`` and empty when the row has no sub-theme). With *outcomes* (one value per row of
    *records*, in their order: ``won``, ``lost`` or ``open``, :func:`voc.read.outcomes.map_outcomes`)
    the result has ``outcome_as_read``: each deal's outcome as voc read it, which the report's
    win/loss counts (the export's own outcome column stays as written).
    """
    import pandas as pd

    cols = [c for c in ("row", "theme_id", "theme_label", "subtheme_id", "subtheme_label") if c in assignments]
    out = records.merge(assignments[cols], on="row", how="left", validate="one_to_one")
    out["theme_id"] = out["theme_id"].fillna(-1).astype(int)
    out["theme_label"] = out["theme_label"].fillna("")
    if "subtheme_id" in out:
        out["subtheme_id"] = out["subtheme_id"].fillna(-1).astype(int)
    if "subtheme_label" in out:
        out["subtheme_label"] = out["subtheme_label"].fillna("")
    status = pd.Series("analysed", index=out.index)
    if rejected is not None and len(rejected):
        reasons = rejected.drop_duplicates("row").set_index("row")["reason"]
        status = out["row"].map(reasons).fillna("analysed")
    out["status"] = status.to_numpy()
    if outcomes is not None:
        if len(outcomes) != len(records):
            raise ValueError(f"{len(outcomes)} outcomes for {len(records)} records: pass one per record")
        out["outcome_as_read"] = list(outcomes)  # the merge kept the records' order
    return out
