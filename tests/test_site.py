"""The theme browser: static checks of the written site, then a real headless chromium.

The browser tests drive Debian's ``/usr/bin/chromium`` with Playwright (no browser is downloaded)
and open the pages from ``file://``: they sort and filter the theme table, search and page through
quotes, and fail on any console error (CSP violations included) or any request that leaves
``file://``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests._models import hand_model, subtheme_model
from voc.report.html import MAX_QUOTES_PER_PAGE, render_index, render_theme_page
from voc.report.model import Quote, ReportModel, ThemeRow
from voc.report.site import plotly_js_path, site_files, write_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ISLAND = re.compile(r'<script type="application/json" id="voc-data">(.*?)</script>', re.S)


def _island(html: str) -> dict:
    found = ISLAND.findall(html)
    assert len(found) == 1
    return json.loads(found[0])


def _many_quotes_model(n: int) -> ReportModel:
    model = hand_model()
    outcomes = ["受注", "失注", "進行中"]
    model.themes[0].quote_records = [
        Quote(
            f"声その{i}: {'価格が高い' if i % 3 == 0 else '操作が難しい'}",
            i,
            f"2026-{5 + i % 4:02d}-{1 + i % 28:02d}",
            outcomes[i % 3],
            {"industry": "製造業" if i % 2 else "物流", "region": "関東"},
        )
        for i in range(n)
    ]
    return model


# -- static checks -----------------------------------------------------------------------------------
def test_site_has_index_a_page_per_theme_and_bundled_assets(tmp_path):
    model = hand_model()
    written = write_site(tmp_path, model)
    rel = [p.relative_to(tmp_path).as_posix() for p in written]
    assert rel[0] == "index.html"
    assert {f"themes/{t.theme_id}.html" for t in model.themes} <= set(rel)
    assert (tmp_path / "assets" / "plotly.min.js").read_bytes() == plotly_js_path().read_bytes()
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for t in model.themes:
        assert f'href="themes/{t.theme_id}.html"' in index
    page = (tmp_path / "themes" / "1.html").read_text(encoding="utf-8")
    assert 'src="../assets/plotly.min.js"' in page and 'href="../index.html"' in page


def test_pages_load_nothing_remote_and_have_no_inline_code():
    for rel, content in site_files(hand_model()).items():
        if not rel.endswith(".html"):
            continue
        assert "Content-Security-Policy" in content and "script-src 'self'" in content, rel
        assert "connect-src 'none'" in content, rel
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", content), rel
        assert not re.search(r"\son[a-z]+\s*=", content), f"inline event handler in {rel}"
        scripts = re.findall(r"<script\b([^>]*)>", content)
        assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts), rel


def test_json_island_is_escaped_and_round_trips():
    model = hand_model()
    evil = "</script><script>alert(1)</script><!-- & '\""
    model.themes[0].label = evil
    model.themes[0].quote_records[0].text = evil
    index = render_index(model)
    page = render_theme_page(model, model.themes[0])
    for html in (index, page):
        island = ISLAND.search(html).group(1)
        assert "</" not in island and "<!--" not in island
        assert "<script>alert" not in html
    data = _island(page)
    assert data["quotes"][0]["t"] == evil
    share_labels = _island(index)["figures"]["chart-share"]["data"][0]["y"]
    # long labels are shortened in charts, then escaped for Plotly's own markup (shown as written)
    assert f"1. {evil[:17]}…".replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in share_labels


def test_theme_page_caps_embedded_quotes_in_the_models_order():
    model = _many_quotes_model(MAX_QUOTES_PER_PAGE + 500)
    page = render_theme_page(model, model.themes[0])
    quotes = _island(page)["quotes"]
    assert len(quotes) == MAX_QUOTES_PER_PAGE
    assert [q["r"] for q in quotes] == list(range(MAX_QUOTES_PER_PAGE))  # most representative first
    assert f"このテーマの {MAX_QUOTES_PER_PAGE + 500:,} 件のうち、代表的な {MAX_QUOTES_PER_PAGE:,} 件" in page
    assert 'id="quote-order"' in page  # dated quotes can be re-sorted by date


def test_model_without_insights_renders_without_charts_that_need_them():
    model = ReportModel(
        title="voc テーマレポート",
        input_name="notes.csv",
        themes=[ThemeRow(3, "操作性", 30, 0.6, ["操作", "画面"], ["画面が分かりにくい。"])],
        rows={"read": 50, "kept": 50, "rejected": 0},
        rejected_by_reason={},
        n_unassigned=20,
    )
    index = render_index(model)
    figures = _island(index)["figures"]
    assert set(figures) == {"chart-share"}
    assert "日付列が設定されていないため" in index
    assert "前回の実行がないため" in index
    assert "受注率への影響" not in index
    page = render_theme_page(model, model.themes[0])
    assert _island(page)["quotes"] == [{"d": "", "o": "", "r": -1, "s": "", "t": "画面が分かりにくい。", "w": ""}]
    assert "受注・失注の列が設定されていないため" in page


def test_no_themes_gives_an_index_that_says_so():
    model = ReportModel("voc", "x.csv", [], {"read": 3, "kept": 0, "rejected": 3}, {"empty_text": 3}, 0)
    files = site_files(model)
    assert not any(rel.startswith("themes/") for rel in files)
    assert "テーマはありません" in files["index.html"] and _island(files["index.html"])["figures"] == {}


def test_lost_reasons_only_show_shares_among_lost_deals_not_win_rates():
    model = hand_model()
    for t in model.themes:
        t.winloss["n_won"] = 0
    index = render_index(model)
    assert "chart-winloss" not in _island(index)["figures"]
    assert "受注率への影響" not in index and "失注した商談にしか書かれていない" in index
    page = render_theme_page(model, model.themes[0])
    assert "失注商談に占める割合 43.3%" in page and "受注率への影響" not in page


def test_index_lists_each_themes_subthemes_with_links_to_their_sections():
    model = subtheme_model()
    files = site_files(model)
    index = files["index.html"]
    assert index.count('<details class="subs"') == 1  # only theme 1 was split
    assert '<details class="subs" id="subs-1">' in index and "<summary>サブテーマ 3 件</summary>" in index
    for sid, label, size, share in [(101, "初期費用が高い", 180, "42.9%"), (103, "ユーザー単価", 100, "23.8%")]:
        assert f'<a href="themes/1.html#sub-{sid}">{label}</a> <span class="meta">{size} 件・テーマ内 {share}</span>' in index
    page = files["themes/1.html"]
    for sid in (101, 102, 103):
        assert page.count(f'id="sub-{sid}"') == 1 and f'href="#sub-{sid}"' in page
    assert '<section id="subthemes">' in page and "サブテーマ<b><a href=\"#subthemes\">3</a></b>" in page
    # a theme that was not split: its page is what it was without sub-themes
    plain = site_files(hand_model())
    assert files["themes/7.html"] == plain["themes/7.html"] and files["themes/12.html"] == plain["themes/12.html"]
    assert 'id="subthemes"' not in plain["themes/1.html"] and "<details" not in plain["index.html"]


def test_subtheme_section_shows_figures_insights_and_quotes():
    page = render_theme_page(subtheme_model(), subtheme_model().themes[0])
    section = page[page.index('id="sub-101"') : page.index('id="sub-102"')]
    assert "件数 <b>180</b>" in section and "テーマ内の割合 <b>42.9%</b>" in section
    assert '受注率への影響 <b class="neg">−27.0pt</b>' in section and "q=0.003" in section
    assert "最初の3か月 23.7% → 直近3か月 33.7%" in section and 'class="spark"' in section
    assert "industry＝製造業 35.0%（全体 18.0%、リフト 1.94）" in section and "関西" not in section
    # quote_records: three open, the other three folded, each with date and outcome
    assert section.count("<blockquote>") == 6 and "<summary>ほかの声 3 件</summary>" in section
    assert "初期費用ゼロの他社に流れた。 <span class=\"meta\">（2026-03-30・失注）</span>" in section
    assert "このサブテーマの 180 件のうち、代表的な 6 件を掲載" in section
    too_few = page[page.index('id="sub-102"') : page.index('id="sub-103"')]
    assert "件数不足" in too_few and "−" not in too_few.split("</h3>")[1]  # no effect claimed
    plain_quotes = page[page.index('id="sub-103"') : page.index('<section id="trend">')]
    assert "<blockquote>ユーザー単価が\n他社の倍。</blockquote>" in plain_quotes  # quotes when no records
    assert "受注率" not in plain_quotes  # win/loss not computed for it: nothing said


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


class Watched:
    """A page with every console error, page error and non-file request recorded."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.remote: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append("dialog: " + d.message), d.dismiss()))

        def on_request(request):
            if not request.url.startswith(("file://", "data:")):
                self.remote.append(request.url)

        self.page.on("request", on_request)
        self.context.route(re.compile(r"^(?!file:|data:)"), lambda route: route.abort())

    def open(self, path: Path):
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def close(self):
        self.context.close()
        assert self.errors == [], self.errors
        assert self.remote == [], self.remote


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.close()


