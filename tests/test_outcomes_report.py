"""The report lists the outcome values seen, how each was read and their counts, and says when some were unknown."""

from __future__ import annotations

import dataclasses

import pandas as pd

from tests._models import hand_model
from voc.read.outcomes import map_outcomes
from voc.report.html import LOST_ONLY_NOTE, render_index, winloss_mode
from voc.report.markdown import render_markdown


def _outcomes(values: list[str], won_with_text: int) -> dict:
    return {"column": "フェーズ", "won_with_text": won_with_text, **map_outcomes(pd.Series(values)).to_dict()}


def test_values_mapping_and_counts_are_listed() -> None:
    values = ["Closed Won"] * 3 + ["Closed Lost"] * 5 + ["検収待ち"] * 2 + ["交渉"]
    model = dataclasses.replace(hand_model(), outcomes=_outcomes(values, won_with_text=3))
    md = render_markdown(model)
    part = md.split("## 受注・失注の判定（列 フェーズ）")[1].split("\n## ")[0]
    assert "受注 3 件、失注 5 件、未完了 3 件" in part
    assert "| Closed Lost | 失注 | 既定の語 | 5 |" in part and "| Closed Won | 受注 | 既定の語 | 3 |" in part
    assert "| 検収待ち | 未完了 | 未知の値 | 2 |" in part
    assert "「検収待ち」（2 件）は受注・失注のどちらか分からないため未完了として数えました" in part
    assert "won\\_values" in part and "--lost-value" in part  # escaped: renders as won_values
    html = render_index(model)
    assert "受注・失注の判定（列 フェーズ）" in html and "検収待ち" in html and "未知の値" in html


def test_no_note_when_every_value_is_known_and_no_section_without_outcome_column() -> None:
    model = dataclasses.replace(hand_model(), outcomes=_outcomes(["受注", "失注"], won_with_text=1))
    assert "未完了として数えました" not in render_markdown(model)
    assert "受注・失注の判定" not in render_markdown(hand_model())


def test_lost_only_note_follows_the_texts_on_won_deals() -> None:
    base = hand_model()
    assert winloss_mode(base) == "full"
    lost_only = dataclasses.replace(base, outcomes=_outcomes(["受注", "失注"], won_with_text=0))
    assert winloss_mode(lost_only) == "lost_only" and LOST_ONLY_NOTE in render_markdown(lost_only)
    full = dataclasses.replace(base, outcomes=_outcomes(["受注", "失注"], won_with_text=4))
    assert winloss_mode(full) == "full" and LOST_ONLY_NOTE not in render_markdown(full)


def test_every_reject_reason_has_a_japanese_name() -> None:
    from voc.read import REJECT_REASONS
    from voc.report.html import REASONS_JA

    assert set(REJECT_REASONS) == set(REASONS_JA)
