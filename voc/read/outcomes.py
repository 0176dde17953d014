"""Which deals were won, lost or are still open: the outcome column's values mapped to three words.

CRMs write the outcome of a deal in their own words, and every org can rename its phases. The
default vocabulary below covers what the CRMs used in Japan export in their Japanese and English
UIs; ``[input] won_values`` / ``lost_values`` / ``open_values`` (``--won-value`` / ``--lost-value``
/ ``--open-value``) add an org's own words and win over the defaults.

Values are compared after NFKC, trimming, case folding, dropping spaces, ``_``, ``-`` and ``・``, and
dropping a leading stage number (``06_受注``, ``7. Closed Won``, ``(3) 提案``): ``Closed Won``,
``closed_won``, ``ＣＬＯＳＥＤ　ＷＯＮ`` and ``closedwon`` are one value. The comparison is exact
otherwise: ``受注見込み`` is not ``受注``.

Where the words come from (looked up for this module; each org may rename them):

* Salesforce 商談「フェーズ」(StageName): the default picklist ends in ``Closed Won`` / ``Closed Lost``
  (English UI, and the stored value in many Japanese orgs), ``成立`` / ``不成立`` in Japanese (the
  OpportunityStage table: "見込み、交渉、成立など", IsWon / IsClosed), often renamed ``商談成立`` /
  ``受注`` / ``失注``. https://cdn.cdata.com/help/RFM/jp/odbc/pg_table-opportunitystage.htm ,
  https://regardie.dev/post-989 , Outlook/BCM Sales Stage values (Prospecting ... Negotiation/Review,
  Closed Won, Closed Lost): https://learn.microsoft.com/en-us/previous-versions/office/office-12/aa431997(v=office.12)
* HubSpot 取引ステージ (dealstage): labels ``Closed won`` / ``Closed lost``, internal values
  ``closedwon`` / ``closedlost`` (https://www.skills.sh/pfoy/growth-skills/hubspot-deal-stages ,
  https://raw.githubusercontent.com/dtwoai/policy-store/main/apps/hubspot/block-deal-closure/policy.md),
  Japanese UI ``成約`` / ``失注`` (https://knowledge.hubspot.com/jp/deals/how-to-use-multiple-pipelines-in-the-crm),
  and the open default stages (Appointment scheduled ... Contract sent).
* Microsoft Dynamics 365 営業案件: 状態 (statecode) ``Open`` / ``Won`` / ``Lost``, Japanese
  ``オープン`` / ``受注`` / ``失注``; ステータス理由 (statuscode) ``In Progress`` / ``On Hold`` (open),
  ``Won``, and under Lost ``Canceled`` / ``Out-Sold``; the forecast category becomes 成約 or 失注.
  https://learn.microsoft.com/ja-jp/dynamics365/sales-enterprise/close-opportunity-won-lost-sales ,
  https://learn.microsoft.com/en-us/previous-versions/dynamics/ax-2012/reference/gg868862(v=ax.60)
  (Active, Postponed, Won, Cancelled, Lost), Business Central (Not Started, In Progress, Won, Lost):
  https://learn.microsoft.com/en-us/dynamics365/business-central/application/base-application/enum/microsoft.crm.opportunity.opportunity-status
* Zoho CRM 商談ステージ: ``Closed Won`` / ``Closed Lost`` / ``Closed Lost to Competition``; Japanese
  ``受注`` / ``失注``, categories 未完了 / 受注 / 失注.
  https://help.zoho.com/portal/ja/kb/crm/sales-force-automation/deal-management/articles/%E5%95%86%E8%AB%87%E3%81%AE%E4%BD%9C%E6%88%90
* kintone 案件管理 apps and Japanese SFAs (Sansan, eセールスマネージャー, Sales Force Assistant,
  FlexCRM): 案件進捗 / ステータス ``受注`` / ``失注``, open ``商談中`` / ``商談前``, ``商談中止``.
  https://transagent.asia/tips/kintone-sfa/03-009/ , https://support.nivms.com/manual/user_sfa_project01 ,
  https://manual.flexcrm.jp/project/ ; Infor's 機会状況 ``獲得`` / ``失注``:
  https://docs.infor.com/ln/10.5/ja-jp/lnolh/help/td/domains/smi.opst.html
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from voc.errors import ConfigError, OutcomeError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Outcome",
    "OUTCOMES",
    "DEFAULT_WON_VALUES",
    "DEFAULT_LOST_VALUES",
    "DEFAULT_OPEN_VALUES",
    "OutcomeMapping",
    "map_outcomes",
    "check_outcomes",
    "outcome_record",
    "outcome_key",
]

Outcome = Literal["won", "lost", "open"]
#: The three outcomes, in the order reports list them.
OUTCOMES: tuple[str, ...] = get_args(Outcome)

#: Default words for a won deal (compared with :func:`outcome_key`).
DEFAULT_WON_VALUES: tuple[str, ...] = (
    "受注",
    "受注済",
    "受注済み",
    "受注確定",
    "成約",
    "成約済",
    "成約済み",
    "成立",
    "商談成立",
    "契約",
    "契約済",
    "契約済み",
    "契約締結",
    "獲得",
    "Closed Won",
    "closedwon",
    "Won",
    "Win",
    "Deal Won",
)
#: Default words for a lost deal. Dynamics files ``Canceled`` and ``Out-Sold`` under the Lost state.
DEFAULT_LOST_VALUES: tuple[str, ...] = (
    "失注",
    "失注済",
    "失注済み",
    "失注(競合)",
    "不成約",
    "不成立",
    "商談不成立",
    "見送り",
    "商談中止",
    "中止",
    "キャンセル",
    "キャンセル済み",
    "他社決定",
    "競合負け",
    "不採用",
    "Closed Lost",
    "closedlost",
    "Closed Lost to Competition",
    "Lost",
    "Loss",
    "Deal Lost",
    "Canceled",
    "Cancelled",
    "Out-Sold",
    "Outsold",
)
#: Default words for a deal still open (counted neither as won nor as lost).
DEFAULT_OPEN_VALUES: tuple[str, ...] = (
    "進行中",
    "商談中",
    "商談前",
    "提案中",
    "交渉中",
    "検討中",
    "保留",
    "継続",
    "継続中",
    "未完了",
    "オープン",
    "見込み",
    "リード",
    "アプローチ",
    "ヒアリング",
    "提案",
    "見積",
    "見積提示",
    "交渉",
    "評価",
    "ニーズ分析",
    "価値提案",
    "意思決定者の特定",
    "認識分析",
    "提案/見積",
    "交渉/レビュー",
    "受注見込み",
    "Open",
    "In Progress",
    "On Hold",
    "Not Started",
    "Active",
    "Postponed",
    "Pending",
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Appointment Scheduled",
    "Qualified to Buy",
    "Presentation Scheduled",
    "Decision Maker Bought-In",
    "Contract Sent",
)

_STAGE_NUMBER = re.compile(r"^[(\[]?\d{1,2}[)\].:_\-\s]+(?=\S)")
_SEPARATORS = re.compile(r"[\s_\-‐・]+")


def outcome_key(value: object) -> str:
    """The form values are compared in: NFKC, trimmed, case-folded, no stage number or separators."""
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    text = _STAGE_NUMBER.sub("", text)
    return _SEPARATORS.sub("", text)


@dataclass
class OutcomeMapping:
    """What :func:`map_outcomes` found.

    Attributes
    ----------
    outcome : Series
        ``"won"``, ``"lost"`` or ``"open"`` for each input row, with the input's index.
    values : DataFrame
        One row per distinct value of the column, most common first. Columns ``value`` (as written,
        trimmed), ``outcome``, ``source`` (``"configured"``, ``"default"``, ``"unmapped"``: no word
        matched, counted as open; ``"blank"``: an empty cell, counted as open) and ``count``.
    """

    outcome: pd.Series
    values: pd.DataFrame

    def count(self, outcome: str) -> int:
        """Rows mapped to *outcome*."""
        return int((self.outcome == outcome).sum())

    @property
    def n_won(self) -> int:
        return self.count("won")

    @property
    def n_lost(self) -> int:
        return self.count("lost")

    @property
    def n_open(self) -> int:
        return self.count("open")

    @property
    def unmapped(self) -> list[tuple[str, int]]:
        """Non-blank values no word matched (they count as open), with their counts."""
        part = self.values[self.values["source"] == "unmapped"]
        return [(str(v), int(c)) for v, c in zip(part["value"], part["count"], strict=True)]

    @property
    def coverage(self) -> float:
        """Share of non-blank cells whose value some word matched (1.0 when every cell is blank)."""
        filled = self.values[self.values["source"] != "blank"]
        total = int(filled["count"].sum())
        if not total:
            return 1.0
        return float(filled.loc[filled["source"] != "unmapped", "count"].sum()) / total

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary for ``run.json``: counts per outcome and every value with its mapping."""
        return {
            "counts": {o: self.count(o) for o in OUTCOMES},
            "values": [
                {"value": str(v), "outcome": str(o), "source": str(s), "count": int(c)}
                for v, o, s, c in self.values[["value", "outcome", "source", "count"]].itertuples(index=False)
            ],
            "unmapped": [v for v, _ in self.unmapped],
        }