@pytest.fixture(scope="module")
def sample_site(sample_report) -> Path:
    return Path(sample_report.out_dir).resolve()


def _visible_values(page, col: int) -> list[str]:
    return page.eval_on_selector_all(
        "#theme-table tbody tr:not([hidden])", f"rows => rows.map(r => r.cells[{col}].getAttribute('data-value'))"
    )


def test_index_sorts_and_filters_the_sample_report(watched, sample_site):
    page = watched.open(sample_site / "index.html")
    page.wait_for_selector("#chart-share .main-svg")
    rows = page.locator("#theme-table tbody tr")
    n = rows.count()
    assert n >= 3
    sizes = [int(v) for v in _visible_values(page, 2)]
    assert sizes == sorted(sizes, reverse=True)  # written largest first
    page.click("#theme-table th:nth-child(3) button")  # 件数: numbers sort descending first
    page.click("#theme-table th:nth-child(3) button")  # … then ascending
    assert [int(v) for v in _visible_values(page, 2)] == sorted(sizes)
    assert page.get_attribute("#theme-table th:nth-child(3)", "aria-sort") == "ascending"
    page.click("#theme-table th:nth-child(1) button")
    ids = [int(v) for v in _visible_values(page, 0)]
    assert ids == sorted(ids, reverse=True)
    # filter by a keyword of one theme: that theme stays, the count says how many are shown
    first_kw = page.locator("#theme-table tbody tr").first.locator(".kw").first.inner_text()
    page.fill("#theme-filter", first_kw)
    shown = page.locator("#theme-table tbody tr:not([hidden])")
    assert 1 <= shown.count() < n or n == 1
    for i in range(shown.count()):
        assert first_kw in shown.nth(i).get_attribute("data-search")
    assert page.inner_text("#theme-count") == f"{shown.count()} / {n} テーマ"
    page.fill("#theme-filter", "該当しないはずの語ぬぬぬ")
    assert shown.count() == 0
    assert page.is_visible("#no-match")


