"""Voice or log: is a statement the customer's words or the rep's record?

The rule is a list of cues tried in order; the first cue found in the statement decides, and its name
is returned so that a report can say why (``log: next_step 「予定」``). The defaults, in order:

1. ``reading`` (log): the rep's own reading of the meeting: 温度感, 感触, 反応は, 手応え, …な印象, 前向きだが,
   a statement that is only 残念; ``plan`` (log): a statement that ends with 予定, 送付, 送る, 発行済み,
   受領済み is the rep's plan or record (要件一覧を先方から受領予定 holds a customer word, 要件, but is the
   rep's next step), and so is the rep's own intent to come back (いずれ再提案したい, 再アプローチする:
   before ``want``, which its したい would match; 再提案してほしい stays the customer's).
2. Customer cues (voice): ``hearsay`` (とのこと, と言われ, らしい, との反応), ``passive`` (確認された, 聞かれた,
   求められた: the customer did it), ``want`` (〜したい, ほしい, 希望, 要望), ``question`` (？, できますか,
   可否, 有無, 質問, 相談), ``objection`` (不満, 不安, 懸念, ネック, 高い, 割高, 合わない, 気にして),
   ``comparison`` (比較, 他社, 競合, 相見積, の方が), ``interest`` (関心, 興味, 重視, 課題), ``evaluation``
   (評価, 好評, 決め手, 刺さった), ``requirement`` (必須, 要件, 求め, 依頼).
3. Rep cues (log): ``outcome`` (受注！, 失注。, 契約締結, 発注書, 契約書, キックオフ, 稼働開始),
   合意。 at the end, ``date_line`` (a statement that is only a date or a dated header: 11/08, （12/2連絡）;
   a dated statement with more words is read by its words), ``visit`` (訪問, 商談, MTG,
   打ち合わせ, 面談, 来社, ヒアリング。, デモでは, 説明、, 経由のリード, 紹介案件), ``attendees`` (同席, 同行, 参加, 先方：,
   先方は…2名, 窓口), ``next_step`` (次回, 予定, 送付, 送る, 発行, フォロー電話/予定, 宿題, すり合わせ, 再提案),
   ``documents`` (事例資料, 稟議資料, 料金表), ``done`` (…済み, except 導入済み), ``contact`` (e-mail,
   URL, 〒, phone numbers, 代表番号, 連絡あり).
4. Nothing found: ``default`` (voice): a statement is kept as the customer's unless a cue says it is
   the rep's, so no customer statement is dropped from the themes for want of a cue.

Customer cues come before the rep's because a customer statement often carries a rep word
(来期に分ける予定で、…整えたいという話); the rep's reading comes first because it often carries a
customer word (前向きだが決め手に欠ける様子). Cues are data: pass your own :class:`KindRules`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal, get_args

__all__ = ["Cue", "KindRules", "Kind", "StatementKind", "DEFAULT_CUES", "statement_kind"]

Kind = Literal["voice", "log"]
KINDS: tuple[str, ...] = get_args(Kind)


@dataclass(frozen=True, slots=True)
class Cue:
    """A named pattern that, when found in a statement, makes it ``kind``."""

    name: str
    kind: Kind
    pattern: str


#: The default cues, in the order they are tried (see the module docstring).
DEFAULT_CUES: tuple[Cue, ...] = (
    Cue("reading", "log", r"温度感|感触|反応は|手応え|脈あり|な印象[。．.]?$|前向きだが|^残念(?:です|でした)?[。．.!！]*$"),
    Cue("plan", "log", r"(?:予定|送付|送る|発行済み?|受領済み?)[。．.!！]?$|(?:再提案|再アプローチ|再コンタクト)(?:を)?(?:したい|する)"),
    Cue(
        "hearsay",
        "voice",
        r"とのこと|との(?:話|反応|声|回答|指摘|評価|要望|意見|ご?連絡)|と言われ|と言って|という話"
        r"|らしい|模様|と一言|と判断|という判断|とのご",
    ),
    Cue("passive", "voice", r"(?:[さかわ]れ|られ)(?:た|て)"),
    Cue("want", "voice", r"たい(?:[。、とという]|$)|ほしい|欲しい|希望|要望|意向"),
    Cue("question", "voice", r"[？?]|ますか|できるか|できないか|可否|有無|質問|相談"),
    Cue(
        "objection",
        "voice",
        r"不満|不安|懸念|心配|ネック|難色|厳し|合わな|合わず|見合わ|高い|高すぎ|割高"
        r"|物足りな|足りな|弱い|乖離|気にし|気にな|困",
    ),
    Cue("comparison", "voice", r"比較|他社|競合|相見積|より安|の方が"),
    Cue("interest", "voice", r"関心|興味|重視|食いつ|課題|テーマ"),
    Cue("evaluation", "voice", r"評価|好評|決め手|刺さ|安心|後押し|気に入"),
    Cue("requirement", "voice", r"必須|要件|求め|依頼|条件"),
    Cue(
        "outcome",
        "log",
        r"^(?:受注|失注|成約|契約締結|クローズ)[！!。.．]*$|発注書|契約書|締結|で契約|キックオフ"
        r"|稼働開始|引き継ぎ済|合意[。．.]?$",
    ),
    Cue(
        "date_line",
        "log",
        r"^[■●◆・【\[(（]*[0-9０-９]{1,4}(?:[/／][0-9０-９]{1,2}|月[0-9０-９]{1,2}日?)(?:[/／][0-9０-９]{1,2})?"
        r"[^。、]{0,8}[)）】\]]?[。．.]?$",
    ),
    Cue(
        "visit",
        "log",
        r"訪問(?:[。、．.]|$)|商談(?:[。（(\s]|$)|MTG|ミーティング|打ち合わせ|打合せ|面談|来社"
        r"|ヒアリング[。．.]?$|デモ(?:では|を実施|実施)|を?説明[、。]|電話で|架電|経由のリード|紹介案件"
        r"|問い合わせから",
    ),
    Cue("attendees", "log", r"同席|同行|参加|出席|^先方[：:]|先方は.{0,12}[0-9０-９]+名|[0-9０-９]+名のみ|窓口"),
    Cue(
        "next_step",
        "log",
        r"次回|予定|送付|送る|お送り|発行|受領|フォロー(?:予定|電話|メール|する|の連絡)|宿題|すり合わせ|再提案|再アプローチ"
        r"|再コンタクト|ナーチャリング|リサイクル|情報提供|アポ",
    ),
    Cue("documents", "log", r"事例資料|稟議資料|提案書|料金表|資料(?:を|の)?(?:送|共有|提出)"),
    Cue("done", "log", r"(?<!導入)済み?(?:[。．.、]|$)|報告済|お礼"),
    Cue(
        "contact",
        "log",
        r"@|https?://|〒|[0-9０-９]{2,4}[-－][0-9０-９]{2,4}[-－][0-9０-９]{3,4}|携帯|代表番号"
        r"|連絡先|連絡あり|TEL|ＴＥＬ|経由で連絡|(?:商談メモ|備考|詳細は.{0,8})参照|^以上[。．.]?$",
    ),
)


@dataclass(frozen=True, slots=True)
class StatementKind:
    """What :func:`statement_kind` decided: ``kind``, the ``cue`` name and the ``match`` (the words
    that decided it; empty for the default)."""

    kind: Kind
    cue: str
    match: str = ""


@dataclass(frozen=True)
class KindRules:
    """Ordered cues and the kind of a statement no cue matches.

    Parameters
    ----------
    cues : tuple of Cue
        Tried in order; the first found decides.
    default : {"voice", "log"}
        The kind when no cue is found.
    """

    cues: tuple[Cue, ...] = DEFAULT_CUES
    default: Kind = "voice"
    _compiled: tuple[tuple[Cue, re.Pattern[str]], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for value in [self.default, *(c.kind for c in self.cues)]:
            if value not in KINDS:
                raise ValueError(f"a statement kind must be one of {set(KINDS)}, got {value!r}")
        object.__setattr__(self, "_compiled", tuple((c, re.compile(c.pattern)) for c in self.cues))

    def with_cues(self, cues: list[Cue] | tuple[Cue, ...], *, first: bool = True) -> KindRules:
        """These rules with *cues* tried before (``first=True``) or after the current ones."""
        cues = tuple(cues)
        return KindRules(cues + self.cues if first else self.cues + cues, self.default)

    def classify(self, text: str) -> StatementKind:
        """The kind of one statement and the cue that decided it."""
        for cue, pattern in self._compiled:
            m = pattern.search(text)
            if m:
                return StatementKind(cue.kind, cue.name, m.group())
        return StatementKind(self.default, "default")


_DEFAULT_RULES: KindRules | None = None


def statement_kind(text: str, rules: KindRules | None = None) -> StatementKind:
    """Whether *text* (one statement, raw or normalised) is the customer's ``voice`` or the rep's
    ``log``, with the cue that decided it. The cues are matched on the NFKC form of the text
    (ﾌｫﾛｰ → フォロー, ＴＥＬ → TEL); ``match`` is the NFKC form of the words found.

    >>> statement_kind("価格が高いとのこと。")
    StatementKind(kind='voice', cue='hearsay', match='とのこと')
    >>> statement_kind("次回デモ予定。").kind
    'log'
    """
    global _DEFAULT_RULES
    if rules is None:
        if _DEFAULT_RULES is None:
            _DEFAULT_RULES = KindRules()
        rules = _DEFAULT_RULES
    return rules.classify(unicodedata.normalize("NFKC", text))