def _vocabulary(
    won_values: Iterable[str] | None, lost_values: Iterable[str] | None, open_values: Iterable[str] | None
) -> tuple[dict[str, str], dict[str, str]]:
    """(configured key → outcome, default key → outcome); a value configured twice is a ConfigError."""
    configured: dict[str, str] = {}
    where: dict[str, str] = {}
    for outcome, values in (("won", won_values), ("lost", lost_values), ("open", open_values)):
        if isinstance(values, str):
            values = [values]
        for v in values or ():
            key = outcome_key(v)
            if not key:
                raise ConfigError(f"[input] {outcome}_values holds an empty value; remove it")
            if key in configured and configured[key] != outcome:
                raise ConfigError(
                    f"the outcome value {v!r} is in both [input] {where[key]}_values and {outcome}_values; "
                    "keep it in one of them"
                )
            configured[key], where[key] = outcome, outcome
    defaults: dict[str, str] = {}
    for outcome, values in (("won", DEFAULT_WON_VALUES), ("lost", DEFAULT_LOST_VALUES), ("open", DEFAULT_OPEN_VALUES)):
        for v in values:
            defaults.setdefault(outcome_key(v), outcome)
    return configured, defaults


def map_outcomes(
    values: pd.Series,
    won_values: Sequence[str] | None = None,
    lost_values: Sequence[str] | None = None,
    open_values: Sequence[str] | None = None,
) -> OutcomeMapping:
    """Map an outcome column to ``won`` / ``lost`` / ``open``.

    Parameters
    ----------
    values
        The outcome column (any dtype; read as text). Blank cells and values no word matches are
        ``open``.
    won_values, lost_values, open_values
        An org's own words, added to :data:`DEFAULT_WON_VALUES`, :data:`DEFAULT_LOST_VALUES` and
        :data:`DEFAULT_OPEN_VALUES`; they win over the defaults (``open_values = ["受注"]`` makes
        受注 open). A value in two of them is a :class:`~voc.errors.ConfigError`.

    Returns
    -------
    OutcomeMapping
        Per-row outcome and the table of values seen.
    """
    import pandas as pd

    configured, defaults = _vocabulary(won_values, lost_values, open_values)
    text = values.astype("string").fillna("").astype(str).str.strip()
    counts = text.value_counts(sort=False)
    table = []
    lookup: dict[str, str] = {}
    for value, count in counts.items():
        key = outcome_key(value)
        if not key:
            outcome, source = "open", "blank"
        elif key in configured:
            outcome, source = configured[key], "configured"
        elif key in defaults:
            outcome, source = defaults[key], "default"
        else:
            outcome, source = "open", "unmapped"
        lookup[str(value)] = outcome
        table.append((str(value), outcome, source, int(count)))
    frame = pd.DataFrame(table, columns=["value", "outcome", "source", "count"])
    frame = frame.sort_values(["count", "value"], ascending=[False, True], kind="stable").reset_index(drop=True)
    outcome = text.map(lookup).astype(object)
    outcome.name = "outcome"
    return OutcomeMapping(outcome=outcome, values=frame)


