"""Statements as units (issue #27): the clean stage on statements, the units table, each row's
themes, mentions, counts and the rep's log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from voc.parallel import LocalExecutor
from voc.tokenize import Tokenizer
from voc.units import (
    UNIT_COLUMNS,
    clean_statements,
    co_themes,
    kind_rules,
    log_rows,
    main_themes,
    mention_table,
    quote_context,
    statement_units,
    theme_counts,
    unit_themes,
)

NOTE = "11/08 訪問。田中様より、価格が高いとの指摘。CSV連携ができるか確認された。次回デモ予定。"


@pytest.fixture(scope="module")
def cleaned():
    frame = pd.DataFrame({
        "row": [0, 1, 2, 3],
        "call_note": [NOTE, "", "特になし", "。。。"],
        "lost_reason": ["予算が付かず見送り。", "", "", ""],
    })
    return frame, clean_statements(LocalExecutor(1), frame, ["call_note", "lost_reason"], rules=kind_rules(),
                                   mask=True, max_text_chars=2000, tokenizer=Tokenizer())


def test_statements_keep_raw_offsets_although_masking_changes_lengths(cleaned):
    frame, (kept, rejected, st) = cleaned
    assert kept["row"].tolist() == [0]
    note = st[st["column"] == "call_note"]
    assert len(note) == 4
    for column, a, b, text in zip(st["column"], st["start"], st["end"], st["text"], strict=True):
        raw = frame.at[0, column][a:b]
        assert raw and raw[-1] == text[-1]  # the statement's own end, not shifted by ［氏名］
    masked = st[st["text"].str.contains("［氏名］")]
    assert len(masked) == 1 and "田中" not in "".join(st["text"])
    a, b = int(masked["start"].iloc[0]), int(masked["end"].iloc[0])
    assert frame.at[0, "call_note"][a:b].startswith("田中様より")


def test_every_row_is_kept_or_rejected_with_a_reason(cleaned):
    frame, (kept, rejected, st) = cleaned
    assert sorted(kept["row"].tolist() + rejected["row"].tolist()) == frame["row"].tolist()
    reasons = dict(zip(rejected["row"], rejected["reason"], strict=True))
    assert reasons[1] == "empty_text" and reasons[2] == "non_answer"
    assert reasons[3] in {"no_statement", "non_answer", "empty_text"}


def test_kinds_tell_the_customer_from_the_reps_log(cleaned):
    _, (_, _, st) = cleaned
    kinds = dict(zip(st["text"].str[:6], st["kind"], strict=True))
    assert kinds["11/08 "] == "log"  # a dated visit line
    assert st.loc[st["text"].str.contains("次回デモ予定"), "kind"].item() == "log"
    assert st.loc[st["text"].str.contains("価格が高い"), "kind"].item() == "voice"
    assert st.loc[st["text"].str.contains("予算が付かず"), "kind"].item() == "voice"
    units = statement_units(st)
    assert list(units.columns) == UNIT_COLUMNS and units["unit"].tolist() == list(range(len(st)))


def test_custom_cues_come_first_and_bad_patterns_name_themselves():
    from voc.errors import ConfigError
    from voc.statements import statement_kind

    assert statement_kind("価格が高いとの指摘。", kind_rules(log_cues=["価格"])).kind == "log"
    with pytest.raises(ConfigError, match="log_cues"):
        kind_rules(log_cues=["("])


@pytest.fixture
def long():
    units = pd.DataFrame({
        "unit": range(7), "row": [0, 0, 0, 0, 1, 1, 2], "column": "note",
        "start": [0, 5, 9, 14, 0, 5, 0], "end": [5, 9, 14, 20, 5, 9, 4],
        "text": ["訪問した", "価格が高い", "連携が必須", "価格が高い", "連携必須", "次回予定", "訪問"],
        "tokens": [[]] * 7, "kind": ["log", "voice", "voice", "voice", "voice", "log", "log"], "cue": "",
    })
    voice_themes = np.array([3, 5, 3, 5])  # the voice units' themes, in order
    return units, unit_themes(units, voice_themes, np.array([30, 50, 31, 51]))


def test_main_theme_is_the_most_said_and_theme_ids_hold_all(long):
    units, lt = long
    out = main_themes(lt, [0, 1, 2], {3: "価格", 5: "連携"}, {30: "高い", 31: "割高", 50: "必須", 51: "API"})
    assert out["theme_ids"].tolist() == ["3|5", "5", ""]
    assert out["theme_id"].tolist() == [3, 5, -1]  # row 0: 3 said twice; row 2: only the rep's log
    assert out["theme_label"].tolist() == ["価格", "連携", "未分類"]
    assert out["subtheme_id"].tolist() == [30, 51, -1]  # the first statement of the main theme


def test_a_tie_goes_to_the_earliest_statement(long):
    units, lt = long
    lt = lt.copy()
    lt.loc[lt["unit"] == 1, "theme_id"] = 8
    lt.loc[lt["unit"] == 3, "theme_id"] = 7  # row 0: themes 8, 5, 7 once each, in that order
    assert main_themes(lt, [0], {})["theme_id"].tolist() == [8]


def test_log_units_never_get_a_theme_and_counts_are_deals(long):
    units, lt = long
    assert (lt.loc[lt["kind"] == "log", "theme_id"] == -1).all()
    counts = theme_counts(lt)
    assert counts.loc[3].tolist() == [2, 1]  # mentions 2, deals 1
    assert counts.loc[5].tolist() == [2, 2]
    assert co_themes(lt, {3: "価格", 5: "連携"})[3] == [{"theme_id": 5, "label": "連携", "deals": 1}]
    mentions = mention_table(units, lt, {3: "価格", 5: "連携"})
    assert len(mentions) == len(units) and set(mentions.loc[mentions["kind"] == "log", "theme_label"]) == {""}
    sections = log_rows(units)
    assert sum(s["statements"] for s in sections) == 3 and {s["deals"] for s in sections} <= {1, 2, 3}


def test_quotes_get_their_note_around_them():
    from voc.report.model import Quote

    # the cell's statements as the clean stage left them: normalised and masked
    units = pd.DataFrame({"row": [4, 4, 4, 5], "column": ["note"] * 4, "start": [0, 7, 17, 0], "end": [7, 17, 24, 5],
                          "text": ["［氏名］様と面談。", "価格が高いとのこと。", "次回デモ予定。", "価格が高いとのこと。"]})
    place = quote_context(units)
    (q, other) = place([Quote(text="価格が高いとのこと。", row=4), Quote(text="価格が高いとのこと。", row=5)])
    assert q.column == "note" and q.after == "次回デモ予定。"
    assert q.before == "［氏名］様と面談。"  # the context is the masked statements, never the raw cell
    assert other.before == other.after == ""
    (first,) = place([Quote(text="［氏名］様と面談。", row=4)])
    assert first.before == "" and first.after == "価格が高いとのこと。 次回デモ予定。"


def test_statement_frame_is_the_same_split_in_worker_processes():
    """Cells split in forked workers (chunks of cells) give the frame one process gives, in order."""
    from voc.units import statement_frame

    notes = ["11/5 初回訪問。価格が高いとのこと。\n・次回デモ予定", "", None, "サポート体制に不安 ／ 他社と比較中",
             "【懸念】連携できるか", "受注！"]
    frame = pd.DataFrame({"row": range(5000), "note": [notes[i % 6] if i % 7 else f"第{i}回 訪問" for i in range(5000)],
                          "reason": ["価格" if i % 3 else "" for i in range(5000)]})
    one = statement_frame(frame, ["note", "reason"], n_jobs=1)
    two = statement_frame(frame, ["note", "reason"], n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert one["row"].tolist() == list(range(len(one)))
    assert one.loc[one["deal_row"] == 7, "statement"].tolist() == ["第7回", "訪問", "価格"]
