"""Japanese tokenization with fugashi + UniDic (unidic-lite).

:class:`Tokenizer` is a picklable callable, usable as ``CountVectorizer(tokenizer=Tokenizer(),
token_pattern=None, lowercase=False)``. It keeps content words (nouns, verbs, adjectives, adjectival
nouns), maps each to its dictionary form, drops stopwords, numbers and symbols, and can join
compound nouns (導入 + 費用 → 導入費用).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any, Literal, get_args

from voc._tagger import RECORD_SEP
from voc.errors import ConfigError, DependencyError

__all__ = ["Tokenizer", "load_wordlist", "read_synonyms"]

log = logging.getLogger(__name__)

Compounds = Literal["off", "join", "both"]

_KEEP_POS = ("名詞", "動詞", "形容詞", "形状詞")
#: Nouns of these sub-classes are never content words.
_SKIP_NOUN_POS2 = {"数詞", "助動詞語幹"}
_HONORIFIC_PREFIXES = {"御", "ご", "お", "貴"}
_END, _FORMAL, _NOUN, _PREFIX, _SUFFIX, _OTHER = range(6)
#: Parts of speech that can be part of a noun run even when not kept as tokens themselves.
_RUN_POS = frozenset({"名詞", "接頭辞", "接尾辞"})
_NOISE = re.compile(r"^(?:[\d.,%/:\-+]+|[\W_]+|[ぁ-ん]|[a-zA-Z])$")
#: The MeCab fields tokenizing reads (after the surface); :func:`voc.clean.clean` reads names from them too.
TOKEN_FEATURES = ("pos1", "pos2", "pos3", "lemma")
#: Texts per MeCab batch in :meth:`Tokenizer.tokenize_many`.
BATCH = 256
_ASCII_TAIL = re.compile(r"^(.+?)-[A-Za-z0-9 ._'\-]+$")


def load_wordlist(name: str) -> frozenset[str]:
    """Read a word list shipped in ``voc/data`` (``name.txt``): one word per line, ``#`` comments."""
    return _load_wordlist(name)


