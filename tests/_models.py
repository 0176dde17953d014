"""A small hand-built ReportModel with every insight field filled (for renderer tests)."""

from __future__ import annotations

import math

from voc.report.model import LogRow, Quote, ReportModel, SubthemeRow, ThemeRow

MONTHS = ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]


def _winloss(n_won: int, n_lost: int, wr_with: float, wr_without: float, q: float, enough: bool = True) -> dict:
    nan = math.nan
    return {
        "n_won": n_won,
        "n_lost": n_lost,
        "share_won": n_won / 400,
        "share_won_low": n_won / 400 - 0.02,
        "share_won_high": n_won / 400 + 0.02,
        "share_lost": n_lost / 600,
        "share_lost_low": n_lost / 600 - 0.02,
        "share_lost_high": n_lost / 600 + 0.02,
        "n_with": n_won + n_lost,
        "win_rate_with": wr_with if enough else nan,
        "win_rate_with_low": wr_with - 0.05 if enough else nan,
        "win_rate_with_high": wr_with + 0.05 if enough else nan,
        "n_without": 1000 - n_won - n_lost,
        "win_rate_without": wr_without if enough else nan,
        "win_rate_without_low": wr_without - 0.03 if enough else nan,
        "win_rate_without_high": wr_without + 0.03 if enough else nan,
        "effect": wr_with - wr_without if enough else nan,
        "p_value": q / 2 if enough else nan,
        "q_value": q if enough else nan,
        "enough": enough,
        "note": "" if enough else "件数が少なすぎます (n=12 < 20)",
    }


def hand_model() -> ReportModel:
    """Three themes: a big stable one, an emerging new one and a tiny one; one vanished theme."""
    price = ThemeRow(
        theme_id=1,
        label="価格・費用",
        size=420,
        share=0.42,
        keywords=["価格", "高い", "予算", "費用", "値引き"],
        quotes=["価格が高いとのこと。", "他社より月額が2割高い。", "値引きがないと難しい。", "四件目の声。"],
        marketing={
            "messaging": "ROI 試算で総コストを見せる",
            "product_idea": "年額プランの割引",
            "owner": "田中",
            "status": "対応中",
        },
        trend=[
            ("2026-03", 100, 0.43),
            ("2026-04", 105, 0.43),
            ("2026-05", 110, 0.44),
            ("2026-06", 100, 0.41),
            ("2026-07", 105, 0.42),
            ("2026-08", 105, 0.41),
        ],
        winloss=_winloss(80, 260, 0.235, 0.48, 0.0004),
        segments=[
            {
                "column": "industry",
                "value": "製造業",
                "n": 200,
                "count": 120,
                "share": 0.6,
                "share_overall": 0.42,
                "lift": 1.43,
                "p_value": 0.0001,
                "q_value": 0.001,
                "significant": True,
            },
            {
                "column": "region",
                "value": "関西",
                "n": 100,
                "count": 45,
                "share": 0.45,
                "share_overall": 0.42,
                "lift": 1.07,
                "p_value": 0.3,
                "q_value": 0.6,
                "significant": False,
            },
        ],
        competitors=[("サクセスナビ", 30), ("DealPilot", 12)],
        quote_records=[
            Quote("価格が高いとのこと。", 3, "2026-08-20", "失注", {"industry": "製造業", "region": "関東"}),
            Quote("他社より月額が2割高い。", 9, "2026-07-02", "失注", {"industry": "小売・流通", "region": "関西"}),
            Quote("値引きがないと難しい。", 14, "2026-05-11", "受注", {"industry": "製造業", "region": "九州"}),
        ],
    )
    nova = ThemeRow(
        theme_id=7,
        label="競合 NovaCRM | 乗り換え",
        size=150,
        share=0.15,
        keywords=["NovaCRM", "乗り換え", "競合"],
        quotes=["NovaCRM に決まった。", "NovaCRM の方が安い。", "三件目 <b>太字</b>"],
        status="新規",
        trend=[
            ("2026-03", 2, 0.01),
            ("2026-04", 3, 0.01),
            ("2026-05", 5, 0.02),
            ("2026-06", 20, 0.08),
            ("2026-07", 50, 0.2),
            ("2026-08", 75, 0.3),
        ],
        emerging=True,
        winloss=_winloss(20, 110, 0.15, 0.42, 0.01),
        competitors=[("NovaCRM", 120)],
        quote_records=[Quote("NovaCRM に決まった。", 21, "2026-08-30", "失注", {"industry": "IT・通信"})],
    )
    tiny = ThemeRow(
        theme_id=12,
        label="セキュリティ審査",
        size=12,
        share=0.012,
        keywords=["セキュリティ", "審査"],
        quotes=["セキュリティチェックシートが通らない。"],
        trend=[
            ("2026-03", 3, 0.012),
            ("2026-04", 3, 0.012),
            ("2026-05", 3, 0.012),
            ("2026-06", 3, 0.012),
            ("2026-07", 3, 0.012),
            ("2026-08", 3, 0.012),
        ],
        winloss=_winloss(2, 10, 0.0, 0.0, 1.0, enough=False),
    )
    return ReportModel(
        title="voc テーマレポート",
        input_name="crm_export.csv",
        themes=[price, nova, tiny],
        rows={"read": 1010, "kept": 1000, "rejected": 10},
        rejected_by_reason={"empty_text": 7, "non_answer": 3},
        n_unassigned=418,
        version="0.1.0",
        months=MONTHS,
        changes={"new": [7], "growing": [], "shrinking": [1], "vanished": [{"id": 4, "label": "導入サポート"}]},
        run_id="2026-09-01T060000Z",
        previous_run_id="2026-08-01T060000Z",
    )


