"""Seeded generator of call notes with planted person names (stdlib only): the name set of
``tests/test_pii_names.py``.

Each note is a sales call-note sentence with one or two people in it, in the shapes that leaked
before (issue 28): single-kanji surnames + 様/さん (林様, 東さん), rare surnames (御手洗, 勅使河原),
a given name + title (太郎部長, 亮課長), katakana names + title (ワン主任, スミス様), names in lists
(山田・佐藤), full names, and names followed by a particle with no title (山田が担当). Decoy notes
carry words that sit where names sit but are none (御社様, 担当者様, 部長 alone, お客様, トヨタ様).

Every pool is split in two halves (even and odd positions): ``pool="tune"`` draws from one half,
``pool="heldout"`` from the other, so the rules can be tuned on one and measured on names and
words they were not tuned on.

Record: ``{"text": str, "names": [str, ...], "protect": [str, ...], "shape": str}``. ``names``
are the planted name pieces (a surname, a given name, or both written together); ``protect`` the
words that must survive masking.
"""

from __future__ import annotations

import random
from typing import Literal

SEI = (
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 清水 山崎 池田 "
    "橋本 阿部 石川 前田 藤田 小川 岡田 後藤 長谷川 石井 村上 近藤 坂本 遠藤 青木 藤井 西村 福田 太田 三浦 "
    "藤原 岡本 松田 中川 中野 原田 小野 竹内 金子 和田 中山 石田 上田 柴田 酒井 工藤 横山 宮崎 宮本 内田 "
    "高木 安藤 島田 谷口 大野 丸山 今井 河野 藤本 村田 武田 上野 杉山 増田 小山 大塚 平野 菅原 久保 松井"
).split()
#: Surnames of one kanji: UniDic knows most of them as ordinary words too (林 forest, 東 east).
SEI1 = "林 森 東 関 星 原 辻 堀 谷 岡 泉 西 北 南 杉 沢 島 浜 畑 岩 宮 桜 柳 堤 萩 菊 楠 榊 秋 溝 翠 椎 蓮 牧 嶋 梶".split()
#: Rare surnames, many of them unknown to UniDic or split by it.
RARE = (
    "御手洗 勅使河原 小鳥遊 五百旗頭 東海林 薬師寺 一尺八寸 十六夜 百目鬼 九十九 鬼頭 猪股 纐纈 "
    "釈迦郡 左右田 波多野 五十嵐 八月一日 雲母 四十物 廿楽 毒島 服部 蛭子 鰐淵 鷲見 及川 忽那"
).split()
MEI = (
    "太郎 亮 翔太 美咲 健 花子 一郎 大輔 直樹 陽子 恵 誠 拓也 由美 隆 愛 真一 優子 剛 彩 和也 智子 "
    "浩二 さくら 大翔 結衣 修 舞 悟 奈々 健太 美穂 哲也 千尋 浩 香織"
).split()
KATA = (
    "ワン スミス ジョンソン リー キム パク グエン チャン ブラウン ミラー ガルシア ロペス シン クマール "
    "ウィリアムズ デイビス ウィルソン テイラー ムーア マーティン トンプソン ホワイト ハリス クラーク"
).split()
TITLE = "部長 課長 主任 係長 社長 専務 常務 室長 所長 店長 次長 課長代理 部長代理 マネージャー".split()
HONOR = ("様", "さん")

