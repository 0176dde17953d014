"""Person names in a line of Japanese text: UniDic's 人名 tags, read with fugashi, plus honorific
contexts (様, さん, 部長 …). :func:`voc.clean.mask_pii` replaces what :func:`_name_spans` finds;
:mod:`voc.naming` refuses a phrase that holds one. ``SECURITY.md`` says what is and is not found.

Four rules, on one MeCab parse of the line:

- a morpheme UniDic tags 人名 (two characters or more, not katakana alone), or a proper noun or an
  unknown word right before a title (and, before 様/さん, a person or place);
- the run right before 様, さん or a title, found in the text rather than among the morphemes
  (MeCab splits 課長 after a word it does not know), when a piece of it can be a name: tagged so,
  unknown, listed as a name in UniDic whatever MeCab chose in context (林 is a forest in
  林様に連絡; :func:`_name_entries`), or a surname of ``voc/data/surnames_ja.txt`` (廿楽様), the
  whole run too (八|月|一日課長; :func:`_is_surname`); a surname no dictionary here lists, which
  MeCab reads as ordinary nouns, when it stands alone: one kanji (樫課長) or a word that starts
  with a kanji numeral (十|七夜さん; :func:`_unlisted_surname`);
- a surname with no title before a particle and what a person does (松本に引き継ぎ, 平野が担当;
  :func:`_particle_names`);
- a surname listed with a name (松本・佐藤, 平野と田中様), or written apart before one (菊 健太様).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate
from typing import Any

__all__: list[str] = []

#: Words that, right after a token, mark it as a person's name (佐藤部長, ヤマダ課長). Company names get
#: 様 and さん too (トヨタ様, トヨタさん), so those mark only tokens UniDic already calls a person or place.
_TITLES = frozenset(
    "氏 君 くん ちゃん 殿 先生 部長 課長 係長 社長 会長 専務 常務 次長 室長 所長 店長 主任 取締役 支店長 本部長 "
    "副社長 部長様 課長様 社長様 課長代理 部長代理 マネージャー マネジャー".split()
)
_HONORIFICS = frozenset("様 さま さん".split()) | _TITLES
#: Titles of a branch's head: a place name before them is the branch (広島支店長), while before
#: 所長 or 店長 it is more often a surname (池田所長, 清水店長).
_PLACE_TITLES = frozenset("支店長 本部長".split())
_HONORIFIC_RE = re.compile("|".join(sorted(_HONORIFICS, key=len, reverse=True)))
_TITLE_AT = re.compile(f"(?=(?:{_HONORIFIC_RE.pattern}))")
#: A title right after a character a name can end with (not 様子, 様々): only then can a title mark
#: a name, so a line without one skips the title rules (a third of call notes have マネージャー, 社長 …).
_TITLE_AFTER_WORD = re.compile(
    "[^\\s\\W_](?=[" + "".join(sorted({t[0] for t in _HONORIFICS})) + "])"  # the lookahead: 10x faster
    f"(?:{_HONORIFIC_RE.pattern})(?<!様(?=[子々式相態]))"
)
#: A surname right before one of these is a company or a shop (小林製薬, 鈴木自動車, 山田電機, 中村屋).
_COMPANY_WORDS = frozenset(
    "製薬 通商 自動車 電機 電器 電気 工業 商事 商店 物産 産業 建設 工務店 製作所 化学 銀行 証券 生命 保険 "
    "不動産 運輸 急便 食品 製菓 薬品 興業 鉄工 精機 重工 技研 ホールディングス グループ 株式会社 社 屋".split()
)
#: 人名-tagged UniDic entries that are mostly ordinary words in sales notes.
_NAME_STOP = frozenset("リード ガント コール 金 忍 槙 森 林 東 南 北 西 光 進 誠 実 望 希 明 勝 正".split())
#: Words before 様/さん or a title that UniDic also knows as a name but that are none there
#: (奥様, 王様, 神様, 大家さん, 仲居さん), and katakana departments before a title (システム課長).
_TITLE_STOP = frozenset(
    "何 奥 王 神 殿 仏 姫 皆 客 大家 仲居 船盛 女将 若 坊 嬢 お嬢 先方 御 貴 弊 当 同 各 副 元 前 新 旧 現 代表 "
    "システム マーケティング セールス サポート サービス カスタマー プロジェクト プロダクト ブランド エリア "
    "デジタル マネジメント ソリューション ビジネス コンサルティング インサイド フィールド パートナー グループ "
    "チーム センター ユニット デザイン エンジニアリング テクノロジー オペレーション アカウント マーケット".split()
)
#: Counters and suffixes that end a run before 様/さん or a title: 3名様, 御社様, 担当者様.
_RUN_END = frozenset("名 人 方 社 者 客 組 家 件 部 課 室 係 店 所 局 署 様 さん 達 たち 皆".split())
_HIRAGANA = re.compile(r"^[\u3041-\u3096]+$")
_KANJI_NUMERAL = re.compile(r"^[一二三四五六七八九十百千廿卅]+$")
_NO_NAME = re.compile(r"^[\u3040-\u309f\W\d_]+$")  # hiragana, punctuation, digits: never (part of) a name
#: Variant kanji that unidic-lite does not know, mapped one-to-one for tagging only (长: the
#: simplified 長 of 課长, typed with a Chinese input method).
_ITAIJI = str.maketrans("髙﨑德濵邊邉齋齊櫻长", "高崎徳濱辺辺斎斉桜長")
#: Finds a character of :data:`_ITAIJI` (much faster than translating to compare).
_ITAIJI_RE = re.compile("[髙﨑德濵邊邉齋齊櫻长]")
_KATAKANA = re.compile(r"^[ァ-ヴー・]+$")
_LATIN = re.compile(r"^[A-Za-z0-9]+$")
_KANJI = re.compile(r"^[\u4e00-\u9fff々ヶ]+$")


@lru_cache(maxsize=1)
def _tagger() -> Any:
    """What name detection reads of a line: ``(surface, pos2, pos3, lemma)`` per morpheme; unknown
    words are the ones with an empty lemma. Parsed by the tokenizer's MeCab tagger (the same
    arguments: :func:`voc._tagger.shared_tagger` keeps one per process, and each tagger maps the
    whole dictionary, so a tagger of its own would cost this process ~100 MB more)."""
    from voc._tagger import RECORD_SEP, FastTagger
    from voc.tokenize import TOKEN_FEATURES

    fast = FastTagger(TOKEN_FEATURES, joined=True)

    def words(line: str) -> list[tuple[str, ...]]:
        return [(s, pos2, pos3, lemma) for s, _, pos2, pos3, lemma in (r.split(RECORD_SEP) for r in fast.records(line))]

    return words


@lru_cache(maxsize=1)
def _lattice() -> Any:
    """MeCab printing every dictionary entry of a text's lattice (``-a``): what a surface can be."""
    import fugashi

    from voc._tagger import dictionary_dir

    d = dictionary_dir()
    fmt = r'-F "%m\t%f[1]\t%f[2]\t%f[3]\n" -U "%m\t\t\t\n" -B "" -E ""'
    return fugashi.GenericTagger(f'-d "{d}" -r "{d}/mecabrc" -a -O "" {fmt}')


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    """Surnames unidic-lite does not list as 姓 (雲母 is mica to it, 廿楽 unknown):
    ``voc/data/surnames_ja.txt``, derived from SudachiDict by ``scripts/make_surnames.py``."""
    from importlib.resources import files

    text = files("voc.data").joinpath("surnames_ja.txt").read_text(encoding="utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


def _is_surname(surface: str) -> bool:
    """Whether *surface* is a surname in UniDic (whatever MeCab chose in context) or in the list."""
    return surface in _surnames() or "姓" in _name_entries(surface)


@lru_cache(maxsize=1 << 14)
def _name_entries(surface: str) -> frozenset[str]:
    """Kinds of 人名 entry UniDic has for exactly *surface* (姓, 名, 一般), whatever MeCab chose in
    context: 林 is 林 (forest) in 林様に連絡, but UniDic lists 林 as a surname too."""
    kinds = set()
    for line in _lattice().parse(surface).split("\n"):
        f = line.split("\t")
        if len(f) == 4 and f[0] == surface and f[1] == "固有名詞" and f[2] == "人名":
            kinds.add(f[3])
    return frozenset(kinds)


def _could_be_name(surface: str, pos2: str, pos3: str, lemma: str, *, title: str) -> bool:
    """Whether a piece right before *title* (様, さん, 部長 …) can be (part of) a name."""
    if surface in _TITLE_STOP or _LATIN.match(surface):
        return False
    if _NO_NAME.match(surface):  # hiragana: a given name UniDic knows, before a title or さん (さくら常務)
        if title in ("様", "さま") or len(surface) < 2 or not _HIRAGANA.match(surface):
            return False  # おひとりさま
        return "名" in _name_entries(surface)
    if pos3 == "地名" and title in _PLACE_TITLES:
        return False
    if pos3 == "人名" or not lemma:  # tagged a name, or unknown to the dictionary
        return True
    entries = _name_entries(surface)
    if "姓" in entries or "名" in entries or (entries and _KATAKANA.match(surface)):
        return True
    if surface in _surnames():
        return True
    honorific = title not in ("様", "さま", "さん")
    if pos2 == "固有名詞":  # 地名 and 一般 (釈迦, 鰐淵); organisations (トヨタ様) are companies
        return pos3 == "地名" or (honorific and pos3 != "組織")
    return honorific and bool(_KANJI_NUMERAL.match(surface))  # 九十九部長, 百目鬼課長


def _offsets(line: str, words: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """``(start, end)`` of each morpheme in *line* (MeCab skips white space)."""
    ends = list(accumulate(len(w[0]) for w in words))
    if ends and ends[-1] == len(line):  # no white space: the surfaces are the line
        return list(zip([0, *ends[:-1]], ends, strict=True))
    out = []
    pos = 0
    for w in words:
        start = line.find(w[0], pos)
        start = pos if start < 0 else start
        pos = start + len(w[0])
        out.append((start, pos))
    return out


def _title_matches(line: str, words: list[tuple[str, ...]], spans: list[tuple[int, int]]) -> list[re.Match[str]]:
    """Titles and honorifics of *line*: those that start on a morpheme (部長様 of 松本|部|長|様),
    then titles that start inside one and overlap none of the first: when they run past its end
    (係長 of 関係|長) or it is a word MeCab does not know (ジョンマネージャー), not 宮殿 or 赤ちゃん."""
    aligned: list[re.Match[str]] = []
    end = -1
    starts = {a for a, _ in spans}
    for at in _TITLE_AT.finditer(line):  # every position a title starts at, overlapping ones too
        a = at.start()
        m = _HONORIFIC_RE.match(line, a) if a >= end and a in starts else None
        if m:
            aligned.append(m)
            end = m.end()
    inside = []
    ends = [b for _, b in spans]
    for m in _HONORIFIC_RE.finditer(line):
        if m.start() in starts or m.group() not in _TITLES:
            continue
        if any(m.start() < x.end() and x.start() < m.end() for x in aligned):
            continue
        k = bisect_right(ends, m.start())  # the morpheme the title starts inside
        if k < len(spans) and spans[k][0] < m.start() and (spans[k][1] < m.end() or not words[k][3]):
            inside.append(m)
    return sorted(aligned + inside, key=lambda m: m.start()) if inside else aligned


def _title_spans(
    line: str, words: list[tuple[str, ...]], spans: list[tuple[int, int]], titles: list[re.Match[str]]
) -> list[tuple[int, int]]:
    """Spans right before each 様/さん or title of *line* that are names (:func:`_could_be_name`).

    The title is found in the text, not among the morphemes: MeCab splits 課長 after a word it
    does not know (チャン/室/長) and reads 関係長 as 関係 + 長. From the title, pieces are taken to the
    left while they touch: the part of the morpheme before it, then whole morphemes, while each
    could be part of a name or is one character (郡 of 釈迦郡); a counter (3名様), a department
    (システム課長) or a known word (営業部長, 担当者様) ends the run. The run is a name when one
    of its pieces could be one.
    """
    out = []
    ends = [b for _, b in spans]
    for m in titles:
        p = m.start()
        title = m.group()
        k = bisect_left(ends, p)  # the morpheme that ends at the title or runs into it
        k = k0 = k if k < len(spans) and spans[k][0] < p else -1
        left, named = p, False
        while k >= 0 and spans[k][1] >= left and spans[k][0] < left:
            a = spans[k][0]
            piece = line[a:left]
            # the part of a morpheme before the title: unknown if the morpheme is (クマール of クマールマネージャー)
            s, pos2, pos3, lemma = words[k] if spans[k][1] == left else (piece, "", "", words[k][3] and piece)
            if piece in _RUN_END:
                break
            could = _could_be_name(piece, pos2, pos3, lemma, title=title)
            if not could and (len(piece) > 1 or _NO_NAME.match(piece)):
                break
            named = named or could
            left, k = a, k - 1
        joined = _joined_surname(line, spans, k0, p) if k0 >= 0 else p
        if joined < left or (not named and joined < p):  # 九十|九様, 八|月|一日係長: one surname
            left, named = joined, True
        if not named and k0 >= 0 and spans[k0][1] == p:  # 樫課長, 十|七夜さん: in no dictionary
            unlisted = _unlisted_surname(words, spans, k0, title)
            left, named = (unlisted, True) if unlisted < p else (left, named)
        if named and left < p:
            out.append((left, p))
    return out


#: One-kanji words for people before さん/様 (母さん, 娘さん, 先様, 某様): not surnames.
_PEOPLE_WORDS = frozenset(
    "父 母 兄 姉 弟 妹 娘 息 嫁 婿 孫 妻 夫 主 親 子 叔 伯 婆 爺 姑 舅 甥 姪 友 師 僧 尼 先 他 某 誰 人".split()
)
#: Last characters of words for a shop, a group, a place or a rank (八百屋, 百貨店, 一年生, 二代目),
#: and one-kanji words for an office (県さん, 市様: the prefecture, the city as a customer).
_THING_END = frozenset("屋店員者家業生市町村区県府都国道州署庁省寺園会団隊班局校院館場所社部課室係組名人方客目代期数")


def _unlisted_surname(words: list[tuple[str, ...]], spans: list[tuple[int, int]], k: int, title: str) -> int:
    """Start of a surname that no dictionary here lists, which MeCab reads as ordinary nouns, right
    before a title (the morpheme *k* ends at it), or the title's start: the noun run must stand
    alone (after the line's start, a particle, punctuation, 本日 or 先方) and be either one kanji
    (樫課長, 栂さん; not 母さん, 県さん) or two to four kanji in at most three words that start with a
    kanji numeral (十|七夜, 六|月|一日; three or more before 様/さん, where 一見 or 百貨店 also
    stand), not ending like a shop, a group or a rank (八百屋, 二代目)."""
    p = spans[k][1]
    honorific = title not in ("様", "さま", "さん")
    for j in range(k, max(-1, k - 3), -1):
        s, pos2, pos3, lemma = words[j]
        if pos2 not in ("普通名詞", "数詞") or not _KANJI.match(s) or (j < k and spans[j][1] != spans[j + 1][0]):
            return p
        run = "".join(w[0] for w in words[j : k + 1])
        if len(run) > 4:
            return p
        if not _stands_alone(words, spans, j):
            continue
        if j == k and len(run) == 1:
            ordinary = s in _PEOPLE_WORDS or s in _THING_END or s in _TITLE_STOP or s in _RUN_END
            return spans[j][0] if pos2 == "普通名詞" and not ordinary else p
        numeral = _KANJI_NUMERAL.match(run[0]) is not None and not _KANJI_NUMERAL.match(run)
        if numeral and len(run) >= (2 if honorific else 3) and run[-1] not in _THING_END:
            if words[k][2] != "助数詞可能":
                return spans[j][0]
    return p


def _stands_alone(words: list[tuple[str, ...]], spans: list[tuple[int, int]], j: int) -> bool:
    """Whether no noun or prefix touches the morpheme *j* on its left (本日 and 先方 may)."""
    if j == 0 or spans[j - 1][1] < spans[j][0]:
        return True
    s, pos2, pos3, lemma = words[j - 1]
    if s in _ROLE_NOUNS or pos3 == "副詞可能":
        return True
    return bool(lemma) and pos2 not in _NOUNS and pos2 not in ("名詞的", "")


def _joined_surname(line: str, spans: list[tuple[int, int]], k: int, p: int) -> int:
    """Start of the longest run of two to four morphemes ending at *p* (the morpheme *k* runs
    into it) that is one surname (:func:`_is_surname`), or *p*: MeCab splits rare surnames
    into ordinary words (八月一日 → 八|月|一日, 九十九 → 九十|九)."""
    best = p
    for j in range(k - 1, max(-1, k - 4), -1):
        if spans[j + 1][0] != spans[j][1]:
            break
        if _is_surname(line[spans[j][0] : p]):
            best = spans[j][0]
    return best


def _name_spans(line: str, words: list[tuple[str, ...]] | None = None) -> list[tuple[int, int]]:
    """Character spans of person names in one line (UniDic 人名 tags and honorific contexts).

    *words*: the line's morphemes as ``(surface, pos2, pos3, lemma)``, when the caller has parsed
    it already (the line with :data:`_ITAIJI` applied); by default this parses it.
    """
    tagged = line.translate(_ITAIJI) if _ITAIJI_RE.search(line) else line
    if words is None:
        words = _tagger()(tagged)  # (surface, pos2, pos3, lemma) per morpheme
    n = len(words)
    # Only a proper noun (固有名詞) or an unknown word (no lemma) can be (part of) a name: the
    # rules below look at those alone, which skips most morphemes of a line (clean() of 9,169 call
    # notes in one process: 2.66 s → 2.19 s; MeCab's own pass, 1.3 s, is most of the rest).
    flagged: set[int] = set()
    weak: list[int] = []  # a 人名 tag that alone is not enough
    for i, (s, pos2, pos3, lemma) in enumerate(words):
        proper = pos2 == "固有名詞"
        if not proper and lemma:
            continue
        unknown = not lemma
        follows = words[i + 1][0] if i + 1 < n else ""
        follows2 = follows + (words[i + 2][0] if i + 2 < n else "")
        if follows in _COMPANY_WORDS or follows2 in _COMPANY_WORDS:
            continue
        person = proper and pos3 == "人名"
        if person and len(s) >= 2 and not _KATAKANA.match(s) and not _LATIN.match(s) and s not in _NAME_STOP:
            flagged.add(i)
        elif (follows in _TITLES or follows2 in _TITLES) and (proper or unknown):
            if pos3 != "地名" or not ({follows, follows2} & _PLACE_TITLES):
                flagged.add(i)
        elif (follows in _HONORIFICS or follows2 in _HONORIFICS) and (person or (proper and pos3 == "地名") or unknown):
            if not _LATIN.match(s) or person:
                flagged.add(i)
        elif person:
            weak.append(i)
    titled = _HONORIFIC_RE.search(tagged) is not None and _TITLE_AFTER_WORD.search(tagged) is not None
    cued = _cue_particles(words)
    if not flagged and not titled and not cued:
        return []  # most lines: no offsets needed
    spans = _offsets(tagged, words)
    if cued:
        flagged |= _particle_names(words, spans, cued)
    titles = _title_matches(tagged, words, spans) if titled else []
    found = _title_spans(tagged, words, spans, titles)
    # a weak 人名 token next to a name is part of it (佐々木 健, カトウ 花子); left to right, so a
    # run of weak tokens after a name joins it
    for i in weak:
        if i - 1 in flagged or i + 1 in flagged:
            flagged.add(i)
    # a surname written before a name with a space (菊 健太様, 上野 ［氏名］主任 after masking); one
    # kanji written apart before a name is a surname even when no dictionary lists it (溝 健太常務)
    if " " in tagged:
        firsts = [a for a, _ in spans]
        for a in {a for a, _ in found} | {spans[i][0] for i in flagged}:
            i = bisect_left(firsts, a) - 1  # the morpheme before the name
            if i >= 0 and i not in flagged and tagged[spans[i][1] : a] == " ":
                w = words[i][0]
                one_kanji = len(w) == 1 and "\u4e00" <= w <= "\u9fff" and words[i][1] in _NOUNS
                if (one_kanji or _is_surname(w)) and w not in _TITLE_STOP:
                    flagged.add(i)
    if not flagged and not found:
        return []
    flagged |= _listed(tagged, words, spans, found + [spans[i] for i in flagged], titles)
    cover = [spans[i] for i in sorted(flagged)] + found
    out: list[tuple[int, int]] = []
    for start, stop in sorted(cover):
        if out and (start <= out[-1][1] or line[out[-1][1] : start].strip() == ""):
            out[-1] = (out[-1][0], max(stop, out[-1][1]))
        else:
            out.append((start, stop))
    return out


_LIST_WORDS = frozenset(("・", "、", ",", "と", "から"))
#: Particles after a surname written with no title (松本に引き継ぎ, 平野が担当, 中野と相談).
_CUE_PARTICLES = frozenset("に へ から と が も の".split())
#: What people do in a call note, a few words after such a particle: 松本に引き継ぎ, 宮崎から先方へ
#: 連絡, 上野と山口に価格を説明; a place (福岡の拠点, 渋谷に本社移転, 名古屋から全国展開) takes none.
_PERSON_CUES = frozenset(
    "引き継ぐ 引継ぎ 引継 連絡 相談 確認 担当 同行 同席 説明 報告 依頼 共有 交代 対応 電話 面談 紹介 "
    "提案 回答 返信 指示 了承 承認 決裁 判断 説得 打診 同意 両名 二人 フォロー 折り返す".split()
)
_NOUNS = frozenset(("固有名詞", "普通名詞", "数詞"))
#: People named by their role that UniDic or SudachiDict also list as a surname (上司が同行).
_ROLE_NOUNS = frozenset("上司 部下 主人 家内 先輩 後輩 同僚 上長 本人 家族 両親 息子 夫婦 友人 先方 担当 社員".split())


def _cue_particles(words: list[tuple[str, ...]]) -> list[int]:
    """Positions of :data:`_CUE_PARTICLES` after a noun or an unknown word and before one of
    :data:`_PERSON_CUES` (see :func:`_particle_names`); cheap, so most lines skip the rest."""
    out = []
    for j in range(1, len(words) - 1):
        if words[j][0] in _CUE_PARTICLES:
            before = words[j - 1]
            if (before[1] in _NOUNS or before[1] == "名詞的" or not before[3]) and _person_cue_after(words, j):
                out.append(j)
    return out


def _particle_names(words: list[tuple[str, ...]], spans: list[tuple[int, int]], cued: list[int]) -> set[int]:
    """Surnames written with no title before a particle and what a person does (松本に引き継ぎ,
    平野が担当, 石田から先方へ連絡): one of :data:`_CUE_PARTICLES` followed, at most four words on
    in the same clause, by one of :data:`_PERSON_CUES`, after a surname (:func:`_is_surname`) of
    two characters or more that touches no other noun before it (松本城, 中村屋 have a noun after).
    The surname is one word that is a proper noun, unknown, or a UniDic surname, or two or three
    words MeCab split (竹|内, 西|村) that join into a UniDic surname."""
    out: set[int] = set()
    for j in cued:  # a particle with a person cue after it (:func:`_cue_particles`)
        for start in range(j - 1, max(-1, j - 4), -1):
            if start < j - 1 and spans[start][1] != spans[start + 1][0]:
                break
            if words[start][1] not in _NOUNS and words[start][1] != "名詞的" and words[start][3]:
                break
            name = "".join(w[0] for w in words[start:j])
            if len(name) < 2 or name in _ROLE_NOUNS:
                continue
            if start > 0 and spans[start - 1][1] == spans[start][0]:
                before = words[start - 1]
                if before[1] in _NOUNS or before[0] in ("御", "お", "ご"):
                    continue
            one = start == j - 1
            pos2, lemma = words[start][1], words[start][3]
            if one and (pos2 == "固有名詞" or not lemma or "姓" in _name_entries(name)) and _is_surname(name):
                out.update(range(start, j))
            elif not one and "姓" in _name_entries(name):
                out.update(range(start, j))
    return out


def _person_cue_after(words: list[tuple[str, ...]], j: int) -> bool:
    """Whether one of :data:`_PERSON_CUES` follows the particle *j* within four words and the clause."""
    for w in words[j + 1 : j + 5]:
        if w[1] in ("句点", "読点") or w[0] in ("。", "、", ",", "."):
            return False
        if w[3] in _PERSON_CUES or w[0] in _PERSON_CUES:
            return True
    return False


def _listed(
    line: str,
    words: list[tuple[str, ...]],
    spans: list[tuple[int, int]],
    names: list[tuple[int, int]],
    titles: list[re.Match[str]],
) -> set[int]:
    """Words UniDic also knows as a surname listed with a name (*names*: spans; a title may
    follow them): 松本・佐藤, 中野、田中様, 平野と［氏名］, and 田中様から山崎へ. MeCab often reads
    such a surname as a place or an ordinary word (松本, 平野) when no title follows it."""
    starts = {a for a, _ in names}
    ends = {b for _, b in names} | {m.end() for m in titles if m.start() in {b for _, b in names}}
    out = set()
    for j, word in enumerate(words):
        w = word[0]
        if w not in _LIST_WORDS:
            continue
        sides = [(j + 1, j - 1, j + 2)] if w == "から" else [(j - 1, j + 1, j - 2), (j + 1, j - 1, j + 2)]
        for i, other, beyond in sides:
            if not (0 <= i < len(words) and 0 <= other < len(words)):
                continue
            if w == "から" and not (beyond < len(words) and words[beyond][0] in ("へ", "に")):
                continue
            named = spans[other][1] in ends if other < i else spans[other][0] in starts
            touching = (
                0 <= beyond < len(words)
                and words[beyond][1] in ("固有名詞", "普通名詞")
                and (spans[beyond][1] == spans[i][0] or spans[beyond][0] == spans[i][1])
            )
            surface = words[i][0]
            if named and not touching and words[i][1] in ("固有名詞", "普通名詞") and surface not in _TITLE_STOP:
                if _is_surname(surface):
                    out.add(i)
    return out