def test_theme_page_of_the_sample_report_searches_quotes(watched, sample_site):
    index = watched.open(sample_site / "index.html")
    href = index.get_attribute("#theme-table tbody tr:first-child a", "href")
    page = watched.open(sample_site / href)
    assert page.inner_text("h1")
    body = page.locator("#quote-body tr")
    total = body.count()
    assert 1 <= total <= 50
    word = page.locator("#quote-body tr td.text").first.inner_text()[:4]
    page.fill("#quote-search", word)
    assert body.count() >= 1
    for i in range(body.count()):
        assert word.casefold() in body.nth(i).inner_text().casefold()
    page.fill("#quote-search", "該当しないはずの語ぬぬぬ")
    assert body.count() == 0
    assert page.inner_text("#quote-count") == "該当する声はありません"
    page.click("a:has-text('テーマ一覧')")
    page.wait_for_selector("#theme-table")


def test_hand_model_site_badges_changes_pagination_and_outcome_filter(watched, tmp_path):
    model = _many_quotes_model(120)
    model.themes[1].label = '<img src=x id=injected> "引用" & NovaCRM'
    write_site(tmp_path, model)
    page = watched.open(tmp_path / "index.html")
    page.wait_for_selector("#chart-trend .main-svg")
    page.wait_for_selector("#chart-winloss .main-svg")
    assert page.locator("#injected").count() == 0
    assert page.locator("#theme-table").get_by_text('<img src=x id=injected> "引用"', exact=False).count() == 1
    assert page.locator(".badge.hot").count() == 1 and page.locator(".badge.new").count() == 1
    assert page.locator("svg.spark").count() == 3
    assert page.inner_text(".change-vanished").endswith("4. 導入サポート")
    page.check("#only-emerging")
    assert _visible_values(page, 0) == ["7"]
    page.uncheck("#only-emerging")
    page.check("#only-new")
    assert _visible_values(page, 0) == ["7"]

    page = watched.open(tmp_path / "themes" / "1.html")
    page.wait_for_selector("#chart-theme-trend .main-svg")
    assert page.inner_text("#quote-count") == "120 件中 1–50 件を表示"
    first_date = lambda: page.inner_text("#quote-body tr:first-child td.date")  # noqa: E731
    assert first_date() == "2026-05-01"  # quote 0, the model's order
    page.select_option("#quote-order", "new")
    assert first_date() == max(q.date for q in model.themes[0].quote_records)
    page.select_option("#quote-order", "old")
    assert first_date() == min(q.date for q in model.themes[0].quote_records)
    page.select_option("#quote-order", "rank")
    assert page.inner_text("#quote-page") == "1 / 3 ページ"
    page.click("#quote-next")
    page.click("#quote-next")
    assert page.inner_text("#quote-count") == "120 件中 101–120 件を表示"
    assert page.is_disabled("#quote-next")
    page.select_option("#quote-outcome", "受注")
    assert page.inner_text("#quote-count") == "40 件中 1–40 件を表示"
    page.fill("#quote-search", "価格")  # i % 3 == 0 says 価格 and is 受注 as well
    assert page.inner_text("#quote-count") == "40 件中 1–40 件を表示"
    page.select_option("#quote-outcome", "失注")
    assert page.inner_text("#quote-count") == "該当する声はありません"
    page.select_option("#quote-outcome", "")
    page.fill("#quote-search", "製造業 価格")  # segment text is searchable, terms are ANDed
    assert page.inner_text("#quote-count") == "20 件中 1–20 件を表示"
    assert page.locator("#quote-body td.won").count() == 20
    assert page.is_visible("#segment-table")


