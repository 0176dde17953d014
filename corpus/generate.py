#!/usr/bin/env python3
"""Seeded generator of a fictional Japanese B2B SaaS CRM export (ミエルクラウド).

Usage:
    python corpus/generate.py [--seed 42] [--n-deals 5200]
        [--out corpus/sample_crm_export.csv]
        [--truth corpus/sample_crm_export.truth.csv]

Everything here is fictional: companies, reps, customers, e-mail addresses
(example.com / example.co.jp / example.jp only) and phone numbers.
Same seed -> byte-identical files. Stdlib only.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import unicodedata

START = dt.date(2024, 11, 1)
END = dt.date(2026, 10, 31)
EMERGING_FROM = dt.date(2026, 5, 1)  # NovaCRM / competitor theme rises (by closed_date)

COLUMNS = ["deal_id", "created_date", "closed_date", "owner", "industry",
           "company_size", "region", "stage", "outcome", "amount",
           "competitor", "call_note", "lost_reason"]
TRUTH_COLUMNS = ["row", "deal_id", "lost_reason_theme", "lost_reason_theme2",
                 "call_note_theme"]
STATEMENT_COLUMNS = ["row", "deal_id", "column", "start", "end", "kind", "key"]

THEME_KEYS = ["price", "competitor", "features", "implementation", "budget",
              "approval", "timing", "integration", "security", "support", "needs"]

# ---------------------------------------------------------------- master data
REPS = {  # region -> reps (20 fictional reps)
    "関東": ["佐藤 健太", "鈴木 美穂", "高橋 翔太", "田中 彩", "伊藤 大輔", "渡辺 真由", "山本 拓也"],
    "関西": ["中村 亮", "小林 さやか", "加藤 誠", "吉田 千尋"],
    "中部": ["山口 和也", "松本 優子", "井上 直樹"],
    "九州": ["木村 恵", "林 雄一"],
    "東北": ["清水 浩二"],
    "北海道": ["森 沙織"],
    "中国・四国": ["池田 悠斗", "橋本 愛"],
}
REGION_W = {"関東": 45, "関西": 18, "中部": 13, "九州": 9, "東北": 5, "北海道": 4, "中国・四国": 6}
INDUSTRY_W = {"製造業": 22, "小売・流通": 13, "IT・通信": 18, "金融・保険": 8, "医療・福祉": 9,
              "不動産・建設": 11, "人材・サービス": 12, "物流": 7}
SIZE_W = {"〜50名": 35, "51〜300名": 35, "301〜1000名": 18, "1001名以上": 12}
SIZE_AMOUNT = {"〜50名": (200_000, 1_500_000), "51〜300名": (800_000, 5_000_000),
               "301〜1000名": (3_000_000, 15_000_000), "1001名以上": (8_000_000, 60_000_000)}
OPEN_STAGES = (["リード", "提案", "見積提示", "交渉"], [30, 30, 25, 15])
OTHER_COMPETITORS = ["サクセスナビ", "Salesboost", "クラウドCRMプロ", "ウリアゲマスター",
                     "DealPilot", "ツナガル営業"]
NOVA = "NovaCRM"
NOVA_SPELLINGS = (["NovaCRM", "Nova CRM", "ノバCRM", "Nova"], [85, 6, 6, 3])

# ------------------------------------------------------------- theme weights
BASE_W = {"price": 17, "competitor": 10, "features": 12, "implementation": 8, "budget": 10,
          "approval": 8, "timing": 9, "integration": 8, "security": 6, "support": 6, "needs": 8}
INDUSTRY_MULT = {
    "金融・保険": {"security": 3.0, "approval": 1.3},
    "医療・福祉": {"support": 2.5, "security": 1.5},
    "製造業": {"integration": 2.5},
    "IT・通信": {"features": 1.4},
    "小売・流通": {"price": 1.3},
}
SIZE_MULT = {
    "〜50名": {"price": 1.8, "budget": 1.8, "security": 0.3, "approval": 0.6},
    "301〜1000名": {"approval": 1.3, "integration": 1.3},
    "1001名以上": {"security": 3.0, "approval": 1.8, "price": 0.6, "budget": 0.7},
}
# From 2026-05: competitor x3.2 (~8% -> ~25%); price/features untouched (stable share);
# the remaining themes shrink so that price/features keep their share.
EMERGING_MULT = {k: 0.74 for k in THEME_KEYS}
EMERGING_MULT.update({"competitor": 3.2, "price": 1.1, "features": 1.03})
WON_FACTORS = (["features", "integration", "support", "price", "implementation"], [30, 20, 20, 15, 15])

# ------------------------------------------------ lost-reason phrase data
# S: full sentences / fragments (mixed 敬体・常体); B: bullet tags; C: 連用 clauses for 2-theme notes.
S = {
    "price": [
        "価格面で折り合いがつきませんでした。", "価格が合わず失注", "費用が高いとのこと。",
        "ライセンス費用が想定より高いと言われた", "1ユーザーあたりの単価がネック。",
        "見積金額が先方想定の倍近く、話にならなかった。", "月額費用が高く、費用対効果が見合わないと判断された。",
        "初期費用がかかる点で難色。", "価格がネックで見送り。", "もう少し安ければ、と最後まで言われていた。",
        "値引きを限界まで出したが届かず。", "見積り提示後にレス無し→確認したら高すぎるとの回答",
        "ユーザー数が多く、総額が大きくなりすぎた。", "コストメリットを示しきれませんでした。",
        "年間契約の一括払いが厳しいとのこと", "オプション込みの価格だと割高感が強い。",
        "最低契約ユーザー数の縛りが合わない。", "価格表を見た段階で「高い」と一言。",
        "今の運用(Excel)ならタダなので、それと比べられてしまった", "ROIの説明が刺さらず、費用の高さだけが印象に残った模様。",
        "料金体系が分かりにくく、割高に感じるとの指摘。", "ディスカウント要求に応えられず", "上位プランでないと必要機能が使えず、結果的に高額に。",
        "金額面で合意に至らず失注となりました。", "費用感が合わない（上限月5万と言われていた）", "価格で負けた。機能面の評価は悪くなかった。",
        "単価を下げられないか何度も相談されたが、社内規定で不可。", "ライセンス数を絞っても費用感と乖離。",
        "コスト面で見送りたいとのご連絡をいただきました。", "高い、の一点張り。", "「機能は良いが値段が…」とのこと",
        "他ツールと比べて割高という評価。", "更新時の値上げリスクを懸念され、価格面で断念。", "導入後のランニングコストが重いと判断。",
        "価格交渉がまとまらずクローズ。", "見積もりが高すぎると言われました。", "費用が見合わない、との回答。",
    ],
    "competitor": [
        "他社サービスに決定。", "競合に負けました。", "他社採用のため失注。", "他社で決まったとのこと（社名は非開示）",
        "競合他社への切り替えを決めたとのこと。", "別ツールを導入済みだった。", "相見積もりの結果、他社に決定。",
        "他社製品を選ばれたとご連絡あり。", "コンペ負け。", "既存ベンダーが対抗提案を出してきて継続に。",
        "他社との比較で劣後。", "競合の方が提案内容が具体的だった、とフィードバック", "別の営業支援ツールで進めることになった。",
        "他社の方が業界事例が多いと判断された模様。", "今使っているCRMの継続が決定。", "競合に先を越された。",
    ],
    "features": [
        "必要な機能が足りないとのこと。", "機能不足で失注", "見積書作成機能が弱いと指摘された。",
        "案件管理のカスタマイズ性が足りない。", "モバイルアプリの機能が物足りないという評価。",
        "レポートの自由度が低く、経営層向けの資料が作れない。", "ガントチャートが無いのがネック",
        "ワークフロー（承認フロー）機能がない点で見送り。", "複数通貨に対応していないため不可。", "英語UIが必要だったが未対応。",
        "名刺取り込みのOCR精度に不満。", "MA機能が欲しいとのことでマッチせず。", "項目数の上限に引っかかった。",
        "予実管理の粒度が先方要件を満たさない。", "要望機能がロードマップにも無く、お断りされました。",
        "帳票出力のレイアウトが自由にできない点がネック。", "オフラインで使えないと現場が困るとのこと", "機能要件を満たせず。",
        "在庫連動の仕組みが標準で無い。", "商談の自動入力（メール取り込み）が欲しかったらしい。", "ダッシュボードの作り込みができないと言われた",
        "権限設定が細かくできず、部門ごとの閲覧制御が不可。", "通話録音との連動が無い。", "カスタムオブジェクトが作れない点で×",
        "分析機能が弱いとの評価で見送り。", "機能比較表で×が多かった。", "PoCで必須要件3つのうち2つ満たせず",
        "一括更新・一括編集ができず運用に乗らないと判断。", "案件ステータスを柔軟に変えられないのが不満とのこと。",
        "AIによる売上予測がほしいとのことで、機能面でマッチしませんでした。", "機能面の要件が合わず失注。",
        "定期請求の管理ができないためNG。", "Slack/Teamsへの通知が細かく設定できない。",
        "標準機能だけでは業務に合わず、開発が必要になるため断念。",
    ],
    "implementation": [
        "導入工数が確保できないとのこと。", "データ移行の負荷が大きく断念。", "既存データ(Excel 10年分)の移行が大変すぎるという判断",
        "現場への展開・教育の手間を考えると今は無理とのこと。", "導入に3か月かかる点がネック。", "設定作業を自社でやる余力がない。",
        "運用定着させる自信がないと言われた。", "移行作業のリソース不足で見送り。", "情シスが1名しかおらず、導入を回せない",
        "立ち上げに必要な社内工数が読めないとのこと。", "入力項目の設計からやり直すのは負担が大きいと判断されました。",
        "現場の営業が新しいツールに慣れるまでの負担を懸念。", "切替時の二重入力期間が耐えられないとのこと",
        "移行ツールが無いと厳しい、との回答。", "導入プロジェクトを回せる人がいない。", "初期設定が複雑そうという印象を持たれてしまった。",
        "導入負荷が高いため今回は見送り", "過去に別ツールの導入で失敗しており、現場の抵抗感が強い。",
        "移行・教育の手間を考えると現状維持が無難という結論。", "キックオフから稼働までのスケジュールが合わない。", "マスタ整備が追いつかない。",
        "導入に伴う業務フロー変更に現場が反対", "全拠点展開の手間が大きすぎる。", "導入作業の見積り工数を見て先方が引いてしまった。",
        "データクレンジングからやる必要があり、今は手が回らないとのこと。", "運用ルールづくりまで手が回らない、と担当。",
        "移行負荷NGで失注。", "ツール切り替えのパワーが社内に無い", "研修に割ける時間が無い（繁忙期）。", "取引先マスタ5万件の移行がネック。",
        "既存の入力習慣を変えるのが難しいと判断されました。", "導入・移行の工数が見合わないとのこと。",
    ],
    "budget": [
        "予算が取れなかったとのこと。", "今期予算なし", "予算凍結のため見送りになりました。", "業績悪化でIT投資が一律ストップ。",
        "来期の予算取りに間に合わなかった。", "予算が他のプロジェクトに回された。", "予算確保できず失注", "コスト削減の方針が出て、新規ツールは全て凍結。",
        "予算枠が50万しかなく、届かない。", "予算化されていない案件だった。", "上期の予算が使い切られていた",
        "年度途中のため予算が無い、来年度に再検討。", "親会社からの投資抑制指示で予算が下りず。", "予算計上が見送られたとご連絡いただきました。",
        "今年度は予算ゼロ。", "システム予算が基幹刷新に全部持っていかれた", "予算申請が通らなかった。",
        "補助金が採択されず、予算の目処が立たなくなった。", "費用感以前に、そもそも予算が無かった。", "予算削減の対象になってしまった。",
        "経費削減の一環でツール導入そのものが中止。", "部門予算では賄えず、全社予算は来期以降。", "予算オーバーのため断念。",
        "予算が付かなかったため今回は見送りとのこと。", "急な予算カットで白紙に。", "新規投資は原則凍結の状態とのこと",
        "予算確保の見通しが立たない。", "IT予算の優先順位が低く、後回しに。", "決算が厳しく、今期の新規投資は無し。",
        "予算の都合で一旦ストップ。", "予算申請のタイミングを逃した、来年度予算で再挑戦。",
    ],
    "approval": [
        "決裁が下りなかった。", "稟議が通らず失注", "社長決裁でNG。", "決裁者NG", "役員会で否決されたとのこと。",
        "現場は前向きだったが、上層部の承認が得られず。", "部長の反対で稟議まで上げられなかった。", "社内調整がつかず見送り。",
        "情シスと営業部の意見が割れ、合意形成できなかった。", "決裁者に会えないまま終わった", "稟議で差し戻し、再提出の気力なし、とのこと。",
        "経営会議で「今じゃない」と判断された。", "キーマンの部長が異動になり、社内で話が止まった。",
        "担当者レベルでは推進できず、上申が通らなかった。", "本社承認が必要で、そこで止まりました。", "社内稟議が否決されたとのご連絡。",
        "決裁ルートが複雑で、最後まで合意が取れなかった。", "取締役の一人が強く反対", "現場とマネジメントの温度差が大きく、承認されず。",
        "社長が紙文化を変える気がない。", "稟議NG", "決裁者の理解が得られませんでした。", "グループ会社の承認がおりず。",
        "担当の方は推してくれたが、社内の合意までは取れなかった", "上長から「必要性が分からない」と言われて止まったらしい",
        "経営層への説明機会がもらえず、決裁に至らず。", "オーナー社長の一声で中止。", "購買部門の承認プロセスで止まった。",
        "決裁権者が交代し、白紙に戻った。", "社内の合意形成に時間がかかり、結果見送り。", "役員プレゼンまで行ったが否決。",
    ],
    "timing": [
        "時期尚早とのこと。", "タイミングが合わず", "今は他の施策で手一杯、半年後に再検討。", "組織変更が落ち着いてから検討したいとのこと。",
        "繁忙期に入るため、導入は来年以降。", "現行ツールの契約が2年残っている。", "時期を改めて検討したいとのご回答でした。",
        "営業体制が固まってから、と言われた", "今期は見送り、来期あらためて。", "移転・統合のタイミングと重なり保留→失注扱い",
        "決算期をまたぐので一旦見送り。", "現行契約の更新が先月終わったばかり。", "まだ営業が3名しかおらず、CRMは早いという判断。",
        "新体制になってから再度声をかけてほしいとのこと。", "基幹システム刷新が先、CRMはその後。", "時期の問題で今回は見送り",
        "今年度中の導入は難しいとのこと。", "ほかの大型プロジェクトが優先になった。", "1年後にもう一度検討すると言われました。",
        "中期計画の見直し中で、判断を先送り。", "M&Aの最中で新規導入どころではない", "タイミングNG。秋以降に再アプローチ。",
        "担当者が産休に入るため一旦ストップ。", "事業計画が固まる来春まで待ってほしい。", "今は検討フェーズではないとのこと。",
        "繁忙期明けに再度連絡することで合意、ただ今回はクローズ。", "時期尚早と判断されました。", "展示会シーズンが終わるまで動けない。",
        "人員増強のタイミングで改めて、とのこと。", "契約更新月（3月）まで動けない", "社内がバタバタしており、落ち着いたら再検討。",
    ],
    "integration": [
        "基幹システムとの連携ができないためNG。", "会計ソフトと連携できないのがネック。", "kintoneとのデータ連携が必須だったが対応できず。",
        "Salesforceからの移行＋併用が前提で、連携が弱いと判断された。", "APIの仕様が先方要件を満たさなかった。",
        "CSV連携だけでは運用が回らないとのこと。", "生産管理システムとの連動ができない点で見送り。", "既存の販売管理と二重入力になるのがNG",
        "API連携の開発が重くなるとの判断。", "使っている会計ソフトとの自動連携が無いと言われた", "SFA⇔基幹の受注データ連携がリアルタイムでないと困る。",
        "EDIとの連携要件を満たせず。", "kintoneアプリとの双方向同期ができない点がネック。", "CSVインポートの項目マッピングが柔軟でない。",
        "既存のグループウェアとの連携ができない。", "APIのコール数制限が厳しいと指摘あり。", "基幹（オンプレのERP）との連携実績が無く不安視された。",
        "Salesforceのデータを残したまま連携したいという要望に応えられず。", "名刺管理ツールとの連携ができない。",
        "Webhookが無いので連携開発ができないと言われた", "システム連携NG", "会計システムへの売上連携を手作業でやるのは無理とのこと。",
        "連携部分の要件が合わず失注。", "連携にミドルウェアが必要と分かり、断念されました。", "既存DBとの連携がSQL直結前提で、こちらの仕様と合わない。",
        "kintone連携がプラグイン経由のみで、標準対応でない点が×", "API公開範囲が狭く、やりたい連携が実現できない。",
        "基幹とのマスタ同期が日次バッチでは遅い。", "連携要件（受発注・請求）を満たせずお見送り。", "MAツールとの連携が前提だったが非対応。",
        "Salesforceとの並行運用でデータ連携が必須→対応できず。", "CSV出力の文字コード（Shift_JIS）問題で既存システムに取り込めない。",
    ],
    "security": [
        "SSO非対応のためNG。", "SAML認証に対応していないとのことで見送り。", "IP制限ができない点がネック。",
        "ISMS認証を取得していないため、社内審査を通らず。", "監査ログの保存期間が要件（5年）を満たさない。", "オンプレ版が無いと厳しいとのこと。",
        "セキュリティチェックシートで複数項目NG。", "情シスのセキュリティ審査で落ちた", "データの保管場所（国内DC）を明示できず不可。",
        "二要素認証を全ユーザーに強制できないのがNG。", "クラウド利用そのものに社内規程上の制限がある。", "SOC2レポートの提出を求められたが対応できず。",
        "端末制限（デバイス認証）ができないため失注", "アクセス権限の監査機能が不十分との指摘。", "セキュリティ要件を満たせず失注となりました。",
        "プライベートクラウドかオンプレでないと無理、とのこと。", "IPアドレス制限・SSOの両方が必須要件だった。", "ログの外部出力（SIEM連携）ができない。",
        "個人情報の取扱いについて法務NG", "Azure ADとのSSO連携が必須だった。", "脆弱性診断の結果提出を求められ、間に合わず。",
        "セキュリティ部門の承認がおりなかった。", "金融庁ガイドライン準拠の説明ができなかった。", "暗号化キーを自社管理（BYOK）できないためNG。",
        "ISMAP未登録のため対象外とされました。", "セキュリティ面の懸念が払拭できず。", "SSOが上位プランのみで、要件と合わず。",
        "監査ログが取れないと言われ終了", "パスワードポリシーを細かく設定できない点が指摘された。", "社外からのアクセスを遮断できないのが問題とのこと。",
        "情報システム部のセキュリティ基準に適合せず。", "社外クラウドへの顧客データ保存がNG。",
    ],
    "support": [
        "導入実績が少ないことを不安視された。", "同業種の事例が無いのがネック。", "サポート体制に不安があるとのこと。",
        "日本語サポートの対応時間が短い（平日10-17時）と指摘。", "電話サポートが無い点がマイナス。", "会社の規模・継続性を心配された",
        "同じ業界での導入実績が無いと言われた。", "事例紹介を求められたが、出せる事例が無かった。", "問い合わせのレスポンスが遅いという口コミを見たらしい",
        "専任の担当者が付かない点が不安とのこと。", "導入後のフォロー体制が弱いと判断されました。", "ベンダーとしての実績不足で見送り。",
        "オンサイト支援が無いと厳しい。", "地方拠点へのサポート訪問ができないのがネック", "サポート窓口がチャットのみで、年配の社員が使えない。",
        "上場企業での導入実績を求められた。", "サポートの質に不安ありとのことで失注。", "トライアル中の問い合わせ対応が遅く、印象を悪くした。",
        "大手での実績が少ないため、リスクを取れないとの判断。", "実績不足とのこと。", "操作研修を対面でやってほしいという要望に応えられず。",
        "ヘルプページが分かりにくいと言われた", "一部マニュアルが英語のみの点を懸念。", "知名度が低く、社内説明がしにくいとのこと。",
        "カスタマーサクセスの伴走が無いと定着しないと判断。", "導入事例が少なく、上に説明できないと言われました。", "夜間・土日のサポートが無いのがNG",
        "障害時の連絡体制・SLAが不明確との指摘。", "サービス終了リスクを懸念された。", "同規模企業の成功事例を出してほしいと言われたが用意できず。",
        "サポートと実績面で安心感が足りなかった。", "導入支援パートナーが地方に無い点を不安視。",
        "担当営業が頻繁に変わるのではと心配された。", "サポート体制の手厚さを最重視しており、当社では不安とのこと。",
        "問い合わせ窓口が平日のみで、シフト勤務の現場に合わない。",
    ],
    "needs": [
        "課題感が薄く、導入の必要性を感じていないとのこと。", "ニーズ不明確", "今のExcel管理で困っていない。", "情報収集段階だった模様。",
        "そもそも具体的な課題が無かった", "営業人数が少なく、ツールの必要性が低い。", "資料請求のみで検討意欲は低かった。",
        "何を解決したいのかが最後まで見えなかった。", "現場が必要性を感じていない。", "社長の思いつきで問い合わせただけだった模様",
        "比較用の情報収集（当て馬）だった可能性大。", "現状運用で十分回っている、とのこと。", "導入目的が定まらず自然消滅。",
        "ニーズが顕在化しておらず失注扱いに。", "担当者も何に使うかイメージできていない様子だった。", "「あれば便利」程度の温度感。",
        "課題の優先度が低いと判断されました。", "ヒアリングしても課題が出てこない。", "営業管理の仕組みづくりにそこまで関心が無い",
        "課題感を引き出せなかった（反省）。", "検討が進まずフェードアウト。", "連絡が取れなくなった。課題感は元々薄かった。",
        "今のやり方を変える理由が無い、と言われた", "見える化のニーズはあるが、ツール導入までは不要とのこと。", "ニーズがマッチしませんでした。",
        "問い合わせ理由が「なんとなく」だった。", "必要性が社内で共有されていなかった。", "業務改善の意識が薄い。",
        "ツールより人を増やしたいという話だった", "先方のニーズと提案内容がかみ合わず。", "現場の困りごとが特に無い、とのご回答。",
    ],
}
# competitor phrases naming the competitor ({comp}); NOVA_S: NovaCRM-specific (emerging theme)
COMP_NAMED = [
    "{comp}に決まりました。", "{comp}採用", "競合の{comp}に負けた。", "最終的に{comp}を選定されたとのこと。", "{comp}との相見積りで負け",
    "{comp}の方が提案が早く、そちらで決まった。", "比較検討の結果、{comp}を導入することになったそうです。",
    "{comp}が既に他部署で使われており、そちらに統一。", "先方の親会社が{comp}利用中のため、合わせる形に。", "{comp}のデモの印象が良かったらしい",
    "{comp}に価格・機能の両面で押し切られた。", "コンペで{comp}に敗退。", "{comp}の営業が先に入り込んでいた。",
    "{comp}で決裁が下りたとの連絡あり。", "{comp}との2社比較で、先方担当は{comp}推しだった。", "他社（{comp}）採用。",
]
NOVA_S = [
    "{comp}の低価格プランに流れた。", "{comp}の無料トライアルで現場が気に入り、そちらに決定。", "{comp}に決定。月額が半額近いとのこと。",
    "{comp}の無料トライアル中にそのまま本契約したらしい", "競合{comp}採用。低価格プランで十分という判断。",
    "{comp}の無料ユーザー枠が決め手になった模様。", "{comp}が期間限定の割引キャンペーン中で、そちらを選定。", "{comp}（低価格プラン）に乗り換え決定。",
    "{comp}を無料で試した結果、機能的にも十分と判断されました。", "{comp}の営業から大幅値引きの提示があったとのこと。",
    "他社({comp})採用。初期費用ゼロが響いた。", "{comp}の無料トライアル→そのまま導入の流れ。", "最近よく聞く{comp}に負けた。価格勝負では厳しい。",
    "{comp}のスモールスタートプランで十分とのこと。", "{comp}とのコンペ負け。無料トライアル期間の長さ（60日）が効いた",
    "{comp}に決まりました。今期だけで何件目か…", "{comp}の新プランが月980円/ユーザーで勝負にならず。", "{comp}がフリープランを出してきて、そちらで様子見",
    "{comp}の無料トライアルを先に始めていた。", "{comp}の低価格プランと比較され、そちらを採用とのこと。",
]
B = {
    "price": ["価格NG", "価格×", "費用感合わず", "金額NG", "単価が高い", "値引き不可", "コスト高", "見積額NG"],
    "competitor": ["他社採用", "競合負け", "コンペ負け", "他社決定", "他社に流れた"],
    "features": ["機能不足", "機能要件NG", "要件未達", "必要機能なし", "カスタマイズ性×", "レポート機能弱い"],
    "implementation": ["移行負荷大", "導入工数NG", "工数確保できず", "定着不安", "移行×"],
    "budget": ["予算×", "予算なし", "予算凍結", "予算NG", "予算確保できず", "今期予算ゼロ"],
    "approval": ["稟議NG", "決裁者NG", "決裁×", "社内合意取れず", "役員会否決"],
    "timing": ["時期尚早", "タイミングNG", "来期再検討", "時期×", "今期見送り"],
    "integration": ["連携NG", "API×", "基幹連携不可", "kintone連携×", "CSV連携のみでNG", "会計連携×"],
    "security": ["SSO非対応", "セキュリティNG", "IP制限×", "監査ログ×", "セキュリティ審査NG", "オンプレ要望"],
    "support": ["実績不足", "サポート不安", "事例なし", "日本語サポート×", "サポート体制×"],
    "needs": ["ニーズ薄", "課題感なし", "情報収集のみ", "ニーズ不明", "温度感低"],
}
C = {
    "price": ["価格も高く", "費用面でも折り合わず", "見積額が想定を上回っていたうえ", "単価が高いことに加え", "月額費用も重く"],
    "competitor": ["他社とのコンペになっていたうえ", "競合にも押されており", "他社の提案も出ていて"],
    "features": ["機能面でも要件を満たせず", "必要な機能が足りなかったうえ", "レポート機能が弱いことに加え", "一部機能が未対応で"],
    "implementation": ["移行の負荷も大きく", "導入工数が確保できないうえ", "現場展開の手間もあり"],
    "budget": ["そもそも予算も無く", "予算も凍結されており", "予算確保の目処も立たず"],
    "approval": ["稟議も通らず", "決裁者の理解も得られず", "社内合意も取れず"],
    "timing": ["タイミングも悪く", "時期尚早という判断もあり", "繁忙期とも重なり"],
    "integration": ["基幹システムとの連携もできず", "既存システムとの連携にも課題があり", "API連携も弱く", "kintone連携も不十分で"],
    "security": ["SSO非対応で", "セキュリティ審査も通らず", "IP制限ができないうえ", "監査ログの要件も満たせず"],
    "support": ["導入実績も少なく", "サポート体制にも不安があり", "事例も出せず"],
    "needs": ["課題感も薄く", "そもそもニーズも曖昧で", "必要性もあまり感じておらず"],
}
OPENERS = ["先方より、", "先方曰く、", "担当者より、", "担当曰く", "最終的に", "結論：", "【失注理由】", "失注理由：",
           "電話で確認したところ、", "メールにて連絡あり。", "結局", "ヒアリング結果→", "部長より、", "再確認の結果、",
           "最終回答：", "残念ながら", "クロージングMTGにて回答。", "情シス経由で連絡。", "先方担当から電話。", "（{md}連絡）"]
CLOSERS = ["次回は来期に再アプローチ。", "半年後にフォロー予定。", "残念。", "要再提案。", "→ナーチャリングへ", "引き続き情報提供は継続。",
           "関係は良好なので、いずれ再提案したい。", "以上。", "※詳細は商談メモ参照", "リサイクル対象。", "来年度に再コンタクト予定",
           "マネージャー報告済み。", "次の更新時期に再提案する。", "失注。", "（{md}クローズ）", "メールでお礼済み。"]
CONNECTORS = ["また、", "加えて", "それと", "あと、", "さらに", "併せて、", " / ", "。"]
NON_ANSWERS = (["特になし", "なし", "-", "ー", "不明", "記載なし", "", "特に無し", "未記入", "－"], [20, 18, 12, 8, 12, 8, 12, 4, 3, 3])

# ------------------------------------------------------ call-note phrase data
CN_HEAD = ["{md} 初回訪問。", "{md} オンライン商談（Zoom）。", "{md} Teamsで打ち合わせ。", "【{md} MTG】", "初回ヒアリング。",
           "2回目訪問、デモ実施。", "{md} 電話でヒアリング。", "展示会経由のリード、{md}に初回MTG。", "Web問い合わせから初回面談。",
           "{md} 来社いただきデモ。", "紹介案件。{md}訪問。", "{md} 定例MTG（3回目）。", "{md}訪問", "■{md} 商談"]
CN_WHO = ["先方は営業部長と担当者の2名。", "先方：社長、営業責任者。", "情シス担当も同席。", "先方窓口は営業企画の方。", "決裁者は不参加。",
          "役員同席、温度感高め。", "当方{rep}＋SE同行。", "現場リーダー3名が参加。", "先方担当1名のみ。", "先方は課長と若手2名。"]
CN_TOOLS = ["現状はExcelで案件管理。", "案件管理はスプレッドシート、日報は紙。", "kintoneで案件管理しているが定着していない。",
            "他社CRMを利用中、来年3月で更新。", "Salesforceを利用中だがライセンス費用が負担。", "名刺管理ツールのみ導入済み。",
            "ホワイトボードと週次会議で管理。", "自社開発の管理システムが老朽化。", "CRM未導入。営業は個人管理。",
            "Excelマクロで予実を集計している（属人化）。", "グループウェアの掲示板で報告している。", "会計ソフトと販売管理は導入済み、SFAは無し。"]
CN_INTEREST = ["ダッシュボードでの予実管理に関心。", "モバイルでの日報入力を重視。", "案件の見える化が一番の課題。", "営業プロセスを標準化したい。",
               "引き継ぎ時の情報断絶を解消したいとのこと。", "マネージャーの集計工数を減らしたい。", "失注分析をやりたいと言っている。",
               "名刺→リード→商談の一気通貫に興味あり。", "外出先からの入力のしやすさを気にしている。", "案件ステータスの自動集計に食いつき。",
               "AI予測機能に興味を示された。", "顧客情報の一元化がテーマ。"]
CN_NEXT = ["次回{md}に見積提示予定。", "トライアルアカウント発行済み。", "来週中に見積送付。", "先方で社内検討、{md}頃に回答予定。",
           "次回は決裁者同席でデモ。", "稟議資料のたたき台を送付予定。", "事例資料を送る。", "PoCの範囲を次回すり合わせ。",
           "要件一覧を先方から受領予定。", "2週間後にフォロー電話。", "宿題：料金表と導入スケジュール案。"]
CN_WON_NEXT = ["発注書受領済み。", "契約書を送付、{md}締結予定。", "キックオフは{m}月上旬。", "初期設定支援を{n}回で合意。",
               "{n}ユーザーで契約、半年後に拡張予定。", "稼働開始は{md}予定。", "CSへ引き継ぎ済み。", "導入スケジュール合意。", "受注！"]
CN_DETAIL = [
    "営業は全国で{n}0名、拠点ごとに管理方法がバラバラで、本社で数字をまとめるのに毎月3日かかっているとのこと。",
    "前任者が辞めてから顧客情報の引き継ぎがうまくいかず、既存顧客のフォロー漏れが発生している。",
    "部長は数字の見える化を強く希望、一方で現場は入力負担が増えることを警戒している。",
    "過去に別のSFAを入れたが、入力が定着せず1年で解約した経緯あり。", "来期から営業部を2つに分ける予定で、それに合わせて仕組みを整えたいという話。",
    "デモでは案件ボードと日報連携を中心に説明、質疑は主に権限設定とスマホ画面について。",
    "展示会で名刺交換したリードが数百件放置されている状態。", "週次の営業会議資料を毎回Excelで手作りしており、マネージャーの負担が大きい。",
    "問い合わせ対応はカスタマー部門、営業は別管理で、顧客情報が二重になっている。",
    "社長はトップダウンで決めたい意向だが、現場の納得感も重視している様子。",
    "比較表を先方で作成中、評価軸は価格・操作性・サポートの3つとのこと。",
    "トライアルでは営業3名が実際に1週間入力してみて、使用感をフィードバックしてもらう予定。",
    "ルート営業が中心で、訪問記録を紙で残している。月末にまとめて入力している状態。",
    "代理店経由の案件も多く、パートナー側にもアカウントを渡したいとの要望。",
]
#: CN_DETAIL entries that record what the rep did or will do (log), not what the customer said.
CN_DETAIL_LOG = ("デモでは", "トライアルでは")
CN_FEEL = ["温度感は低め。", "感触はまずまず。", "反応は悪くない。", "やや慎重な印象。", "前向きだが決め手に欠ける様子。"]
CN_CONCERN = {
    "price": ["価格について「思ったより高い」との反応。", "ユーザー単価を気にしている。", "値引きの可否を何度も確認された。",
              "予算上限は月{n}万円とのこと、見積と乖離あり。", "費用対効果の説明を求められた。", "初期費用をゼロにできないか相談あり。"],
    "competitor": ["{comp}とも並行して比較中とのこと。", "{comp}のデモを先週受けたらしい。", "{comp}の見積も取っている。",
                   "{comp}の方が安いと言われた。", "{comp}の無料トライアルを試している様子。"],
    "features": ["見積作成機能の有無を確認された。", "レポートのカスタマイズ性について質問多数。", "ワークフロー機能が必須かどうか社内確認中。",
                 "モバイルアプリの機能に不満気味。", "必要機能の一覧をもらったが、一部未対応。"],
    "implementation": ["データ移行の手間を心配している。", "導入にかかる社内工数を気にされていた。", "現場の定着に不安があるとのこと。",
                       "移行対象データが大量（Excel数千行×複数ファイル）。", "導入スケジュールがタイトすぎる懸念。"],
    "budget": ["予算はまだ確保されていない。", "今期の予算は残りわずかとのこと。", "予算化は来期以降になる可能性。", "予算の承認プロセスが不透明。"],
    "approval": ["決裁者は社長、現場だけでは決められない。", "稟議フローが長く、承認まで2か月程度。", "役員の一部が懐疑的とのこと。",
                 "社内の合意形成に時間がかかりそう。"],
    "timing": ["導入時期は未定。", "組織変更後に検討したいとの話も出た。", "繁忙期明けでないと動けないとのこと。", "現行ツールの契約がまだ残っている。"],
    "integration": ["基幹システムとの連携可否を確認された。", "会計ソフトへの連携が必須要件。", "kintoneとの連携方法について質問あり。",
                    "API仕様書の提出を依頼された。", "Salesforceからのデータ移行と並行運用を希望。", "CSV取込の項目マッピングについて確認。"],
    "security": ["情シスからSSO（SAML）対応の有無を確認された。", "セキュリティチェックシート（80項目）を受領。", "IP制限・監査ログの要件あり。",
                 "ISMS取得状況を聞かれた。", "オンプレ版の有無を質問された。", "データセンターの所在地を確認された。"],
    "support": ["導入実績・同業種事例を求められた。", "サポート体制（電話対応の有無）を気にされている。", "日本語サポートの対応時間を確認された。",
                "導入後のフォロー体制について質問多数。"],
    "needs": ["課題がまだ明確になっていない様子。", "情報収集段階とのこと。", "現状運用で大きな不満は無いらしい。",
              "何を改善したいのか、先方もまだ整理できていない。"],
}
CN_NOVA = ["{comp}の無料トライアルを試している様子。", "{comp}の低価格プランとも比較中。", "{comp}から月額半額近い見積が出ているらしい。"]
CN_CLINCH = {
    "features": ["画面の分かりやすさ・操作性が決め手。", "現場メンバーがデモで「使いやすい」と好評。", "モバイルアプリの操作性を高評価。",
                 "入力項目を柔軟に変えられる点が刺さった。"],
    "integration": ["kintone連携がスムーズな点が決め手。", "会計ソフトとのCSV連携が評価された。", "API連携で基幹とつなげられる点を評価。",
                    "Salesforceからの移行ツールが決め手に。"],
    "support": ["日本語サポートの手厚さが決め手。", "導入支援の伴走体制を評価いただいた。", "同業種の事例紹介が刺さった。", "CSの定例フォローが安心材料に。"],
    "price": ["他社比で価格競争力があった。", "ユーザー単価が予算内に収まった。", "年間契約の割引で合意。", "初期費用無料キャンペーンが後押し。"],
    "implementation": ["最短2週間で稼働できる導入スピードを評価。", "Excelからのデータ移行を代行する点が刺さった。",
                       "初期設定テンプレートで立ち上げが早い点が決め手。", "スモールスタートできる点が評価された。"],
}

# ---------------------------------------------------------------- fake PII
SURNAMES = [("山田", "yamada"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"), ("伊藤", "ito"),
            ("渡辺", "watanabe"), ("中村", "nakamura"), ("小林", "kobayashi"), ("加藤", "kato"), ("吉田", "yoshida"),
            ("山本", "yamamoto"), ("佐々木", "sasaki"), ("松本", "matsumoto"), ("井上", "inoue"), ("木村", "kimura"),
            ("清水", "shimizu"), ("森", "mori"), ("石川", "ishikawa")]
GIVEN = ["taro", "hanako", "kenichi", "misaki", "sho", "yumi", "daisuke", "naoko", "takuya", "emi"]
TITLES = ["様", "部長", "課長", "さん", "社長", "主任", "部長様"]
DOMAINS = ["example.co.jp", "example.com", "example.jp"]
PII_CN = ["先方窓口：{name}様（{email}）", "ご担当の{name}{title}より連絡あり（{phone}）。", "{name}{title}の携帯：{phone}",
          "資料送付先：{email}", "会社HP：https://www.example.co.jp/company/", "送付先：〒{zip} 担当{name}様宛",
          "代表番号 {phone}、{name}{title}につないでもらう。", "{name}様 {email} / {phone}"]
PII_LR = ["（{name}{title}より電話）", "{name}様から{phone}で連絡あり。", "ご担当の{name}{title}からメール（{email}）。"]

# ------------------------------------------------------------- text variants
FW_ASCII = {c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}


def _build_halfwidth() -> dict:
    table = {}
    for cp in range(0xFF66, 0xFF9E):  # ｦ..ﾝ (incl. ｰ)
        full = unicodedata.normalize("NFKC", chr(cp))
        if len(full) == 1:
            table[full] = chr(cp)
    for cp in range(0x30A1, 0x30F7):
        ch = chr(cp)
        d = unicodedata.normalize("NFD", ch)
        if len(d) == 2 and d[0] in table:
            table[ch] = table[d[0]] + ("\uff9e" if d[1] == "\u3099" else "\uff9f")
    return table


HW_KANA = _build_halfwidth()
TYPOS = [("検討", "検当"), ("検討", "険討"), ("決裁", "決済"), ("稟議", "稟儀"), ("連携", "連係"), ("担当", "担当当"),
         ("見積", "見槙"), ("導入", "導人"), ("予算", "予殺"), ("機能", "機脳"), ("確認", "確忍"), ("とのこと", "とのことと"),
         ("ました", "まいた"), ("られ", "られられ")]


def to_halfwidth_kana(s: str, rng: random.Random) -> str:
    out, run = [], []
    for ch in s + "\0":
        if ch in HW_KANA:
            run.append(ch)
            continue
        if run:
            out.append("".join(HW_KANA[c] for c in run) if rng.random() < 0.7 else "".join(run))
            run = []
        out.append(ch)
    return "".join(out[:-1])


def to_fullwidth_ascii(s: str) -> str:
    return "".join(FW_ASCII.get(c, c) for c in s)


def add_typo(s: str, rng: random.Random) -> str:
    k = rng.randrange(len(TYPOS))
    for src, dst in TYPOS[k:] + TYPOS[:k]:
        if src in s and (src != "予算" or rng.random() < 0.3):
            return s.replace(src, dst, 1)
    idx = [i for i, c in enumerate(s) if "\u3041" <= c <= "\u3093"]
    if not idx:
        return s
    i = rng.choice(idx)
    return s[:i] + s[i + 1:] if rng.random() < 0.5 else s[:i] + s[i] + s[i:]


def vary(s: str, rng: random.Random) -> str:
    """Apply width changes / typos / punctuation noise to a minority of texts."""
    r = rng.random()
    if r < 0.035:
        s = to_halfwidth_kana(s, rng)
    elif r < 0.075:
        s = to_fullwidth_ascii(s)
    r = rng.random()
    if r < 0.035:
        s = add_typo(s, rng)
    elif r < 0.09:
        s = s.rstrip("。") if s.endswith("。") else s.replace("、", "，")
    elif r < 0.11:
        s = s.replace("。", ". ").rstrip()
    return s


# ----------------------------------------------------------------- helpers
def md(d: dt.date, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.6:
        return f"{d.month}/{d.day}"
    if r < 0.85:
        return f"{d.month}月{d.day}日"
    return f"{d.month:02d}/{d.day:02d}"


def fill(s: str, rng: random.Random, d: dt.date, comp: str = "", rep: str = "") -> str:
    if "{" not in s:
        return s
    return s.format(md=md(d, rng), m=d.month, n=rng.choice([3, 5, 8, 10, 15, 20, 30, 50]),
                    comp=comp or "他社", rep=rep)


def fake_pii(s: str, rng: random.Random) -> str:
    sur, roma = rng.choice(SURNAMES)
    given = rng.choice(GIVEN)
    email = rng.choice([f"{given}.{roma}@", f"{roma}@", f"{roma[0]}-{given}@", f"{given}_{roma}01@"]) + rng.choice(DOMAINS)
    r = rng.random()
    if r < 0.35:
        phone = f"0{rng.choice([3, 6])}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    elif r < 0.75:
        phone = f"0{rng.choice([70, 80, 90])}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    elif r < 0.9:
        phone = f"+81-{rng.choice([70, 80, 90])}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    else:
        phone = to_fullwidth_ascii(f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}")
    return s.format(name=sur, title=rng.choice(TITLES), email=email, phone=phone,
                    zip=f"{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}")


def pick_comp_text(rng: random.Random, comp: str) -> str:
    if comp == NOVA:
        return rng.choices(*NOVA_SPELLINGS)[0]
    return comp


def sentence(theme: str, rng: random.Random, comp: str, nova: bool) -> str:
    if theme == "competitor" and comp:
        if nova and rng.random() < 0.85:
            return rng.choice(NOVA_S).replace("{comp}", pick_comp_text(rng, comp))
        if rng.random() < 0.8:
            return rng.choice(COMP_NAMED).replace("{comp}", pick_comp_text(rng, comp))
    return rng.choice(S[theme])


def end(a: str, rng: random.Random) -> str:
    """Terminate a sentence so that another one can follow."""
    if a.endswith(("。", "）", "」", "…", "→", "！")):
        return a
    return a + rng.choice(["。", "。", "。", " ", "、"])


def lost_reason(rng: random.Random, t1: str, t2: str, comp: str, nova: bool, d: dt.date) -> str:
    r = rng.random()
    if t2 and r < 0.45:
        c = rng.choice(C[t1])
        if t1 == "competitor" and comp and rng.random() < 0.5:
            c = f"{pick_comp_text(rng, comp)}とも比較されており"
        text = c + "、" + sentence(t2, rng, comp, nova)
    elif t2 and r < 0.8:
        a, conn, b = sentence(t1, rng, comp, nova), rng.choice(CONNECTORS), sentence(t2, rng, comp, nova)
        text = a.rstrip("。") + conn + b if conn == " / " else end(a, rng) + conn.strip("。") + b
    elif t2:
        text = f"・{rng.choice(B[t1])}{rng.choice([' ', '　', '／'])}・{rng.choice(B[t2])}"
    elif r < 0.14:
        a, b = rng.sample(B[t1], 2)
        text = f"・{a}{rng.choice([' ', '　'])}・{b}"
        if t1 == "competitor" and comp:
            text += f"（{pick_comp_text(rng, comp)}）"
    else:
        text = sentence(t1, rng, comp, nova)
        if rng.random() < 0.42:
            text = fill(rng.choice(OPENERS), rng, d) + text
        if rng.random() < 0.08:
            text = end(text, rng) + rng.choice(S[t1])
        if rng.random() < 0.4:
            text = end(text, rng) + fill(rng.choice(CLOSERS), rng, d)
    while len(text) < 10:
        text = end(text, rng) + fill(rng.choice(CLOSERS), rng, d)
    return text


def call_note_parts(rng: random.Random, outcome: str, theme: str, comp: str, nova: bool, created: dt.date,
                    closed: dt.date | None, rep: str) -> tuple[list[tuple[str, str, str]], str]:
    """The parts of a call note as (text, kind, key) and the separator the rep used ("" or " ").

    kind is ``voice`` (the customer's words) or ``log`` (the rep's record); key is the planted concern
    (THEME_KEYS), ``situation`` / ``interest`` / ``context`` for other customer statements, or ``log``.
    """
    d = min(created + dt.timedelta(days=rng.randint(0, 10)), closed or END)
    parts = [(fill(rng.choice(CN_HEAD), rng, d), "log", "log")]
    if rng.random() < 0.5:
        parts.append((fill(rng.choice(CN_WHO), rng, d, rep=rep.split()[0]), "log", "log"))
    if rng.random() < 0.8:
        parts.append((rng.choice(CN_TOOLS), "voice", "situation"))
    if rng.random() < 0.65:
        parts.append((rng.choice(CN_INTEREST), "voice", "interest"))
    if rng.random() < 0.35:
        parts.append(_detail(fill(rng.choice(CN_DETAIL), rng, d)))
    if outcome == "受注":
        if theme:
            parts.append((rng.choice(CN_CLINCH[theme]), "voice", theme))
        parts.append((fill(rng.choice(CN_WON_NEXT), rng, d + dt.timedelta(days=rng.randint(14, 40))), "log", "log"))
    else:
        if theme:
            if theme == "competitor" and nova and rng.random() < 0.6:
                text = rng.choice(CN_NOVA).replace("{comp}", pick_comp_text(rng, comp or NOVA))
            else:
                text = fill(rng.choice(CN_CONCERN[theme]), rng, d, comp=pick_comp_text(rng, comp))
            parts.append((text, "voice", theme))
        if rng.random() < 0.3:
            parts.append((rng.choice(CN_FEEL), "log", "log"))
        if rng.random() < 0.7:
            parts.append((fill(rng.choice(CN_NEXT), rng, d + dt.timedelta(days=rng.randint(7, 21))), "log", "log"))
    if rng.random() < 0.06:  # a few long notes
        parts[2:2] = [_detail(fill(x, rng, d)) for x in rng.sample(CN_DETAIL, 2)]
        feel = rng.choice(CN_FEEL)
        if feel not in [p[0] for p in parts]:
            parts.append((feel, "log", "log"))
    while sum(len(p[0]) for p in parts) < 30:
        parts.append((rng.choice(CN_INTEREST), "voice", "interest"))
    if rng.random() < 0.05:
        parts.append((fake_pii(rng.choice(PII_CN), rng), "log", "log"))
    sep = " " if rng.random() < 0.15 else ""
    while sum(len(p[0]) for p in parts) > 290:
        parts.pop(1)
    return parts, sep


def _detail(text: str) -> tuple[str, str, str]:
    return (text, "log", "log") if text.startswith(CN_DETAIL_LOG) else (text, "voice", "context")


def call_note(rng: random.Random, outcome: str, theme: str, comp: str, nova: bool, created: dt.date,
              closed: dt.date | None, rep: str) -> str:
    parts, sep = call_note_parts(rng, outcome, theme, comp, nova, created, closed, rep)
    return unmark(layout_note(parts, sep, None))[0]


# ------------------------------------------------ call-note layout and statement truth
#: How reps lay out a note (drawn from its own random stream, so the other columns do not depend on
#: it): one run of text (as before), a line per statement, bullets, space-separated memo fragments,
#: 【】 section labels, or slashes.
LAYOUTS = (["plain", "lines", "bullets", "memo", "sections", "slash"], [62, 9, 11, 8, 6, 4])
BULLETS = ["・", "・", "・", "- ", "＊", "●", "◆", "■", "①", "1. ", "1) "]
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫"
SECTION = {"situation": ["【現状】", "【現状】", "■現状："], "interest": ["【関心】", "【ニーズ】"],
           "context": ["【背景】", "【補足】"], "concern": ["【懸念】", "【課題】", "■懸念："], "clinch": ["【決め手】"]}
_MARK_START, _MARK_END = "\ue000", "\ue001"  # statement bounds, carried through vary(), then removed
_OPEN, _CLOSE = "（(「『【［[", "）)」』】］]"


def _sentences(text: str) -> list[str]:
    """Split a phrase after 。/！ outside brackets (a phrase such as 「CRM未導入。営業は個人管理。」
    holds two statements)."""
    out, depth, begin = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in _OPEN) - (ch in _CLOSE)
        if ch in "。！" and depth <= 0 and i + 1 < len(text) and text[i + 1] not in "。！" + _CLOSE:
            out.append(text[begin:i + 1])
            begin = i + 1
    return out + [text[begin:]] if text[begin:] else out


def _marked(text: str) -> str:
    return "".join(_MARK_START + t + _MARK_END for t in _sentences(text))


def _bullet(style: str, i: int) -> str:
    if style == "①":
        return CIRCLED[i % len(CIRCLED)]
    if style in ("1. ", "1) "):
        return f"{i + 1}{style[1:]}"
    return style


def layout_note(parts: list[tuple[str, str, str]], sep: str, lrng: random.Random | None,
                won: bool = False) -> tuple[str, list]:
    """The note's text with statement markers, and (kind, key) of each statement in order."""
    style = "plain" if lrng is None else lrng.choices(*LAYOUTS)[0]
    labels = [(kind, key) for text, kind, key in parts for _ in _sentences(text)]
    if style == "plain":
        body = sep.join(_marked(p) + ("" if sep or p.endswith(("。", "）", "】", "」", "！")) else " ")
                        for p, _, _ in parts)
    elif style in ("lines", "bullets", "sections"):
        bullet = lrng.choice(BULLETS)
        lines = [_marked(parts[0][0])]
        for i, (text, kind, key) in enumerate(parts[1:]):
            if style == "sections" and kind == "voice":
                text = lrng.choice(SECTION[key if key in SECTION else "clinch" if won else "concern"]) + text
            lines.append((_bullet(bullet, i) if style == "bullets" else "") + _marked(text))
        body = "\n".join(lines)
    else:
        joiner = lrng.choice([" ", "　", "  "]) if style == "memo" else lrng.choice(["／", " / ", "/"])
        body = joiner.join(_marked(p.removesuffix("。")) for p, _, _ in parts)
    body = body.rstrip()
    assert body.endswith(_MARK_END), body
    return body[: -len(_MARK_END)], labels


def unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove the statement markers; the (start, end) of each statement, without white space at its ends."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start = None
    for ch in marked:
        if ch == _MARK_START:
            start = len(out)
        elif ch == _MARK_END:
            spans.append((start, len(out)))
            start = None
        else:
            out.append(ch)
    text = "".join(out)
    if start is not None:
        spans.append((start, len(text)))
    trimmed = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        trimmed.append((a, b))
    return text, trimmed


# ------------------------------------------------------------- generation
def _theme_table(industry: str, size: str, emerging: bool, cache: dict):
    key = (industry, size, emerging)
    if key not in cache:
        w = []
        for k in THEME_KEYS:
            x = BASE_W[k] * INDUSTRY_MULT.get(industry, {}).get(k, 1.0) * SIZE_MULT.get(size, {}).get(k, 1.0)
            w.append(x * EMERGING_MULT[k] if emerging else x)
        cache[key] = w
    return cache[key]


def _day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    span = (hi - lo).days
    off = rng.uniform(0, span) if rng.random() < 0.7 else rng.triangular(0, span, span)
    return lo + dt.timedelta(days=int(off))


def _competitor_column(rng, outcome, theme, theme2, nova):
    if outcome == "失注" and "competitor" in (theme, theme2):
        if rng.random() < 0.1:
            return ""
        p_nova = 0.88 if nova else 0.07
    else:
        if rng.random() > (0.25 if outcome == "失注" else 0.18):
            return ""
        p_nova = 0.35 if nova else 0.06
    return NOVA if rng.random() < p_nova else rng.choice(OTHER_COMPETITORS)