def subtheme_model() -> ReportModel:
    """:func:`hand_model` with theme 1 split into three sub-themes (themes 7 and 12 are not split).

    101 has every insight field and six quote records (three shown open, three folded), 102 is new
    this run with too few deals for a win-rate effect, 103 has plain quotes only (one with a line
    break and a ``|``).
    """
    model = hand_model()
    price = model.themes[0]
    price.subthemes = [
        SubthemeRow(
            subtheme_id=101,
            label="初期費用が高い",
            size=180,
            share=180 / 420,
            keywords=["初期費用", "高い", "導入"],
            quotes=["初期費用が高すぎる。", "導入費用の見積もりが予算を超えた。"],
            trend=[
                ("2026-03", 20, 0.2),
                ("2026-04", 25, 0.24),
                ("2026-05", 30, 0.27),
                ("2026-06", 30, 0.3),
                ("2026-07", 35, 0.33),
                ("2026-08", 40, 0.38),
            ],
            winloss=_winloss(30, 120, 0.2, 0.47, 0.003),
            segments=[
                {
                    "column": "industry",
                    "value": "製造業",
                    "n": 200,
                    "count": 70,
                    "share": 0.35,
                    "share_overall": 0.18,
                    "lift": 1.94,
                    "p_value": 0.001,
                    "q_value": 0.004,
                    "significant": True,
                },
                {
                    "column": "region",
                    "value": "関西",
                    "n": 100,
                    "count": 20,
                    "share": 0.2,
                    "share_overall": 0.18,
                    "lift": 1.11,
                    "p_value": 0.4,
                    "q_value": 0.7,
                    "significant": False,
                },
            ],
            quote_records=[
                Quote("初期費用が高すぎる。", 31, "2026-08-02", "失注", {"industry": "製造業"}),
                Quote("導入費用の見積もりが予算を超えた。", 35, "2026-07-14", "失注", {"industry": "物流"}),
                Quote("初期費用を分割にできないか。", 40, "2026-06-01", "受注", {}),
                Quote("初期費用の説明が足りない。", 44, "", "", {}),
                Quote("初期費用だけで年間予算の半分。", 47, "2026-04-09", "失注", {}),
                Quote("初期費用ゼロの他社に流れた。", 52, "2026-03-30", "失注", {}),
            ],
        ),
        SubthemeRow(
            subtheme_id=102,
            label="値引きが必要",
            size=140,
            share=140 / 420,
            keywords=["値引き", "割引"],
            quotes=["値引きがないと難しい。"],
            status="新規",
            winloss=_winloss(2, 10, 0.0, 0.0, 1.0, enough=False),
        ),
        SubthemeRow(
            subtheme_id=103,
            label="ユーザー単価",
            size=100,
            share=100 / 420,
            keywords=["単価", "ユーザー", "月額"],
            quotes=["ユーザー単価が\n他社の倍。", "月額|ユーザー数で高くなる。"],
        ),
    ]
    return model


def statement_model() -> ReportModel:
    """:func:`hand_model` as statement units fill it (issue #27), built by hand.

    Themes carry mentions and co-themes (theme 1 is mentioned with 7, and with theme 99 that is
    not in the report); theme 1's quotes are statements with their notes (one with a long note on
    both sides, one with ``<script>`` in the statement and a ``<b>`` in its note); win/loss figures
    carry the impact with its interval; two kinds of the rep's log; ``lost_reason`` is kept out of
    the win-rate comparison.
    """
    model = hand_model()
    model.unit = "statement"
    price, nova, tiny = model.themes
    price.mentions, nova.mentions, tiny.mentions = 612, 171, 12
    price.co_themes = [
        {"theme_id": 99, "label": "消えたテーマ", "deals": 5},
        {"theme_id": 7, "label": "競合 NovaCRM | 乗り換え", "deals": 48},
    ]
    nova.co_themes = [{"theme_id": 1, "label": "価格・費用", "deals": 48}]
    long_before = "【訪問】" + "定例の打ち合わせで現状の運用を確認した。" * 6
    long_after = "次回は見積もりを再提出する予定。" * 8
    price.quote_records = [
        Quote(
            "価格が高いとのこと。",
            3,
            "2026-08-20",
            "失注",
            {"industry": "製造業"},
            "lost",
            column="call_note",
            before="先方部長と面談。",
            after="次回は9/3に再訪。",
        ),
        Quote(
            "他社より月額が2割高い。",
            9,
            "2026-07-02",
            "失注",
            {"industry": "小売・流通"},
            "lost",
            column="call_note",
            before=long_before,
            after=long_after,
        ),
        Quote(
            "<script>alert(1)</script>値引きがないと難しい。",
            14,
            "2026-05-11",
            "受注",
            {"industry": "製造業"},
            "won",
            column="call_note",
            before="<b>太字</b>の前置き。",
            after="",
        ),
    ]
    price.quotes = [q.text for q in price.quote_records]
    for t, (impact, low, high) in zip(
        model.themes, [(-0.043, -0.061, -0.025), (-0.021, -0.035, -0.008), (None, None, None)], strict=True
    ):
        if impact is not None:
            t.winloss.update(impact=impact, impact_low=low, impact_high=high)
    model.log = [
        LogRow(
            "next_step",
            "次回アクション",
            820,
            640,
            [
                Quote("次回は9/3に再訪。", 3, column="call_note", before="価格が高いとのこと。", after=""),
                Quote("見積もりを再提出する。<img src=x id=logimg>", 8, column="call_note", before="", after=""),
            ],
        ),
        LogRow("outcome", "受注・失注の記載", 210, 205, [Quote("受注！", 40, column="call_note")]),
    ]
    model.excluded_columns = [
        {"column": "lost_reason", "reason": "失注の商談にしか書かれていない", "won": 0, "lost": 412, "open": 3},
    ]
    return model
