"""voc.inspect: column types, role guesses, Japanese and English output, and a config load_config reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from voc.config import load_config
from voc.inspect import ConfigGuess, inspect_export, profile_export, render, write_config
from voc.read import read_table

NOTES = [
    "初回訪問。現状はExcelで案件管理、月次の集計に時間がかかっているとのこと。",
    "デモ実施、モバイルでの入力に関心あり。価格は他社と比較中。",
    "2回目の打ち合わせ、稟議は来月。情報システム部の同席あり。",
    "競合のA社に決定。価格差が大きかったとのこと、機能面の評価は高かった。",
]
NEXT = [
    "次回は見積を提示。",
    "来週に再訪問。",
    "稟議書のたたき台を送付。",
    "導入事例を共有する。",
    "上長の同席を依頼。",
]
WHO = ["部長", "課長", "担当者", "社長", "情シス", "現場リーダー", "経理"]


def note(i: int) -> str:
    """A note made of three fragments: 140 distinct notes before they repeat."""
    return f"{NOTES[i % 4]}{WHO[i % 7]}より、{NEXT[i % 5]}"


def _export(tmp_path: Path, frame: pd.DataFrame, name: str = "export.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False, encoding="utf-8")
    return path


@pytest.fixture
def deals(tmp_path: Path) -> Path:
    n = 120
    frame = pd.DataFrame(
        {
            "案件ID": [f"OPP-{i:05d}" for i in range(n)],
            "案件名": [f"ミエルクラウド導入 {i}" for i in range(n)],
            "フェーズ": (["受注", "失注", "交渉", "検収待ち"] * n)[:n],
            "完了予定日": [f"2025/{1 + i % 12:02d}/{1 + i % 28:02d}" for i in range(n)],
            "金額": [f"¥{1000 * (i + 1):,}" for i in range(n)],
            "業種": (["製造業", "小売", "金融"] * n)[:n],
            "競合": (["", "A社", "", "B社"] * n)[:n],
            "商談メモ": [note(i) for i in range(n)],
            "English note": [f"Visited the client, demo number {i}. Pricing is under review." for i in range(n)],
        }
    )
    return _export(tmp_path, frame)


def test_types_and_roles(deals: Path) -> None:
    profile = inspect_export(deals)
    cols = {c.name: c for c in profile.columns}
    assert {k: c.type for k, c in cols.items()} == {
        "案件ID": "id",
        "案件名": "category",
        "フェーズ": "category",
        "完了予定日": "date",
        "金額": "number",
        "業種": "category",
        "競合": "category",
        "商談メモ": "text",
        "English note": "text",
    }
    roles = {k: c.role for k, c in cols.items() if c.role}
    assert roles == {
        "案件ID": "id",
        "フェーズ": "outcome",
        "完了予定日": "date",
        "業種": "segment",
        "競合": "competitor",
        "商談メモ": "text",
    }
    assert "not Japanese" in cols["English note"].reason
    assert cols["競合"].fill_rate == pytest.approx(0.5)
    assert cols["商談メモ"].examples and len(cols["商談メモ"].examples) <= 3
    g = profile.guess
    assert (g.text_columns, g.date_column, g.outcome_column, g.id_column) == (
        ["商談メモ"],
        "完了予定日",
        "フェーズ",
        "案件ID",
    )
    assert g.won_values == ["受注"] and g.lost_values == ["失注"] and g.unmapped_values == ["検収待ち"]


def test_the_outcome_column_is_the_one_that_maps_best(tmp_path: Path) -> None:
    n = 40
    frame = pd.DataFrame(
        {
            "stage": (["Closed Won", "Closed Lost", "受注見込", "提案準備"] * n)[:n],  # half unknown words
            "status": (["Won", "Lost", "Open", "Won"] * n)[:n],
            "memo": [note(i) for i in range(n)],
        }
    )
    profile = inspect_export(_export(tmp_path, frame))
    assert profile.guess.outcome_column == "status"
    assert next(c for c in profile.columns if c.name == "stage").role == ""


def test_render_in_japanese_and_english(deals: Path) -> None:
    profile = inspect_export(deals)
    ja, en = render(profile, "ja"), render(profile, "en")
    assert "自由記述" in ja and "受注・失注の値 フェーズ" in ja and "検収待ち → 未完了" in ja
    assert "free text" in en and "Outcome values of フェーズ" in en and "検収待ち → open (not recognised" in en
    assert "120 データ行" in ja and "120 data rows" in en
    with pytest.raises(ValueError, match=r"must be one of \{ja, en\}, got 'fr'"):
        render(profile, "fr")  # type: ignore[arg-type]


def test_write_config_is_read_by_load_config(deals: Path, tmp_path: Path) -> None:
    profile = inspect_export(deals)
    out = write_config(tmp_path / "voc.toml", profile)
    text = out.read_text(encoding="utf-8")
    assert 'path = "export.csv"' in text  # relative to the config: load_config resolves it
    assert "# header_row = 1" in text and '# won_values = ["受注"]' in text and "検収待ち" in text
    assert '# open_values = ["検収待ち"]' in text
    config = load_config(out).input
    assert Path(config.path) == deals.resolve()
    assert config.text_columns == ["商談メモ"] and config.outcome_column == "フェーズ"
    assert config.date_column == "完了予定日" and config.id_column == "案件ID"
    assert config.segment_columns == ["業種"] and config.competitor_column == "競合"
    assert config.encoding == "auto" and config.header_row is None
    # the commented keys are keys of the config: uncommented, the file still loads
    pinned = out.with_name("pinned.toml")
    pinned.write_text(text.replace("# header_row", "header_row").replace("# won_values", "won_values")
                      .replace("# lost_values", "lost_values").replace("# open_values", "open_values"), encoding="utf-8")
    config = load_config(pinned).input
    assert config.header_row == 1 and config.won_values == ["受注"] and config.open_values == ["検収待ち"]


def test_write_config_comments_out_what_was_not_found(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    guess = ConfigGuess(path=str(tmp_path / "export.csv"), text_columns=["memo"], header_row=3)
    out = write_config(tmp_path / "sub" / "voc.toml", guess)
    text = out.read_text(encoding="utf-8")
    assert "# outcome_column =" in text and "# header_row = 3" in text
    config = load_config(out).input
    assert config.outcome_column is None and config.text_columns == ["memo"]
    assert Path(config.path) == (tmp_path / "export.csv").resolve()  # outside the folder: absolute


def test_profile_needs_no_column_names_and_finds_the_header(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text(
        "商談レポート\n\nメモ,結果\n" + "".join(f"{note(i)},{'受注' if i % 2 else '失注'}\n" for i in range(10)),
        encoding="utf-8",
    )
    profile = profile_export(read_table(path))
    assert profile.header_row == 3 and [c.name for c in profile.columns] == ["メモ", "結果"]
    assert profile.guess.outcome_column == "結果"


def test_empty_columns_and_tiny_files(tmp_path: Path) -> None:
    path = _export(tmp_path, pd.DataFrame({"a": ["", ""], "b": ["x", "y"]}))
    profile = inspect_export(path)
    assert [c.type for c in profile.columns] == ["empty", "category"]
    assert "a" in render(profile, "en")
