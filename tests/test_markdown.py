"""summary.md: golden files for hand-built models (with and without sub-themes), escaping, and
models without insights."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests._models import hand_model, subtheme_model
from voc.report.markdown import MAX_THEME_SECTIONS, render_markdown
from voc.report.model import ReportModel, ThemeRow

GOLDEN = Path(__file__).parent / "golden"


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("VOC_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run VOC_UPDATE_GOLDEN=1 pytest tests/test_markdown.py and review the file"
    assert text == path.read_text(encoding="utf-8")


def test_summary_matches_golden_file():
    _check_golden("summary_hand.md", render_markdown(hand_model()))


def test_summary_with_subthemes_matches_golden_file():
    _check_golden("summary_subthemes.md", render_markdown(subtheme_model()))


def test_subtheme_table_sits_under_its_theme_only():
    text = render_markdown(subtheme_model())
    sections = text.split("## テーマ別の声")[1].split("\n### ")
    price = next(s for s in sections if s.startswith("1. 価格・費用"))
    table = price[price.index("サブテーマ（3 件）:") :]
    assert "| サブテーマ | 件数 | テーマ内の割合 | 受注率への影響 | キーワード | 声 |" in table
    assert "| 初期費用が高い | 180 | 42.9% | −27.0pt＊ | 初期費用、高い、導入 | 初期費用が高すぎる。 |" in table
    assert "| 値引きが必要【新規】 | 140 | 33.3% | 件数不足 |" in table  # too few deals: no effect claimed
    assert "| ユーザー単価 | 100 | 23.8% | — | 単価、ユーザー、月額 | ユーザー単価が 他社の倍。 |" in table
    assert text.count("サブテーマ（") == 1  # themes 7 and 12 were not split: no table, no note
    # everything before the quote sections is what a report without sub-themes says
    assert text.split("## テーマ別の声")[0] == render_markdown(hand_model()).split("## テーマ別の声")[0]


def test_subtheme_table_without_win_loss_has_no_effect_column():
    model = subtheme_model()
    for t in model.themes:
        t.winloss = {}
    text = render_markdown(model)
    assert "| サブテーマ | 件数 | テーマ内の割合 | キーワード | 声 |" in text and "受注率への影響" not in text


@pytest.mark.parametrize(
    ("text", "must_not_contain", "must_contain"),
    [
        ("<script>alert(1)</script>", "<script>", "\\<script\\>"),
        ("月額|ユーザー", "月額|ユーザー", "月額\\|ユーザー"),
        ("[罠](javascript:alert(1))", "[罠](", "\\[罠\\]"),
    ],
)
def test_subtheme_text_cannot_become_markup(text, must_not_contain, must_contain):
    model = subtheme_model()
    sub = model.themes[0].subthemes[0]
    sub.label, sub.quotes, sub.keywords = text, [text], [text]
    out = render_markdown(model)
    assert must_not_contain not in out
    assert out.count(must_contain) >= 3  # name, keyword and quote cells
    rows = [line for line in out.splitlines() if line.startswith("| ") and "180" in line]
    assert len(rows) == 1 and rows[0].count(" | ") == 5  # still six cells: no cell was split


def test_summary_sections_follow_the_model():
    text = render_markdown(hand_model())
    # changes: new, shrinking and vanished are named; nothing grew
    assert "- 新規: 7. 競合 NovaCRM \\| 乗り換え" in text
    assert "- 増加: なし" in text
    assert "- 消滅: 4. 導入サポート" in text
    # win/loss: significant themes listed by effect (most negative first), the too-few one is not
    wl = text.split("## 受注・失注との関係")[1].split("##")[0]
    assert wl.index("7. 競合") < wl.index("1. 価格")
    assert "セキュリティ" not in wl
    assert "| 12 | セキュリティ審査 | 12 | 1.2% | 1.2%→1.2% | 件数不足 |" in text
    # trend: mean share of the first three months → the last three
    assert "| 7 | 競合 NovaCRM \\| 乗り換え【急増】【新規】 | 150 | 15.0% | 1.3%→19.3% |" in text
    # notable segments: only the significant one
    assert "industry＝製造業 60.0%（全体 42.0%、リフト 1.43）" in text
    assert "関西" not in text
    # three quotes per theme at most
    assert "四件目の声" not in text


@pytest.mark.parametrize(
    ("text", "must_not_contain", "must_contain"),
    [
        ("<script>alert(1)</script>", "<script>", "\\<script\\>"),
        ("[クリック](javascript:alert(1))", "[クリック](", "\\[クリック\\]"),
        ("価格|高い", "価格|高い", "価格\\|高い"),
        ("# 見出しにしない", "\n# 見出し", "\\# 見出しにしない"),
        ("一行目\n| 表 |", "\n| 表", "一行目 \\| 表 \\|"),
    ],
)
def test_data_text_cannot_become_markup(text, must_not_contain, must_contain):
    model = hand_model()
    model.themes[0].label = text
    model.themes[0].quotes = [text]
    out = render_markdown(model)
    assert must_not_contain not in out
    assert must_contain in out


def test_model_without_insights_renders_plainly():
    model = ReportModel(
        title="voc テーマレポート",
        input_name="notes.csv",
        themes=[ThemeRow(1, "操作性", 30, 0.6, ["操作", "画面"], ["画面が分かりにくい。"])],
        rows={"read": 50, "kept": 50, "rejected": 0},
        rejected_by_reason={},
        n_unassigned=20,
    )
    out = render_markdown(model)
    assert "前回の実行がないため、比較はありません。" in out
    assert "| 1 | 操作性 | 30 | 60.0% | 操作、画面 |" in out
    for absent in ("受注", "推移", "セグメント", "除外した行"):
        assert absent not in out


def test_quote_sections_are_capped_but_keep_emerging_themes():
    themes = [ThemeRow(i, f"テーマ{i}", 100 - i, (100 - i) / 2000, ["語"], [f"声{i}"]) for i in range(1, 16)]
    themes[-1].emerging = True
    model = ReportModel("voc", "x.csv", themes, {"read": 1, "kept": 1, "rejected": 0}, {}, 0)
    out = render_markdown(model)
    sections = [line for line in out.splitlines() if line.startswith("### ")]
    assert len(sections) == MAX_THEME_SECTIONS + 1
    assert sections[-1].startswith("### 15. テーマ15【急増】")
    assert "ほか 4 テーマの声は" in out


def test_lost_reasons_only_give_no_win_rate_effect():
    """Text only on lost deals: every theme's win rate is 0, so no effect is claimed."""
    model = hand_model()
    for t in model.themes:
        t.winloss["n_won"] = 0
    out = render_markdown(model)
    assert "受注率への影響" not in out and "pt＊" not in out
    assert "失注した商談にしか書かれていない" in out


