"""The site with statement units (issue #27), in Chromium: each quote is its statement highlighted in
its note, a theme page lists the themes mentioned with it (links that navigate), the rep's log has
its own section, the impact on the win rate and the column kept out of the comparison are shown,
and a statement's text stays text. A hand-built model, so this holds whatever the pipeline fills."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_site import CHROMIUM, CHROMIUM_ARGS

EVIL = "<script>window.__x = 1</script><img src=x onerror=window.__x=2>"


def _model():
    from tests._models import hand_model
    from voc.report.model import LogRow, Quote

    model = hand_model()
    model.unit = "statement"
    first, second = model.themes[0], model.themes[1]
    first.mentions = first.size + 40
    first.co_themes = [{"theme_id": second.theme_id, "label": second.label, "deals": 17}]
    first.quote_records = [
        Quote(text="初期費用が高いとのこと。", row=3, date="2026-08-01", outcome="失注", result="lost", column="call_note",
              before="11/08 訪問。", after="次回デモ予定。"),
        Quote(text=f"価格が{EVIL}高い。", row=4, date="2026-08-02", outcome="受注", result="won", column="call_note",
              before=f"前文{EVIL}", after="後文"),
    ]
    first.winloss = {**first.winloss, "impact": -0.031, "impact_low": -0.052, "impact_high": -0.011}
    model.log = [LogRow(cue="next_step", label="次回アクション・予定", statements=120, deals=95,
                        quotes=[Quote(text="次回デモ予定。", row=3)])]
    model.excluded_columns = [{"column": "lost_reason", "reason": "lost_reason は失注の商談にしか書かれていません。勝率の比較から外しました。",
                               "won": 0, "lost": 40, "open": 0}]
    return model


def test_statements_in_their_notes_co_themes_log_and_impact(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed: apt-get install chromium (make test does it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -r requirements-dev.lock")
    from voc.report.site import write_site

    model = _model()
    first, second = model.themes[0], model.themes[1]
    write_site(tmp_path, model)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context().new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((tmp_path / "index.html").as_uri())
            log = page.locator("#log")
            assert "担当者の記録" in log.inner_text() and "次回アクション・予定" in log.inner_text()
            assert "120" in log.inner_text() and "テーマにも受注率の比較にも含めていません" in log.inner_text()
            assert "勝率の比較から外しました" in page.locator("#themes").inner_text()

            page.goto((tmp_path / "themes" / f"{first.theme_id}.html").as_uri())
            marks = page.locator("#quote-body mark")
            assert marks.count() == 2
            assert marks.nth(0).inner_text() == "初期費用が高いとのこと。"
            row = page.locator("#quote-body tr").nth(0).inner_text()
            assert "11/08 訪問。" in row and "次回デモ予定。" in row
            assert EVIL in page.locator("#quote-body").inner_text()  # shown as text, not run
            assert page.evaluate("window.__x === undefined")
            assert page.locator("#quote-body script, #quote-body img").count() == 0
            assert "言及数" in page.locator(".cards").inner_text()
            impact = page.locator("#impact").inner_text()
            assert "−3.1pt" in impact and "−5.2pt" in impact and "−1.1pt" in impact and "上がります" in impact
            assert "勝率の比較から外しました" in page.locator("#winloss").inner_text()
            link = page.locator("#co-themes a")
            assert link.inner_text() == f"{second.theme_id}. {second.label}"
            link.click()
            page.wait_for_load_state("load")
            assert re.search(rf"/themes/{second.theme_id}\.html$", page.url)
            assert second.label in page.locator("h1").inner_text()
            assert errors == []
        finally:
            browser.close()


def test_row_units_show_no_statement_parts(tmp_path: Path) -> None:
    """A whole-row report keeps today's page: no 言及数, no log section, no highlight."""
    from tests._models import hand_model
    from voc.report.site import write_site

    write_site(tmp_path, hand_model())
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'id="log"' not in index and "担当者の記録" not in index
    page = next((tmp_path / "themes").glob("*.html")).read_text(encoding="utf-8")
    assert "言及数" not in page and 'id="co-themes"' not in page


def test_markdown_and_excel_show_the_log_the_impact_and_the_excluded_column() -> None:
    import io

    from openpyxl import load_workbook

    from voc.report.excel import LOG_SHEET, render_excel
    from voc.report.markdown import render_markdown

    model = _model()
    md = render_markdown(model)
    assert "## 担当者の記録" in md and "| 次回アクション・予定 | 120 | 95 |" in md
    assert "> lost\\_reason は失注の商談にしか書かれていません" in md or "> lost_reason は失注の商談" in md
    import pandas as pd

    wb = load_workbook(io.BytesIO(render_excel(model, pd.DataFrame({"row": [3]}))), read_only=True)
    assert wb.sheetnames[-1] == LOG_SHEET
    rows = list(wb[LOG_SHEET].iter_rows(values_only=True))
    assert rows[1][:3] == ("次回アクション・予定", 120, 95)
    header = next(wb["テーマ"].iter_rows(values_only=True))
    assert "言及数" in header and "全体の受注率への影響" in header