def _deal(rng: random.Random, cache: dict, lrng: random.Random | None = None) -> dict:
    region = rng.choices(list(REGION_W), weights=list(REGION_W.values()))[0]
    industry = rng.choices(list(INDUSTRY_W), weights=list(INDUSTRY_W.values()))[0]
    size = rng.choices(list(SIZE_W), weights=list(SIZE_W.values()))[0]
    owner = rng.choice(REPS[region])
    # ~14% stalled/open deals skewed to recent dates; won:lost = 3:5 among the rest, but a
    # deal whose sales cycle would end after END is still open -> overall ~30/50/20.
    r = rng.random()
    outcome = "進行中" if r < 0.144 else "受注" if r < 0.144 + 0.856 * 3 / 8 else "失注"
    if outcome == "進行中":
        created = END - dt.timedelta(days=min(int(rng.expovariate(1 / 100)), (END - START).days))
    else:
        created = _day(rng, START, END)
        closed = created + dt.timedelta(days=int(rng.expovariate(1 / 45)) + 3)
        if closed > END:
            outcome = "進行中"
    if outcome == "進行中":
        closed, stage = None, rng.choices(*OPEN_STAGES)[0]
    else:
        stage = outcome
    lo, hi = SIZE_AMOUNT[size]
    amount = int(lo * (hi / lo) ** rng.random())
    amount = amount // 10000 * 10000 if rng.random() < 0.8 else amount // 1000 * 1000
    nova = (closed or created) >= EMERGING_FROM
    t1 = t2 = cn_theme = ""
    if outcome == "失注":
        w = _theme_table(industry, size, nova, cache)
        t1 = rng.choices(THEME_KEYS, weights=w)[0]
        if rng.random() < 0.10:
            while not t2 or t2 == t1:
                t2 = rng.choices(THEME_KEYS, weights=w)[0]
        cn_theme = t1 if rng.random() < 0.65 else ""
    elif outcome == "受注":
        cn_theme = rng.choices(*WON_FACTORS)[0] if rng.random() < 0.8 else ""
    elif rng.random() < 0.5:
        cn_theme = rng.choices(THEME_KEYS, weights=_theme_table(industry, size, nova, cache))[0]
    comp = _competitor_column(rng, outcome, t1, t2, nova)
    note, statements = "", []
    if outcome != "進行中" or rng.random() < 0.6:
        parts, sep = call_note_parts(rng, outcome, cn_theme, comp, nova, created, closed, owner)
        marked, labels = layout_note(parts, sep, lrng, won=outcome == "受注")
        note, spans = unmark(vary(marked, rng))
        assert len(spans) == len(labels), (note, spans, labels)
        statements = [(a, b, kind, key) for (a, b), (kind, key) in zip(spans, labels, strict=True)]
    elif cn_theme:
        cn_theme = ""
    reason, lr_theme = "", ""
    if outcome == "失注":
        if rng.random() < 0.055:
            reason, lr_theme, t2 = rng.choices(*NON_ANSWERS)[0], "none", ""
        else:
            reason, lr_theme = lost_reason(rng, t1, t2, comp, nova, closed), t1
            if rng.random() < 0.02:
                reason += fake_pii(rng.choice(PII_LR), rng)
            reason = vary(reason, rng)
    row = {"deal_id": "", "created_date": created.isoformat(), "closed_date": closed.isoformat() if closed else "",
           "owner": owner, "industry": industry, "company_size": size, "region": region, "stage": stage,
           "outcome": outcome, "amount": amount, "competitor": comp, "call_note": note, "lost_reason": reason}
    truth = {"lost_reason_theme": lr_theme, "lost_reason_theme2": t2, "call_note_theme": cn_theme}
    return {"row": row, "truth": truth, "statements": statements,
            "key": (row["created_date"], row["closed_date"] or "9", rng.random())}