def test_no_themes_says_so():
    model = ReportModel("voc", "x.csv", [], {"read": 3, "kept": 0, "rejected": 3}, {"empty_text": 3}, 0)
    out = render_markdown(model)
    assert "テーマはありません" in out and "|---" not in out and "テーマ別の声" not in out


@pytest.mark.parametrize(
    ("text", "must_not_contain"),
    [("<script>alert(1)</script>", "<script>"), ("[罠](javascript:alert(1))", "[罠]("), ("月額|ユーザー", "月額|ユーザー"),
     ("**太字**", "**太字**"), ("行\n# 見出し", "\n# 見出し")],
)
def test_every_interpolated_value_is_escaped(text, must_not_contain):
    """The unknown-outcome note, outcome values, reasons, months and version are data too."""
    model = hand_model()
    model.outcomes = {
        "column": "フェーズ",
        "values": [{"value": text, "outcome": text, "source": "unmapped", "count": 3},
                   {"value": "受注", "outcome": "won", "source": "default", "count": 5}],
        "counts": {"won": 5, "lost": 0, "open": 3},
    }
    model.rejected_by_reason = {text: 2}
    model.months, model.version, model.input_name = [text, text], text, f"x`{text}.csv"
    out = render_markdown(model)
    head, rest = out.split("\n\n", 2)[1:]  # the input's name is in a code span, where markup is inert
    assert head.startswith("入力: `x") and head.count("`") == 2 and "\n" not in head
    assert must_not_contain not in rest
    note = next(line for line in out.splitlines() if "未完了として数えました" in line)
    assert "won\\_values" in note  # the settings' names are escaped too: no italics between the underscores


# -- statements (issue #27) --------------------------------------------------------------------------
def test_summary_with_statements_matches_golden_file():
    from tests._models import statement_model

    _check_golden("summary_statements.md", render_markdown(statement_model()))


def test_statement_summary_says_deals_mentions_impact_log_and_excluded_columns():
    from tests._models import statement_model

    text = render_markdown(statement_model())
    assert "| ID | テーマ | 商談数 | 言及数 | 割合 |" in text and "| 1 | 価格・費用 | 420 | 612 | 42.0% |" in text
    assert "| −24.5pt＊ | −4.3pt（−6.1pt〜−2.5pt） |" in text and "全体受注率への寄与 = 全体の受注率" in text
    assert "### 1. 価格・費用（商談 420 件・言及 612 件、42.0%）" in text
    # co-themes: most deals first, the report's own name, a theme that is not in the report kept by its id
    assert "一緒に言及されたテーマ: 7. 競合 NovaCRM \\| 乗り換え（48 件）、99. 消えたテーマ（5 件）" in text
    # the statement in bold inside its note; long notes elided at a sentence end
    assert "> 先方部長と面談。 **価格が高いとのこと。** 次回は9/3に再訪。" in text
    assert "> …定例の打ち合わせ" in text and "予定。…" in text
    # the rep's log with counts and examples; the excluded column with its reason and counts
    log = text.split("## 担当者の記録")[1]
    assert "テーマには含めず、受注率の比較にも使っていません" in log
    assert "| 受注・失注の記載 | 210 | 205 | **受注！** |" in log
    assert (
        "- lost\\_reason は失注の商談にしか書かれていないため、受注率の比較から外しています"
        "（記入あり: 受注 0 件・失注 412 件・未完了 3 件）。"
    ) in text


def test_statement_text_and_notes_cannot_become_markup():
    from tests._models import statement_model

    model = statement_model()
    model.themes[0].co_themes[0]["label"] = "[罠](javascript:alert(1))"
    model.excluded_columns[0]["column"] = "<img src=x>"
    text = render_markdown(model)
    assert not re.search(r"(?<!\\)<(script|b|img)", text) and "[罠](" not in text  # every < escaped
    assert "- \\<img src=x\\> は失注の商談にしか" in text and "99. \\[罠\\](javascript" in text
    assert "\\<b\\>太字\\</b\\>の前置き。 **\\<script\\>alert(1)\\</script\\>値引きがないと難しい。**" in text
    assert "見積もりを再提出する。\\<img src=x id=logimg\\>" in text


def test_row_units_without_statement_fields_say_what_they_said():
    text = render_markdown(hand_model())
    for absent in ("商談数", "言及数", "一緒に言及", "担当者の記録", "全体受注率への寄与", "比較から外して"):
        assert absent not in text
