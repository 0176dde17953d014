"""End to end on CRM-shaped exports: `voc inspect --write-config`, then `voc report --config`.

The first report on a new export, as README's "your own export" describes it. On the Salesforce
(CP932, footer), HubSpot (xlsx with a title row, stages voc does not know), kintone and Dynamics
exports of tests/data/make_exports.py: win rates are shown, the footer rows are named, every row
is accounted for, run.json and the report list the outcome values with their mapping and counts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.data import make_exports
from voc.cli import cli
from voc.report.html import LOST_ONLY_NOTE

pytestmark = pytest.mark.slow

FAST = ["--n-themes", "4", "--clustering", "kmeans", "--embedding", "lsa", "--min-count", "5", "--no-history"]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return make_exports.write_exports(tmp_path_factory.mktemp("exports"), n=240, seed=0)


@pytest.mark.parametrize("name", ["salesforce_cp932", "hubspot", "kintone", "dynamics"])
def test_inspect_then_report(exports: dict, name: str, tmp_path: Path) -> None:
    spec = exports[name]
    config = tmp_path / "voc.toml"
    runner = CliRunner()
    result = runner.invoke(cli, ["inspect", str(spec.path), "--write-config", str(config), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"outcome_column = {json.dumps(spec.outcome_column, ensure_ascii=False)}" in result.output
    out = tmp_path / "report"
    result = runner.invoke(cli, ["report", "--config", str(config), "--out", str(out), *FAST])
    assert result.exit_code == 0, result.output
    assert f"{spec.outcome_column}: {spec.n_won:,} won, {spec.n_lost:,} lost" in result.output

    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    rows = run["rows"]
    assert rows["read"] == spec.n_rows == rows["kept"] + rows["rejected"]
    assert rows["rejected_by_reason"].get("footer", 0) == spec.n_footer
    assert run["input"]["header_row"] == spec.header_row
    o = run["outcomes"]
    assert o["column"] == spec.outcome_column
    assert (o["counts"]["won"], o["counts"]["lost"]) == (spec.n_won, spec.n_lost)
    assert sum(v["count"] for v in o["values"]) == rows["read"] - spec.n_footer  # every deal, footers aside
    assert o["won_with_text"] > 0

    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "受注率への影響" in summary and LOST_ONLY_NOTE not in summary  # win rates shown
    assert f"## 受注・失注の判定（列 {spec.outcome_column}）" in summary
    for value in spec.won_values | spec.lost_values:
        assert f"| {value} |" in summary
    if spec.n_footer:
        assert "レポートのフッター行" in summary
    rejected = (out / "rejected.csv").read_text(encoding="utf-8-sig")
    assert rejected.count(",footer,") == spec.n_footer
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "受注・失注の判定" in html and "chart-winloss" in html
    # the theme pages' quotes carry the outcome as voc read it (Closed Won → won), for their colour
    pages = "".join(p.read_text(encoding="utf-8") for p in (out / "themes").glob("*.html"))
    assert '"w": "won"' in pages and '"w": "lost"' in pages


def test_unknown_stages_count_as_open_and_the_report_says_so(exports: dict, tmp_path: Path) -> None:
    spec = exports["hubspot"]
    out = tmp_path / "report"
    args = ["report", str(spec.path), "--text-column", "メモ", "--outcome-column", "取引ステージ", "--out", str(out), *FAST]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "not recognised, counted as open: プレゼン予定済み" in result.output
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "未完了として数えました" in summary and "| 契約書送付済み | 未完了 | 未知の値 |" in summary
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert set(run["outcomes"]["unmapped"]) == {"アポ設定済み", "プレゼン予定済み", "契約書送付済み", "決裁者の賛同"}


def test_org_words_from_the_command_line(exports: dict, tmp_path: Path) -> None:
    """An org whose phases voc does not know: exit 2 naming file, column, values and keys; then the options."""
    spec = exports["salesforce_utf8"]
    text = spec.path.read_text(encoding="utf-8-sig").replace('"商談成立"', '"8. 検収完了"').replace('"不成立"', '"9. 提案終了"')
    path = tmp_path / "org.csv"
    path.write_text(text, encoding="utf-8-sig")
    base = ["report", str(path), "--text-column", "商談メモ", "--outcome-column", "フェーズ", "--out", str(tmp_path / "r"), *FAST]
    # 見込み, 提案 … are open words: no value is won or lost
    result = CliRunner().invoke(cli, base)
    assert result.exit_code == 2, result.output
    assert str(path) in result.output and "'フェーズ'" in result.output and "'9. 提案終了' (128)" in result.output
    assert "won_values" in result.output and "--won-value" in result.output and not (tmp_path / "r").exists()
    result = CliRunner().invoke(cli, [*base, "--won-value", "8. 検収完了", "--lost-value", "9. 提案終了"])
    assert result.exit_code == 0, result.output
    run = json.loads((tmp_path / "r" / "run.json").read_text(encoding="utf-8"))
    assert (run["outcomes"]["counts"]["won"], run["outcomes"]["counts"]["lost"]) == (spec.n_won, spec.n_lost)
    assert run["options"]["input"]["won_values"] == ["8. 検収完了"]
    assert {v["source"] for v in run["outcomes"]["values"] if v["outcome"] != "open"} == {"configured"}


def test_header_row_option(exports: dict, tmp_path: Path) -> None:
    spec = exports["hubspot"]

    def run(header_row: str) -> object:
        out = tmp_path / f"r{header_row}"
        args = ["report", str(spec.path), "--text-column", "メモ", "--header-row", header_row, "--out", str(out), *FAST]
        return CliRunner().invoke(cli, args)

    result = run("1")
    assert result.exit_code == 2 and "header row 1" in result.output and "header_row = 3" in result.output
    result = run("3")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "r3" / "run.json").read_text(encoding="utf-8"))["input"]["header_row"] == 3
