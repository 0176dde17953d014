"""The theme browser with statement units (issue #27), from a ReportModel built by hand.

Static checks of the pages, then a real headless chromium (Debian's ``/usr/bin/chromium`` through
Playwright, pages opened from ``file://``): the statement marked inside its note, the co-theme
link, the rep's log, the excluded-column note, the impact column, and statements and notes that
hold markup shown as text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests._models import hand_model, statement_model, subtheme_model
from voc.report._statements_view import context_parts, excluded_notes
from voc.report.html import render_index, render_theme_page
from voc.report.model import Quote
from voc.report.site import write_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
ISLAND = re.compile(r'<script type="application/json" id="voc-data">(.*?)</script>', re.S)
EXCLUDED = (
    "lost_reason は失注の商談にしか書かれていないため、受注率の比較から外しています"
    "（記入あり: 受注 0 件・失注 412 件・未完了 3 件）。"
)


# -- static checks -----------------------------------------------------------------------------------
def test_context_is_elided_around_the_statement_at_sentence_ends():
    q = Quote("価格が高い。", 1, column="call_note", before="あ" * 100 + "。前の文。", after="後の文。" + "い" * 100)
    p = context_parts(q)
    assert p["text"] == "価格が高い。" and p["column"] == "call_note"
    assert p["before"].startswith("…") and p["before"].endswith("。前の文。") and len(p["before"]) <= 81
    assert p["after"].startswith("後の文。") and p["after"].endswith("…") and len(p["after"]) <= 81
    short = context_parts(Quote("価格が高い。", 1, column="call_note", before="前。", after="後。"))
    assert (short["before"], short["after"]) == ("前。", "後。")  # short notes are shown whole
    assert context_parts(Quote("全文。", 1)) == {"before": "", "text": "全文。", "after": "", "column": ""}


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [
        ("失注の商談にしか書かれていない", "x は失注の商談にしか書かれていないため、受注率の比較から外しています"),
        (
            "失注の商談にしか書かれていないため。",
            "x は失注の商談にしか書かれていないため、受注率の比較から外しています",
        ),
        (
            "失注の商談にしか書かれていません。",
            "x: 失注の商談にしか書かれていません。このため受注率の比較から外しています",
        ),
        ("", "x は失注・未完了の商談にしか書かれていないため、受注率の比較から外しています"),
    ],
)
def test_excluded_column_note_reads_as_one_sentence(reason, sentence):
    model = hand_model()
    model.excluded_columns = [{"column": "x", "reason": reason, "won": 0, "lost": 4, "open": 1}]
    assert excluded_notes(model) == [sentence + "（記入あり: 受注 0 件・失注 4 件・未完了 1 件）。"]


def test_statement_pages_show_deals_mentions_impact_log_and_excluded_columns():
    model = statement_model()
    index = render_index(model)
    assert 'id="unit-note"' in index and ">商談数</th>" in index and ">言及数</th>" in index
    assert '<td class="num" data-value="612">612</td>' in index
    assert '<td class="num impact neg" data-value="-0.043">−4.3pt（−6.1pt〜−2.5pt）</td>' in index
    assert '<section id="log">' in index and "お客様の声ではないためテーマには含めず" in index
    assert f"<li>{EXCLUDED}</li>" in index
    page = render_theme_page(model, model.themes[0])
    assert "商談数<b>420</b>" in page and "言及数<b>612</b>" in page
    assert '全体受注率への寄与 <b class="neg">−4.3pt（−6.1pt〜−2.5pt）</b>' in page
    assert '<a href="7.html">7. 競合 NovaCRM | 乗り換え</a>' in page and "<td>99. 消えたテーマ</td>" in page
    assert '先方部長と面談。<mark title="列 call_note">価格が高いとのこと。</mark>次回は9/3に再訪。' in page
    assert "&lt;b&gt;太字&lt;/b&gt;の前置き。<mark" in page and "<script>alert" not in page
    quotes = json.loads(ISLAND.search(page).group(1))["quotes"]
    assert quotes[0] == {
        "t": "価格が高いとのこと。", "b": "先方部長と面談。", "a": "次回は9/3に再訪。", "c": "call_note",
        "d": "2026-08-20", "o": "失注", "w": "lost", "s": "製造業", "r": 3,
    }  # fmt: skip
    assert quotes[1]["b"].startswith("…") and quotes[1]["a"].endswith("…")


def test_subtheme_section_shows_its_impact_when_computed():
    model = subtheme_model()
    model.themes[0].subthemes[0].winloss.update(impact=0.012, impact_low=0.002, impact_high=0.02)
    page = render_theme_page(model, model.themes[0])
    section = page[page.index('id="sub-101"') : page.index('id="sub-102"')]
    assert '全体受注率への寄与 <b class="pos">+1.2pt（+0.2pt〜+2.0pt）</b>' in section
    assert "全体受注率への寄与" not in page[page.index('id="sub-102"') :]  # not computed: nothing said


def test_row_unit_pages_show_none_of_it():
    model = hand_model()
    index = render_index(model)
    page = render_theme_page(model, model.themes[0])
    for html in (index, page):
        for absent in (
            "<mark",
            "言及数",
            "unit-note",
            'id="log"',
            "excluded-columns",
            "co-themes",
            "全体受注率への寄与",
        ):
            assert absent not in html
    assert all(set(q) == set("tdowsr") for q in json.loads(ISLAND.search(page).group(1))["quotes"])


# -- real browser ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed: apt-get install chromium (make test does it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -r requirements-dev.lock")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A page that records console errors, dialogs (an alert would be one) and non-file requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(re.compile(r"^(?!file:|data:)"), lambda route: route.abort())
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("dialog", lambda d: (pg.errors.append("dialog: " + d.message), d.dismiss()))
    pg.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else pg.errors.append(r.url))
    yield pg
    context.close()
    assert pg.errors == []


def _open(pg, path: Path):
    pg.goto(path.resolve().as_uri())
    pg.wait_for_load_state("load")
    return pg


def test_browser_marks_statements_in_notes_and_follows_a_co_theme(page, tmp_path):
    model = statement_model()
    write_site(tmp_path, model)
    pg = _open(page, tmp_path / "themes" / "1.html")
    pg.wait_for_selector("#quote-body tr")
    first = pg.locator("#quote-body tr").first.locator("td.text")
    assert first.inner_text() == "先方部長と面談。価格が高いとのこと。次回は9/3に再訪。"
    assert first.locator("mark").inner_text() == "価格が高いとのこと。"
    assert first.locator("mark").get_attribute("title") == "列 call_note"
    evil = pg.locator("#quote-body tr").nth(2).locator("td.text")
    assert evil.locator("mark").inner_text() == "<script>alert(1)</script>値引きがないと難しい。"
    assert evil.inner_text().startswith("<b>太字</b>の前置き。")
    injected = "#quote-body script, #quote-body b, #quotes blockquote script, #quotes blockquote b"
    assert pg.locator(injected).count() == 0  # text, never elements
    long = pg.locator("#quote-body tr").nth(1).locator("td.text").inner_text()
    assert long.startswith("…") and long.endswith("…") and len(long) < 200
    rep = pg.locator("#quotes blockquote mark").all_inner_texts()
    assert rep[0] == "価格が高いとのこと。" and rep[2].startswith("<script>")
    # search finds the statement; the quote keeps its highlight
    pg.fill("#quote-search", "月額")
    assert pg.locator("#quote-body tr").count() == 1
    assert pg.locator("#quote-body mark").inner_text() == "他社より月額が2割高い。"
    assert pg.inner_text("#excluded-columns") == EXCLUDED
    assert "−4.3pt（−6.1pt〜−2.5pt）" in pg.inner_text("#impact")
    # co-themes: the theme in the report links to its page; the one that is not has no link
    assert pg.locator("#co-theme-table a").count() == 1
    assert pg.locator("#co-theme-table tr", has_text="99. 消えたテーマ").locator("a").count() == 0
    pg.click("#co-theme-table a:has-text('競合 NovaCRM')")
    pg.wait_for_url("**/themes/7.html")
    assert pg.inner_text("h1").startswith("7. 競合 NovaCRM | 乗り換え")
    assert pg.locator("#co-theme-table a").inner_text() == "1. 価格・費用"


def test_browser_index_shows_the_reps_log_mentions_and_excluded_columns(page, tmp_path):
    write_site(tmp_path, statement_model())
    pg = _open(page, tmp_path / "index.html")
    pg.wait_for_selector("#chart-share .main-svg")
    heads = pg.locator("#theme-table thead th").all_inner_texts()
    assert heads[2:4] == ["商談数", "言及数"] and "全体受注率への寄与" in heads
    pg.click("#theme-table th:nth-child(4) button")  # 言及数: most first
    values = pg.eval_on_selector_all("#theme-table tbody tr", "rows => rows.map(r => r.cells[3].innerText)")
    assert values == ["612", "171", "12"]
    assert pg.inner_text("#excluded-columns") == EXCLUDED
    log = pg.locator("#log")
    assert log.locator("h2").inner_text() == "担当者の記録"
    assert "受注率の比較にも使っていません" in log.inner_text()
    rows = log.locator("#log-table tbody tr")
    assert rows.count() == 2
    assert rows.first.locator("td").all_inner_texts()[:3] == ["次回アクション", "820", "640"]
    example = rows.first.locator("details blockquote").first
    assert not example.is_visible()  # folded until asked for
    rows.first.locator("summary").click()
    assert example.locator("mark").inner_text() == "次回は9/3に再訪。"
    second = rows.first.locator("details blockquote").nth(1)
    assert second.inner_text() == "見積もりを再提出する。<img src=x id=logimg>"
    assert pg.locator("#logimg").count() == 0