def near_dup(s: str, rng: random.Random) -> str:
    for _ in range(4):
        r = rng.random()
        if r < 0.3 and s.endswith("。"):
            t = s[:-1]
        elif r < 0.5:
            t = s + "。" if not s.endswith("。") else s + "。"
        elif r < 0.7 and "、" in s:
            t = s.replace("、", "，" if rng.random() < 0.5 else " ")
        elif r < 0.85:
            t = to_fullwidth_ascii(s) if any(c in FW_ASCII for c in s) else " " + s
        else:
            t = s.replace("。", "！", 1) if "。" in s else s + "！"
        if t != s:
            return t
    return s + "…"


def _duplicates(deals: list, rng: random.Random) -> None:
    """~2% exact and ~2% near duplicates of a recent earlier (themed) lost_reason."""
    recent = []
    for dl in deals:
        row, tr = dl["row"], dl["truth"]
        if row["outcome"] != "失注":
            continue
        r = rng.random()
        if recent and r < 0.04:
            src = rng.choice(recent)
            srow, str_ = src["row"], src["truth"]
            row["lost_reason"] = srow["lost_reason"] if r < 0.02 else near_dup(srow["lost_reason"], rng)
            row["competitor"] = srow["competitor"]
            tr["lost_reason_theme"], tr["lost_reason_theme2"] = str_["lost_reason_theme"], str_["lost_reason_theme2"]
        elif tr["lost_reason_theme"] != "none":
            recent.append(dl)
            if len(recent) > 300:
                recent.pop(0)