def test_site_served_over_http_loads_only_from_its_own_origin(browser, tmp_path):
    """An intranet web server: the same pages, every request to the serving origin, no CSP error."""
    import functools
    import http.server
    import threading

    write_site(tmp_path, hand_model())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        urls: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: urls.append(r.url))
        page.goto(origin + "themes/7.html")
        page.wait_for_selector("#chart-theme-trend .main-svg")
        assert page.inner_text("#quote-count") == "1 件中 1–1 件を表示"
        page.click("a:has-text('テーマ一覧')")
        page.wait_for_selector("#chart-share .main-svg")
        assert errors == []
        assert urls and all(u.startswith(origin) for u in urls), urls
    finally:
        context.close()
        server.shutdown()


def test_index_expands_a_themes_subthemes_and_follows_one_to_its_section(watched, tmp_path):
    write_site(tmp_path, subtheme_model())
    page = watched.open(tmp_path / "index.html")
    link = page.locator("#subs-1 a", has_text="値引きが必要")
    assert page.locator("details.subs").count() == 1 and not link.is_visible()  # closed at first
    page.focus("#subs-1 summary")  # keyboard: Enter on the summary opens the list
    page.keyboard.press("Enter")
    assert page.get_attribute("#subs-1", "open") is not None and link.is_visible()
    assert page.locator("#subs-1 li").all_inner_texts() == [
        "初期費用が高い 180 件・テーマ内 42.9%",
        "値引きが必要新規 140 件・テーマ内 33.3%",
        "ユーザー単価 100 件・テーマ内 23.8%",
    ]
    page.keyboard.press("Enter")
    assert not link.is_visible()
    # sorting the table keeps each theme's sub-themes with it
    page.click("#theme-table th:nth-child(1) button")
    page.click("#theme-table th:nth-child(1) button")
    assert page.locator("#theme-table tbody tr").first.locator("details.subs").count() == 1
    # filtering by a sub-theme's name keeps its theme and opens its list at the match
    page.fill("#theme-filter", "値引きが")
    assert _visible_values(page, 0) == ["1"] and link.is_visible()
    assert page.locator("#subs-1 li.hit").all_inner_texts() == ["値引きが必要新規 140 件・テーマ内 33.3%"]
    page.fill("#theme-filter", "")
    assert not link.is_visible() and page.locator("#subs-1 li.hit").count() == 0  # opened by the filter: closed again
    page.click("#subs-1 summary")
    page.click("#subs-1 a:has-text('値引きが必要')")
    page.wait_for_url("**/themes/1.html#sub-102")
    section = page.locator("#sub-102")
    assert section.is_visible() and section.locator("h3").inner_text().startswith("値引きが必要")
    assert page.evaluate("document.querySelector(':target').id") == "sub-102"
    box = section.bounding_box()
    assert box is not None and 0 <= box["y"] < 900  # scrolled into view
    assert section.locator("blockquote").all_inner_texts() == ["値引きがないと難しい。"]
    # folded quotes of another sub-theme open from the keyboard
    more = page.locator("#sub-101 details.more-quotes")
    assert not more.locator("blockquote").first.is_visible()
    page.focus("#sub-101 details.more-quotes summary")
    page.keyboard.press("Space")
    assert more.locator("blockquote").first.inner_text().startswith("初期費用の説明が足りない。")
    page.click("#subtheme-table a:has-text('ユーザー単価')")
    page.wait_for_url("**/themes/1.html#sub-103")
    assert page.evaluate("document.querySelector(':target').id") == "sub-103"


