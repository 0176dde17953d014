"""Write ``pii_sentences.jsonl``: the labeled PII test set of ``tests/test_pii.py`` (seeded, stdlib only).

    python tests/data/make_pii_sentences.py

Every line is ``{"text": ..., "pii": [{"kind": ..., "value": ...}], "protect": [...]}``. ``pii`` are
the planted items (all fictional: example.* domains, made-up numbers); ``protect`` are product,
company and ordinary words that must survive masking. The sentences are sales-note style templates
written for the tests, filled with names, numbers and addresses in many formats; the decoys carry
no personal data at all.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

SEI = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "清水",
    "山崎",
    "森田",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "前田",
    "藤田",
    "小川",
    "岡田",
    "後藤",
    "長谷川",
    "石井",
    "村上",
    "近藤",
    "坂本",
    "遠藤",
    "青木",
    "藤井",
    "西村",
    "福田",
    "太田",
    "三浦",
    "藤原",
    "岡本",
    "松田",
    "中川",
    "中野",
    "原田",
    "小野",
    "竹内",
    "金子",
    "和田",
    "中山",
    "石田",
    "上田",
    "森",
    "柴田",
    "酒井",
    "工藤",
    "横山",
    "宮崎",
    "宮本",
    "内田",
    "高木",
    "安藤",
    "谷口",
    "大野",
    "丸山",
    "今井",
    "河野",
    "藤本",
    "村田",
    "武田",
    "上野",
    "杉山",
    "増田",
    "平野",
    "大塚",
    "千葉",
    "久保",
    "松井",
    "小島",
    "岩崎",
    "桜井",
    "野口",
    "松尾",
    "野村",
    "木下",
    "菊地",
    "佐野",
    "大西",
    "杉本",
    "新井",
    "浜田",
    "菅原",
    "市川",
    "水野",
    "小松",
    "島田",
    "古川",
    "小山",
    "高野",
    "西田",
    "菊池",
    "山内",
    "五十嵐",
    "髙橋",
    "齋藤",
    "渡邉",
    "勅使河原",
    "東海林",
    "小鳥遊",
    "一ノ瀬",
    "百瀬",
    "御手洗",
]
MEI = [
    "健太",
    "美穂",
    "翔太",
    "彩",
    "大輔",
    "真由",
    "拓也",
    "亮",
    "さやか",
    "誠",
    "千尋",
    "和也",
    "優子",
    "直樹",
    "恵",
    "雄一",
    "陽菜",
    "蓮",
    "結衣",
    "湊",
    "花子",
    "太郎",
    "一郎",
    "由美",
    "明美",
    "浩二",
    "聡",
    "智子",
    "裕子",
    "剛",
    "修",
    "美咲",
    "大翔",
    "葵",
    "悠真",
    "さくら",
    "ひかり",
    "まゆみ",
    "健一",
    "恭平",
]
KANA_NAMES = ["ヤマダ", "スズキ", "タナカ", "マイケル", "ジョン", "エミリー", "キム", "ワン"]
TITLES = ["様", "さん", "部長", "課長", "氏", "社長", "主任", "係長", "専務", "部長様", "課長代理", "マネージャー"]

PHONE_FORMATS = [
    "03-{a4}-{b4}",
    "06-{a4}-{b4}",
    "045-{a3}-{b4}",
    "0466-{a2}-{b4}",
    "090-{a4}-{b4}",
    "080 {a4} {b4}",
    "070{a4}{b4}",
    "0120-{a3}-{a3b}",
    "0120-{a2}-{b4}",
    "0570-{a3}-{a3b}",
    "050-{a4}-{b4}",
    "+81-3-{a4}-{b4}",
    "+81 90-{a4}-{b4}",
    "+81(0)3-{a4}-{b4}",
    "+8190{a4}{b4}",
    "(03){a4}-{b4}",
    "03({a4}){b4}",
    "０３－{fa4}－{fb4}",
    "０９０－{fa4}－{fb4}",
    "090ー{a4}ー{b4}",
    "03−{a4}−{b4}",
    "0{a2}-{a3}-{b4}",
    "011-{a3}-{b4}",
    "092-{a3}-{b4}",
    "052-{a3}-{b4}",
    "0{a3}{a2}{b4}",
]
EMAIL_USERS = ["tanaka", "k.sato", "yamada_taro", "m-suzuki", "info", "sales+crm", "T.Ito", "hanako.yamamoto01"]
DOMAINS = ["example.co.jp", "example.com", "mail.example.jp", "example.ne.jp", "sub.example.or.jp"]
URL_FORMATS = [
    "https://www.example.co.jp/contact",
    "http://example.com/",
    "https://example.jp/lp?utm_source=mail&id={a4}",
    "www.example.co.jp/company/",
    "https://sub.example.com/path/to/page#top",
    "HTTPS://EXAMPLE.COM/A",
    "https://example.com/user/{a4}",
    "ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｃｏｍ／ｊａ",
    "http://192.0.2.10:8080/crm",
]
POSTAL_FORMATS = [
    "〒{p3}-{p4}",
    "〒 {p3}-{p4}",
    "〒{p3}{p4}",
    "〒{fp3}－{fp4}",
    "郵便番号{p3}-{p4}",
    "郵便番号：{p3}-{p4}",
    "{p3}-{p4}",
]

FW = str.maketrans("0123456789", "０１２３４５６７８９")

PHONE_T = [
    "先方の直通は{phone}とのこと。",
    "{phone}（代表）に折り返し依頼。",
    "携帯{phone}へ連絡済み。",
    "TEL:{phone} まで見積の件で連絡ください",
    "電話番号が{phone}に変わったそうです",
    "折り返し先 {phone}。価格の件。",
    "不在のため{phone}に留守電を残した。",
    "問い合わせ窓口{phone}は平日のみ",
]
EMAIL_T = [
    "資料は{email}宛に送付済み。",
    "連絡先：{email}",
    "{email} からCCで返信あり",
    "見積書を{email}に再送。",
    "メール（{email}）で失注の連絡が来た",
    "今後は{email}で窓口一本化とのこと",
]
URL_T = [
    "先方サイト {url} の導入事例を確認。",
    "比較記事（{url}）を見て他社に決めたらしい",
    "申込フォーム{url}から問い合わせ",
    "議事録は{url}に保存",
    "参考: {url}",
]
POSTAL_T = [
    "送付先：{postal} 東京都千代田区",
    "請求書の宛先は{postal}の新住所",
    "{postal} 大阪府大阪市北区の本社に訪問",
    "住所変更（{postal}）の連絡あり",
]
NAME_T = [
    "{name}{title}より、価格が合わないとの連絡。",
    "決裁者の{name}{title}が反対して見送り。",
    "{name}{title}は前向きだったが予算が付かず。",
    "担当の{name}{title}が異動になり話が止まった。",
    "{name}{title}から競合に決めたと電話があった",
    "次回は{name}{title}も同席予定。",
    "キーマンは{name}{title}。",
    "（{name}{title}より）導入時期は来期とのこと",
    "{name}{title}、{name2}{title2}と打ち合わせ。",
]
BARE_NAME_T = [
    "{full}から連絡があり、今回は見送り。",
    "窓口：{full}",
    "先方担当 {full} 宛にメール送付",
    "{full}が社内で稟議を回してくれる予定",
]
MIXED_T = [
    "{name}{title}（{email}／{phone}）から失注の連絡。",
    "{name}{title}の携帯：{phone}",
    "{name}様 {email} / {phone}",
    "送付先：{postal} {name}{title}宛",
    "{name}{title}に{url}の資料を案内した",
    "代表番号 {phone}、{name}{title}につないでもらう。",
]

DECOYS = [
    ("本田技研とトヨタの事例を紹介したが響かなかった。", ["本田技研", "トヨタ"]),
    ("kintoneとSalesforceで比較され、kintoneに決定。", ["kintone", "Salesforce"]),
    ("HubSpotの無料プランで十分とのこと。", ["HubSpot", "無料プラン"]),
    ("サイボウズのGaroonと連携できない点がネック。", ["サイボウズ", "Garoon"]),
    ("Sansanの名刺データを取り込みたいとの要望。", ["Sansan"]),
    ("freeeやマネーフォワードとの会計連携が必須。", ["freee", "マネーフォワード"]),
    ("ソニー、パナソニック、シャープ向けの実績を聞かれた。", ["ソニー", "パナソニック", "シャープ"]),
    ("富士通と日立とNECの三社見積になった。", ["富士通", "日立", "NEC"]),
    ("キーエンス出身の部長なので数字に厳しい。", ["キーエンス", "部長"]),
    ("NovaCRMの新プランが月980円で勝負にならず。", ["NovaCRM", "980円"]),
    ("ミエルクラウドの松竹梅プランのうち梅で検討。", ["ミエルクラウド", "松竹梅プラン"]),
    ("リードの質が低く、コール数だけ増えた。", ["リード", "コール"]),
    ("ガントチャート機能がないので見送り。", ["ガントチャート"]),
    ("金額が折り合わず失注。", ["金額"]),
    ("型番XR-2000との互換性を確認中。", ["XR-2000"]),
    ("2024-11-14に最終提案、1,200,000円で見積提出。", ["2024-11-14", "1,200,000円"]),
    ("v2.3.1へのバージョンアップで解決予定。", ["v2.3.1"]),
    ("ISO27001とPマークの取得状況を確認された。", ["ISO27001", "Pマーク"]),
    ("第3四半期の予算で再検討。30日間の無料トライアル中。", ["第3四半期", "30日間"]),
    ("100-200名規模の部署で導入予定。", ["100-200名"]),
    ("大阪支店と名古屋営業所で先行導入。", ["大阪支店", "名古屋営業所"]),
    ("中野区の本社と渋谷オフィスの二拠点。", ["中野区", "渋谷オフィス"]),
    ("森ビルに入居しているテナント向け。", ["森ビル"]),
    ("小林製薬の事例を聞きたいとのこと。", ["小林製薬"]),
    ("豊田通商グループの標準ツールが決まっている。", ["豊田通商"]),
    ("松下電器時代からの付き合い。", ["松下電器"]),
    ("鈴木自動車系の販社で検討。", ["鈴木自動車"]),
    ("山田電機の店舗向け提案。", ["山田電機"]),
    ("お客様と担当者様に資料を送付。", ["お客様", "担当者様"]),
    ("営業部長と情シス担当が同席。", ["営業部長", "情シス担当"]),
    ("Excel管理で困っていないとのこと。", ["Excel"]),
    ("Slack連携とTeams連携の両方が必要。", ["Slack", "Teams"]),
    ("Google Workspaceとの SSO が前提。", ["Google Workspace", "SSO"]),
    ("AWSの東京リージョン必須。", ["AWS", "東京リージョン"]),
    ("LINE WORKSで通知したい。", ["LINE WORKS"]),
    ("楽天と Amazon の出店者向け。", ["楽天", "Amazon"]),
    ("オービックとOBCの奉行シリーズを使用中。", ["オービック", "OBC", "奉行シリーズ"]),
    ("三井住友銀行と三菱UFJ銀行の口座振替に対応してほしい。", ["三井住友銀行", "三菱UFJ銀行"]),
    ("日本郵政グループの入札案件。", ["日本郵政"]),
    ("京セラとオムロンの工場で利用。", ["京セラ", "オムロン"]),
    ("伊藤忠と丸紅の商社案件。", ["伊藤忠", "丸紅"]),
    ("明治と森永の食品メーカー比較。", ["明治", "森永"]),
    ("キヤノンとリコーの複合機連携。", ["キヤノン", "リコー"]),
    ("ヤマト運輸と佐川急便の配送データ連携。", ["ヤマト運輸", "佐川急便"]),
    ("見積番号Q-2024-0815で再提出。", ["Q-2024-0815"]),
    ("受注確度はB、金額は3,500万円。", ["3,500万円"]),
    ("ROIの説明が刺さらず費用の高さだけが印象に残った。", ["ROI"]),
    ("セキュリティチェックシート120項目に回答。", ["120項目"]),
    ("先方の稟議は11月末締め。", ["11月末"]),
    ("デモ環境のURLを後ほど共有予定。", ["デモ環境", "URL"]),
]


def _digits(rng: random.Random) -> dict[str, str]:
    a4, b4 = f"{rng.randint(1000, 9999)}", f"{rng.randint(1000, 9999)}"
    d = {
        "a4": a4,
        "b4": b4,
        "a3": f"{rng.randint(100, 999)}",
        "a3b": f"{rng.randint(100, 999)}",
        "a2": f"{rng.randint(10, 99)}",
        "p3": f"{rng.randint(100, 999)}",
        "p4": f"{rng.randint(1000, 9999)}",
    }
    d.update(
        {"fa4": a4.translate(FW), "fb4": b4.translate(FW), "fp3": d["p3"].translate(FW), "fp4": d["p4"].translate(FW)}
    )
    return d


def _person(rng: random.Random) -> tuple[str, list[str]]:
    """(surface, parts): surname, full name with or without a space, or a katakana name."""
    r = rng.random()
    sei, mei = rng.choice(SEI), rng.choice(MEI)
    if r < 0.5:
        return sei, [sei]
    if r < 0.7:
        return f"{sei} {mei}", [sei, mei]
    if r < 0.9:
        return f"{sei}{mei}", [sei + mei]
    kana = rng.choice(KANA_NAMES)
    return kana, [kana]


def main() -> None:
    rng = random.Random(20261128)
    out: list[dict] = []

    def add(template: str, **kw: str) -> None:
        d = _digits(rng)
        pii: list[dict[str, str]] = []
        values: dict[str, str] = {}
        for key in ("phone", "email", "url", "postal"):
            if "{" + key + "}" in template:
                fmt = {"phone": PHONE_FORMATS, "url": URL_FORMATS, "postal": POSTAL_FORMATS}.get(key)
                if key == "email":
                    value = f"{rng.choice(EMAIL_USERS)}@{rng.choice(DOMAINS)}"
                    if rng.random() < 0.15:
                        value = value.translate(
                            str.maketrans(
                                "abcdefghijklmnopqrstuvwxyz@.",
                                "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ＠．",
                            )
                        )
                else:
                    value = rng.choice(fmt).format(**d)
                values[key] = value
                pii.append({"kind": key, "value": value})
        for nk, tk in (("name", "title"), ("name2", "title2")):
            if "{" + nk + "}" in template:
                surface, parts = _person(rng)
                values[nk], values[tk] = surface, rng.choice(TITLES)
                pii.extend({"kind": "name", "value": p} for p in parts)
        if "{full}" in template:
            sei, mei = rng.choice(SEI), rng.choice(MEI)
            values["full"] = rng.choice([f"{sei} {mei}", f"{sei}{mei}"])
            pii.extend({"kind": "name", "value": p} for p in values["full"].split(" "))
        out.append({"text": template.format(**values, **kw), "pii": pii, "protect": []})

    for templates, n in (
        (PHONE_T, 70),
        (EMAIL_T, 45),
        (URL_T, 45),
        (POSTAL_T, 40),
        (NAME_T, 90),
        (BARE_NAME_T, 20),
        (MIXED_T, 40),
    ):
        for i in range(n):
            add(templates[i % len(templates)])
    for text, protect in DECOYS:
        out.append({"text": text, "pii": [], "protect": protect})
    with open(HERE / "pii_sentences.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for rec in out:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(out)} sentences, {sum(len(r['pii']) for r in out)} planted items")


if __name__ == "__main__":
    main()