@cache
def _load_wordlist(name: str) -> frozenset[str]:
    body = resources.files("voc.data").joinpath(f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(w for line in body.splitlines() if (w := line.split("#", 1)[0].strip()))


def read_synonyms(path: str | None = None) -> dict[str, str]:
    """Read a synonym file: ``canonical = variant, variant`` per line, ``#`` comments.

    *path* ``None`` reads the shipped ``voc/data/synonyms_sales.txt``. Returns variant → canonical.
    """
    if path is None:
        body = resources.files("voc.data").joinpath("synonyms_sales.txt").read_text(encoding="utf-8")
        where = "voc/data/synonyms_sales.txt"
    else:
        try:
            with open(path, encoding="utf-8") as fh:
                body = fh.read()
        except FileNotFoundError:
            raise ConfigError(f"synonym file {path} does not exist") from None
        where = path
    out: dict[str, str] = {}
    for n, line in enumerate(body.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" not in line:
            raise ConfigError(f"{where} line {n}: expected 'canonical = variant, variant', got {line!r}")
        canonical, variants = (part.strip() for part in line.split("=", 1))
        for v in (v.strip() for v in variants.replace("、", ",").split(",")):
            if v and v != canonical:
                out[v] = canonical
    return out


def _read_user_wordlist(path: str) -> frozenset[str]:
    with open(path, encoding="utf-8") as fh:
        return frozenset(w for line in fh if (w := line.split("#", 1)[0].strip()))


class Tokenizer:
    """Turn a Japanese text into content-word tokens.

    Parameters
    ----------
    pos : sequence of str
        UniDic first-level parts of speech to keep.
    stopwords : "default", None, or sequence of str / path
        ``"default"`` uses the general list ``voc/data/stopwords_ja.txt`` plus the sales list
        ``voc/data/stopwords_sales.txt``. A path names a UTF-8 file, one word per line.
    compounds : {"off", "join", "both"}
        Runs of nouns (with prefixes and noun-like suffixes) become one token (``"join"``), are
        kept as parts (``"off"``), or both (``"both"``: the parts and the compound).
    synonyms : "default", None, mapping or path
        Token → canonical token, applied after lemmatization and to compounds (打合せ → 打ち合わせ,
        他社 → 競合). ``"default"`` reads ``voc/data/synonyms_sales.txt``; a path names a file in
        the same format (``canonical = variant, variant``, see :func:`read_synonyms`).

    Notes
    -----
    The fugashi ``Tagger`` is created on first use and dropped when pickled, so a Tokenizer can be
    sent to worker processes and saved with a model.
    """

    def __init__(
        self,
        pos: Sequence[str] = _KEEP_POS,
        stopwords: str | Sequence[str] | None = "default",
        compounds: Compounds = "both",
        synonyms: str | Mapping[str, str] | None = "default",
    ) -> None:
        self.pos = pos
        self.stopwords = stopwords
        self.compounds = compounds
        self.synonyms = synonyms

    # -- pickling: never pickle the MeCab tagger -------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_tagger", None)
        state.pop("_fast", None)
        state.pop("_fast_orth", None)
        state.pop("_stop", None)
        state.pop("_syn", None)
        state.pop("_memo", None)
        return state

    def __repr__(self) -> str:
        return f"Tokenizer(pos={tuple(self.pos)!r}, compounds={self.compounds!r})"

    def _setup(self) -> None:
        if self.compounds not in get_args(Compounds):
            raise ConfigError(f"compounds must be one of {get_args(Compounds)}, got {self.compounds!r}")
        from voc._tagger import FastTagger

        # Only the fields the rules below read, printed by MeCab itself (no Node objects). The
        # FastTagger raises DependencyError naming the pip command when MeCab or UniDic is missing.
        fast = FastTagger(features=TOKEN_FEATURES, joined=True)
        fast.records("")  # load the dictionary now, so a missing one fails here and not mid-corpus
        if self.stopwords == "default":
            stop = load_wordlist("stopwords_ja") | load_wordlist("stopwords_sales")
        elif self.stopwords is None:
            stop = frozenset()
        elif isinstance(self.stopwords, str):
            stop = _read_user_wordlist(self.stopwords)
        else:
            stop = frozenset(self.stopwords)
        self._stop = stop
        if self.synonyms == "default":
            self._syn = read_synonyms()
        elif isinstance(self.synonyms, str):
            self._syn = read_synonyms(self.synonyms)
        else:
            self._syn = dict(self.synonyms or {})
        self._memo: dict[str, tuple[int, str, bool]] = {}  # MeCab record → what it does (_classify)
        self._fast = fast  # last: its presence means the set-up is complete

    @property
    def tagger(self) -> Any:
        """A fugashi ``Tagger`` on the same dictionary, for callers that want fugashi's nodes.

        Created on first use: tokenizing does not need it (it reads MeCab's output through
        :class:`voc._tagger.FastTagger`). One per process (:func:`voc._tagger.shared_tagger`).
        """
        if "_tagger" not in self.__dict__:
            from voc._tagger import shared_tagger

            try:
                self._tagger = shared_tagger(unidic=True)  # one per process: fugashi never frees one
            except RuntimeError as exc:
                raise DependencyError(
                    f"fugashi could not load a dictionary ({exc}); install one: pip install unidic-lite"
                ) from exc
        return self._tagger

    # -- tokenizing ------------------------------------------------------------------------------
    def _form(self, surface: str, pos1: str, pos2: str, lemma: str | None) -> str:
        if pos2 == "固有名詞" or not lemma or lemma == "*":
            return surface
        if "-" in lemma:  # UniDic adds a gloss to some lemmas
            m = _ASCII_TAIL.match(lemma)
            if m:  # カスタマイズ-customize → カスタマイズ
                return m.group(1)
            if pos1 in _RUN_POS:  # 検-検察庁, 大-大学 (東日本大震災): keep the written form
                return surface
            return lemma.split("-", 1)[0]  # 引く-他動詞 → 引く
        return lemma

    def _classify(self, key: tuple[str, str, str, str, str]) -> tuple[int, str, bool]:
        """What one morpheme does in :meth:`__call__`: ``(kind, form, flag)``, memoized per morpheme.

        Kinds: ``_END`` ends a noun run (particles, symbols …); ``_FORMAL`` a formal/adverb-like noun
        that ends a run and is emitted when *flag*; ``_NOUN`` joins the run (*flag*: a content word);
        ``_PREFIX`` joins the run; ``_SUFFIX`` joins a non-empty run, else acts as ``_OTHER``;
        ``_OTHER`` ends the run and is emitted when *flag* (verbs, adjectives …).
        """
        surface, pos1, pos2, pos3, lemma = key
        if pos1 not in self.pos and pos1 not in _RUN_POS:
            return _END, "", False
        stop = self._stop
        form = self._form(surface, pos1, pos2, lemma)
        form = self._syn.get(form, form)
        ok = form not in stop and not _NOISE.match(form)
        if pos1 == "名詞" and pos2 not in _SKIP_NOUN_POS2:
            if form in stop or pos3 == "副詞可能":
                # Formal and adverb-like nouns (ため, 曰く, 今回, 担当) end a compound instead of
                # joining it: 予算不足のため見送り gives 見送り, not 為見送り.
                return _FORMAL, form, ok
            return _NOUN, form, pos1 in self.pos and ok
        # not 非自立可能 (為る, 居る) nor 助動詞語幹 (the そう of 高そう)
        emit = pos1 in self.pos and pos1 != "名詞" and pos2 not in ("非自立可能", "助動詞語幹") and ok
        if pos1 == "接頭辞" and form not in _HONORIFIC_PREFIXES:
            return _PREFIX, form, emit
        if pos1 == "接尾辞" and pos2 == "名詞的" and form not in stop:
            return _SUFFIX, form, emit
        return _OTHER, form, emit

    def __call__(self, text: str) -> list[str]:
        """Tokens of one text (already normalized by :func:`voc.clean.normalize_text`)."""
        if "_fast" not in self.__dict__:
            self._setup()  # the MeCab tagger and the word lists, on first use
        return self._tokens(self._fast.records(text))

    def _tokens(self, records: list[str]) -> list[str]:
        """Tokens from one text's MeCab records (``surface␟pos1␟pos2␟pos3␟lemma``, ``*`` is ``""``).

        The hot loop of tokenizing: one dict lookup per morpheme (its rule, memoized by
        :meth:`_classify`) and as little else as possible.
        """
        memo = self._memo
        join = self.compounds == "join"
        out: list[str] = []
        append = out.append
        run: list[tuple[str, bool]] | None = None  # (form, is a content noun) of the current noun run
        for record in records:
            try:
                kind, form, flag = memo[record]
            except KeyError:
                kind, form, flag = memo[record] = self._classify(tuple(record.split(RECORD_SEP)))  # type: ignore[arg-type]
            if kind == _NOUN:
                if flag and not join:
                    append(form)
                if run is None:
                    run = [(form, flag)]
                else:
                    run.append((form, flag))
            elif kind == _PREFIX or (kind == _SUFFIX and run is not None):
                if run is None:
                    run = [(form, False)]
                else:
                    run.append((form, False))
            else:
                if run is not None:
                    if join or len(run) > 1:
                        self._flush(run, out)
                    run = None
                if flag:
                    append(form)  # formal nouns that pass, verbs, adjectives, adjectival nouns
        if run is not None and (join or len(run) > 1):
            self._flush(run, out)
        return out

    def _flush(self, run: list[tuple[str, bool]], out: list[str]) -> None:
        """End of a noun run: its compound (2 to 4 parts with a content noun), or in ``"join"``
        mode the run's content nouns when it makes no compound."""
        mode = self.compounds
        joined = False
        if mode != "off" and 2 <= len(run) <= 4 and any(c for _, c in run):
            parts = [f for i, (f, _) in enumerate(run) if i == 0 or f != run[i - 1][0]]
            compound = self._syn.get("".join(parts), "".join(parts))
            if len(parts) > 1 and compound not in self._stop and not _NOISE.match(compound):
                out.append(compound)
                joined = True
        if mode == "join" and not joined:
            out.extend(f for f, c in run if c)

    # -- how tokens are written, for showing them to people ------------------------------------
    def display_forms(self, texts: Iterable[str]) -> dict[str, str]:
        """How each token of *texts* is most often written there: ``{token: written form}``.

        Tokens are dictionary forms, and UniDic spells many of them in kanji that people write in
        kana: タダ → 只, まとめる → 纏める, あり → 有り, うまい → 旨い, まま → 侭. To show tokens to
        people (keywords, labels), this maps each back to the base form as the texts spell it
        (MeCab's orthBase, when it reads like the lemma: 満たせない gives 満たす, not the potential
        満たせる), compounds part by part (興味あり, not 興味有り); where the texts spell a token
        several ways, the most frequent wins (the first seen on a tie). Tokens the synonym list
        renamed keep their canonical form, proper nouns their surface.
        """
        from collections import Counter

        from voc._tagger import FastTagger

        if "_fast" not in self.__dict__:
            self._setup()
        if "_fast_orth" not in self.__dict__:
            self._fast_orth = FastTagger(
                features=("pos1", "pos2", "pos3", "lemma", "orthBase", "lForm", "kanaBase"), joined=True
            )
        counts: dict[str, Counter[str]] = {}
        texts = list(texts)
        for i in range(0, len(texts), BATCH):
            for records in self._fast_orth.records_many(texts[i : i + BATCH]):
                for token, written in self._written_tokens(records):
                    counts.setdefault(token, Counter())[written] += 1
        return {t: c.most_common(1)[0][0] for t, c in counts.items()}

    def _written_tokens(self, records: list[str]) -> list[tuple[str, str]]:
        """``(token, written form)`` of one text's records (the tokenizer's five fields, then
        orthBase, lForm and kanaBase): the tokens of :meth:`_tokens`, in the same order, each with
        its spelling in the text."""
        join = self.compounds == "join"
        out: list[tuple[str, str]] = []
        run: list[tuple[str, bool, str]] | None = None
        for record in records:
            fields = record.split(RECORD_SEP)
            key = RECORD_SEP.join(fields[:5])  # the tokenizer's own record
            try:
                kind, form, flag = self._memo[key]
            except KeyError:
                kind, form, flag = self._memo[key] = self._classify(tuple(fields[:5]))  # type: ignore[arg-type]
            surface, pos1, pos2, _, lemma, orth, lemma_kana, orth_kana = fields
            # the text's spelling of the same word (タダ for 只, セキュリティ for セキュリティー), not
            # another form of it (満たせる, the potential of 満たす, reads differently); renamed
            # tokens (synonym list) and proper nouns as they are
            same_word = orth and (lemma_kana.replace("ー", "") == orth_kana.replace("ー", "")
                                  or _variant(pos1, orth, lemma_kana, orth_kana))
            renamed = form != self._form(surface, pos1, pos2, lemma)
            written = orth if same_word and lemma and not renamed and pos2 != "固有名詞" else form
            if written.endswith("ずる") and not renamed and surface[: len(written) - 1] == written[:-2] + "じ":
                written = written[:-2] + "じる"  # 感じ(た) is written 感じる, though UniDic's base is 感ずる
            if kind == _NOUN or kind == _PREFIX or (kind == _SUFFIX and run is not None):
                if kind == _NOUN and flag and not join:
                    out.append((form, written))
                if run is None:
                    run = []
                run.append((form, flag if kind == _NOUN else False, written))
            else:
                if run is not None and (join or len(run) > 1):
                    self._flush_written(run, out)
                run = None
                if flag:
                    out.append((form, written))
        if run is not None and (join or len(run) > 1):
            self._flush_written(run, out)
        return out

    def _flush_written(self, run: list[tuple[str, bool, str]], out: list[tuple[str, str]]) -> None:
        """:meth:`_flush` for :meth:`_written_tokens`: what it emits, each with its spelling."""
        tokens: list[str] = []
        self._flush([(f, c) for f, c, _ in run], tokens)
        parts = [(f, w) for i, (f, _, w) in enumerate(run) if i == 0 or f != run[i - 1][0]]
        joined = "".join(f for f, _ in parts)
        compound = self._syn.get(joined, joined)
        if len(parts) > 1 and tokens == [compound]:  # the compound, spelled part by part unless renamed
            out.append((compound, "".join(w for _, w in parts) if compound == joined else compound))
        else:  # "join" mode without a compound: the run's content nouns
            written = {f: w for f, _, w in run}
            out.extend((t, written[t]) for t in tokens)

    def records_many(self, texts: list[str]) -> list[list[str]]:
        """The MeCab records tokenizing reads, per text: ``surface␟pos1␟pos2␟pos3␟lemma`` (fields
        joined by :data:`voc._tagger.RECORD_SEP`, ``*`` printed as ``""``, unknown words with an
        empty lemma). With :meth:`tokens_from_records` a caller can reuse one parse for its own
        purpose and the tokens: :func:`voc.clean.clean` finds names in them."""
        if "_fast" not in self.__dict__:
            self._setup()
        return self._fast.records_many(texts)

    def tokens_from_records(self, records: list[str]) -> list[str]:
        """Tokens of a text from its :meth:`records_many` records: ``self(text)`` without the parse."""
        if "_fast" not in self.__dict__:
            self._setup()
        return self._tokens(records)

    def tokenize_many(self, texts: Iterable[str], *, progress: bool = False) -> list[list[str]]:
        """Tokens of many texts (identical to ``[self(t) for t in texts]``), with a progress bar
        when *progress* and stderr is a terminal.

        Texts go to MeCab in batches of :data:`BATCH` before their records are read, which keeps
        each side's data in the CPU cache (:meth:`voc._tagger.FastTagger.records_many`).
        """
        texts = list(texts)
        if "_fast" not in self.__dict__:
            self._setup()
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts), desc="tokenize", unit="doc", leave=False, disable=None)  # quiet off a TTY
        out: list[list[str]] = []
        try:
            for i in range(0, len(texts), BATCH):
                batch = texts[i : i + BATCH]
                out.extend(map(self._tokens, self._fast.records_many(batch)))
                if bar is not None:
                    bar.update(len(batch))
        finally:
            if bar is not None:
                bar.close()
        return out


_KATAKANA = re.compile(r"[ァ-ヴー・]+")


def _variant(pos1: str, orth: str, lemma_kana: str, orth_kana: str) -> bool:
    """The text's spelling is the same word as UniDic's lemma, read another way: a loanword noun
    UniDic files under another reading (モバイル for モビール), or a ずる/じる verb (感じる for
    感ずる). Not a potential form (満たせる for 満たす), which reads differently at the stem."""
    if pos1 == "名詞" and _KATAKANA.fullmatch(orth):
        return True
    return lemma_kana.endswith("ズル") and orth_kana.endswith("ジル") and lemma_kana[:-2] == orth_kana[:-2]