#: Plotly draws its own markup in every text of a figure: <b>, <i>, <br>, <a href> (an SVG link).
PLOTLY_MARKUP_LABELS = ['<a href="https://evil">x</a><b>y</b>', "<a href='#'>x</a>", "<b>y</b><i>z</i>"]
SVG_MARKUP = """() => {
  const svgs = [...document.querySelectorAll('.js-plotly-plot svg')];
  const links = svgs.flatMap(s => [...s.querySelectorAll('a')]).length;
  const styled = svgs.flatMap(s => [...s.querySelectorAll('tspan')])
    .filter(t => /bold|italic/.test(t.getAttribute('style') || '')).length;
  return {links, styled, text: svgs.map(s => s.textContent).join('\\n')};
}"""


def test_theme_names_are_plain_text_in_the_charts(watched, tmp_path):
    """Theme names in the charts' axis ticks, legends and hover labels are shown as written: no
    SVG link, no bold or italic, the tags themselves visible (charts truncate names to 18 and 14
    characters, so the short names carry whole tags there)."""
    model = hand_model()
    for t, label in zip(model.themes, PLOTLY_MARKUP_LABELS, strict=True):
        t.label = label
    write_site(tmp_path, model)
    page = watched.open(tmp_path / "index.html")
    for chart in ("chart-share", "chart-trend", "chart-winloss"):
        page.wait_for_selector(f"#{chart} .main-svg")
    found = page.evaluate(SVG_MARKUP)
    assert found["links"] == 0 and found["styled"] == 0
    text = found["text"]
    assert "<a href='#'>x</a>" in text and "<b>y</b><i>z</i>" in text  # share bars: 18 characters
    assert "12. <b>y</b><i>z<…" in text and "7. <a href='#'>x…" in text  # trend legend: 14 characters
    assert '<a href="https://…' in text
    page.locator("#chart-share").scroll_into_view_if_needed()
    box = page.locator("#chart-share .bars .point").last.bounding_box()  # the top bar: theme 1
    page.mouse.move(box["x"] + 2, box["y"] + box["height"] / 2)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=3)
    page.wait_for_selector("#chart-share .hoverlayer .hovertext")
    hover = page.text_content("#chart-share .hoverlayer")
    assert '1. <a href="https://…' in hover and page.locator("#chart-share .hoverlayer a").count() == 0