def generate(n_deals: int = 5200, seed: int = 42, *, layouts: bool = True) -> tuple[list[dict], list[dict]]:
    """Return (rows, truth_rows); rows are ordered by created_date, deal_id = D-000001..."""
    rows, truth, _ = generate_with_statements(n_deals, seed, layouts=layouts)
    return rows, truth


def generate_with_statements(n_deals: int = 5200, seed: int = 42, *,
                             layouts: bool = True) -> tuple[list[dict], list[dict], list[dict]]:
    """Return (rows, truth_rows, statement_rows); statement_rows hold STATEMENT_COLUMNS of each call
    note's statements (offsets into the call_note text as written). ``layouts=False`` writes every
    note as one run of text (the layout stream is not drawn; the other columns are the same)."""
    rng = random.Random(seed)
    lrng = random.Random(f"layout-{seed}") if layouts else None
    cache: dict = {}
    deals = [_deal(rng, cache, lrng) for _ in range(n_deals)]
    deals.sort(key=lambda x: x["key"])
    _duplicates(deals, rng)
    rows, truth, statements = [], [], []
    width = max(6, len(str(n_deals)))
    for i, dl in enumerate(deals):
        deal_id = dl["row"]["deal_id"] = f"D-{i + 1:0{width}d}"
        rows.append(dl["row"])
        truth.append({"row": i, "deal_id": deal_id, **dl["truth"]})
        statements.extend({"row": i, "deal_id": deal_id, "column": "call_note", "start": a, "end": b,
                           "kind": kind, "key": key} for a, b, kind, key in dl["statements"])
    return rows, truth, statements


def write(rows: list[dict], truth: list[dict], out: str, truth_out: str | None = None,
          statements: list[dict] | None = None, statements_out: str | None = None) -> None:
    for path, data, cols in ((out, rows, COLUMNS), (truth_out, truth, TRUTH_COLUMNS),
                             (statements_out, statements, STATEMENT_COLUMNS)):
        if not path:
            continue
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            w.writeheader()
            w.writerows(data)


def main(argv: list[str] | None = None) -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--n-deals", type=int, default=5200)
    p.add_argument("--out", default=os.path.join(here, "sample_crm_export.csv"))
    p.add_argument("--truth", default=os.path.join(here, "sample_crm_export.truth.csv"))
    p.add_argument("--statements", default=os.path.join(here, "sample_crm_export.statements.csv"))
    p.add_argument("--plain-notes", action="store_true", help="every call note as one run of text (no layouts)")
    a = p.parse_args(argv)
    rows, truth, statements = generate_with_statements(a.n_deals, a.seed, layouts=not a.plain_notes)
    write(rows, truth, a.out, a.truth, statements, a.statements)
    print(f"wrote {len(rows)} rows -> {a.out}; truth -> {a.truth}; statements -> {a.statements}")


if __name__ == "__main__":
    main()