#: Templates with {n} (one person) or {a} and {b} (two): sentences in call-note style.
ONE = [
    "{n}より見積の再提出依頼あり。",
    "先方{n}、予算は来期に確保予定とのこと。",
    "{n}(情シス)が操作性に懸念。",
    "決裁者は{n}。稟議は11月末締め。",
    "本日{n}と電話で打ち合わせ、導入時期は4月。",
    "{n}からkintoneとの比較表を依頼された。",
    "担当の{n}に次回訪問日を確認済み。",
    "{n}は価格面で他社を推している模様。",
    "デモ後、{n}から前向きな反応。",
    "{n}へ提案書を送付、来週回答予定。",
    "初回訪問。{n}が窓口、現行はExcel管理。",
    "{n}の異動で案件が停滞。",
    "先方の{n}によると稟議が通らなかった。",
    "{n}に電話したが不在、折り返し待ち。",
    "競合はSalesforce、{n}は乗り換えに慎重。",
]
TWO = [
    "{a}・{b}の両名とデモ実施。",
    "{a}、{b}が同席し要件をヒアリング。",
    "{a}と{b}に価格を説明、持ち帰り検討。",
    "出席者: {a}、{b}。次回は役員向け。",
    "{a}から{b}へ担当交代の連絡あり。",
]
#: Names with no title, followed by a particle (staff are written so in notes).
BARE = [
    "{n}が担当、来週フォロー予定。",
    "{n}と相談のうえ値引き案を作成。",
    "{n}から先方へ連絡済み。",
    "{n}に引き継ぎ。",
    "{n}の説明で先方が納得。",
    "{n}も同行して訪問。",
]
#: Words where a name would be, and other words of notes: none may be masked.
DECOYS = [
    ("御社様の要件を整理して再提案。", ["御社様"]),
    ("担当者様に資料を送付済み。", ["担当者様"]),
    ("部長が不在のため再訪問。", ["部長"]),
    ("お客様から電話対応の改善要望。", ["お客様"]),
    ("皆様に好評とのこと。", ["皆様"]),
    ("トヨタ様の事例を紹介。", ["トヨタ様"]),
    ("先方様の都合で日程変更。", ["先方様"]),
    ("業者さんの見積と比較された。", ["業者さん"]),
    ("営業部長と情シス担当が同席。", ["営業部長", "情シス担当"]),
    ("マーケティング部長が決裁者。", ["マーケティング部長"]),
    ("システム課長に操作説明を実施。", ["システム課長"]),
    ("社長に直接提案する機会をもらった。", ["社長"]),
    ("店長クラスが使えるかが焦点。", ["店長"]),
    ("ご担当様宛にメールで資料送付。", ["ご担当様"]),
    ("貴社様の導入事例を知りたいとのこと。", ["貴社様"]),
    ("取引先様向けのポータルが欲しい。", ["取引先様"]),
    ("情シスさんの承認待ち。", ["情シス"]),
    ("経理部長と総務課長が反対。", ["経理部長", "総務課長"]),
    ("小林製薬の事例を聞きたいとのこと。", ["小林製薬"]),
    ("リードの質が低い、ガントチャートも不要。", ["リード", "ガントチャート"]),
    ("林業向けの機能はない。", ["林業"]),
    ("東日本の拠点から先行導入。", ["東日本"]),
    ("関西支社と北陸営業所で検討。", ["関西支社", "北陸営業所"]),
    ("先生方向けの操作研修が必要。", ["先生方"]),
    ("代理店さん経由で紹介された案件。", ["代理店"]),
    ("大家さん向けの管理機能を要望。", ["大家さん"]),
    ("奥様の意見で決めるとのこと。", ["奥様"]),
    ("事務員さんが入力するので簡単な画面が必要。", ["事務員さん"]),
    # place names that are surnames too (福岡, 千葉, 渋谷): a region, not a person
    ("福岡の拠点で先行導入。", ["福岡"]),
    ("千葉と埼玉の店舗で利用。", ["千葉", "埼玉"]),
    ("渋谷に本社移転予定。", ["渋谷"]),
    ("広島支店長が決裁。", ["広島支店長"]),
    ("名古屋から全国展開。", ["名古屋"]),
    ("神戸・大阪の2拠点。", ["神戸", "大阪"]),
    ("3名様分のライセンスで開始。", ["3名様"]),
    ("三名様で来社予定。", ["三名様"]),
    ("みなさんに周知済み。", ["みなさん"]),
    ("お客さんの声を集めたい。", ["お客さん"]),
]


def _half(pool: list, which: int) -> list:
    return pool[which::2]


def _person(rng: random.Random, which: int) -> tuple[str, list[str], str]:
    """One person as written, the pieces that identify them, and the shape."""
    shape = rng.choice(["sei", "sei1", "rare", "mei_title", "kata", "full"])
    honor = rng.choice([*HONOR, *TITLE])
    if shape == "sei":
        s = rng.choice(_half(SEI, which))
        return s + honor, [s], shape
    if shape == "sei1":
        s = rng.choice(_half(SEI1, which))
        return s + rng.choice([*HONOR, *HONOR, *TITLE]), [s], shape
    if shape == "rare":
        s = rng.choice(_half(RARE, which))
        return s + honor, [s], shape
    if shape == "mei_title":
        m = rng.choice(_half(MEI, which))
        return m + rng.choice([*TITLE, "さん"]), [m], shape
    if shape == "kata":
        k = rng.choice(_half(KATA, which))
        return k + honor, [k], shape
    s, m = rng.choice(_half(SEI + SEI1, which)), rng.choice(_half(MEI, which))
    sep = rng.choice(["", " "])
    return f"{s}{sep}{m}{honor}", [s, m], shape


def generate(n: int = 300, seed: int = 0, pool: Literal["tune", "heldout"] = "tune") -> list[dict]:
    """*n* name notes and ``n // 5`` decoy notes (see the module docstring)."""
    which = 0 if pool == "tune" else 1
    rng = random.Random(f"{seed}-{pool}")
    out: list[dict] = []
    for _ in range(n):
        r = rng.random()
        if r < 0.6:
            text, pieces, shape = _person(rng, which)
            out.append({"text": rng.choice(ONE).format(n=text), "names": pieces, "protect": [], "shape": shape})
        elif r < 0.8:
            (a, pa, _), (b, pb, _) = _person(rng, which), _person(rng, which)
            if rng.random() < 0.5:  # the bare list 山田・佐藤
                sa, sb = rng.sample(_half(SEI, which), 2)
                a, pa, b, pb = sa, [sa], sb, [sb]
            out.append({"text": rng.choice(TWO).format(a=a, b=b), "names": pa + pb, "protect": [], "shape": "list"})
        else:
            if rng.random() < 0.5:
                s = rng.choice(_half(SEI, which))
                name, pieces = s, [s]
            else:
                s, m = rng.choice(_half(SEI, which)), rng.choice(_half(MEI, which))
                name, pieces = f"{s}{m}", [s, m]
            out.append({"text": rng.choice(BARE).format(n=name), "names": pieces, "protect": [], "shape": "particle"})
    decoys = _half(DECOYS, which)
    for _ in range(n // 5):
        text, protect = rng.choice(decoys)
        out.append({"text": text, "names": [], "protect": list(protect), "shape": "decoy"})
    return out