def check_outcomes(mapping: OutcomeMapping, *, path: str, column: str, top: int = 5) -> None:
    """Raise :class:`~voc.errors.OutcomeError` when no value of *column* maps to won or lost.

    The message names the file, the column, its most common values and the settings that fix it.
    A column with only won, or only lost, deals passes: that is what the data says.
    """
    if mapping.n_won or mapping.n_lost:
        return
    filled = mapping.values[mapping.values["source"] != "blank"]
    common = [(str(v), int(c)) for v, c in zip(filled["value"], filled["count"], strict=True)][:top]
    if common:
        shown = ", ".join(f"{v!r} ({c:,})" for v, c in common)
        what = f"none of its values means won or lost to voc; the most common are {shown}"
        example = common[0][0]
    else:
        what = "every cell is blank"
        example = "受注"
    raise OutcomeError(
        f"the outcome column {what}",
        path=path,
        column=column,
        values=common,
        hint=f'say which values are won and lost: won_values = ["{example}"] and lost_values = [...] in the '
        f"[input] section of the config, or --won-value VALUE / --lost-value VALUE (each may repeat); "
        "or drop outcome_column if the export has no outcome",
    )


def outcome_record(mapping: OutcomeMapping, *, column: str, analysed: pd.Series) -> dict[str, Any]:
    """What ``run.json`` and :attr:`voc.report.ReportModel.outcomes` hold about the outcome column.

    :meth:`OutcomeMapping.to_dict` plus ``column`` and ``won_with_text`` / ``lost_with_text``: how many
    won / lost deals have an analysed text. *analysed* is a boolean Series aligned with
    ``mapping.outcome`` (True where the row was kept for analysis). The report's "text only on lost
    deals" note depends on ``won_with_text`` being 0.
    """
    kept = mapping.outcome[analysed.to_numpy(dtype=bool)]
    return {
        "column": column,
        **mapping.to_dict(),
        "won_with_text": int((kept == "won").sum()),
        "lost_with_text": int((kept == "lost").sum()),
    }
