"""Theme labels and representative quotes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "label_from_keywords",
    "distinct_keywords",
    "prefer_compounds",
    "representative_quotes",
    "theme_documents",
    "written_keywords",
    "theme_table",
    "quote_records",
    "MAX_QUOTE_RECORDS",
]


def _generic(word: str) -> bool:
    """Words that say nothing in a label: stopwords (事, 為る, 様 …) and single kana or symbols."""
    from voc.tokenize import load_wordlist

    if len(word) == 1 and not ("\u4e00" <= word <= "\u9fff"):
        return True
    return word in load_wordlist("stopwords_ja") or word in load_wordlist("stopwords_sales")


def distinct_keywords(keywords: Sequence[str], n: int | None = None) -> list[str]:
    """Keywords with generic words dropped and those contained in a better-ranked one removed
    (導入費用 hides 費用)."""
    kept: list[str] = []
    for word in keywords:
        if _generic(word) or any(word in k or k in word for k in kept):
            continue
        kept.append(word)
        if n is not None and len(kept) == n:
            break
    return kept


def theme_documents(tokens: Sequence[Sequence[str]], labels: Sequence[int]) -> dict[int, list[Sequence[str]]]:
    """The token lists of each theme's documents (labels below 0 ignored)."""
    docs: dict[int, list[Sequence[str]]] = {}
    for lab, doc in zip(labels, tokens, strict=True):
        if int(lab) >= 0:
            docs.setdefault(int(lab), []).append(doc)
    return docs


def _holders(word: str, docs: Sequence[Sequence[str]]) -> list[set[str]]:
    """For each document of *docs* that has *word*: its longer tokens that contain *word*."""
    return [{t for t in doc if word in t and t != word} for doc in docs if word in doc]


def _inside_share(holders: list[set[str]]) -> float:
    """Share of a word's documents where it occurs inside a longer token (0 when it occurs in none)."""
    return sum(1 for h in holders if h) / len(holders) if holders else 0.0


def _compound_of(holders: list[set[str]], min_share: float) -> str | None:
    """The shortest token that covers at least *min_share* of *holders* (:func:`_holders`), if any."""
    if not holders or _inside_share(holders) < min_share:
        return None  # the word stands alone in too many documents
    need = min_share * len(holders)
    candidates = sorted({t for h in holders for t in h if not _generic(t)}, key=lambda t: (len(t), t))
    best, best_cover = None, 0
    for c in candidates:  # shortest first: オンプレ covers オンプレ要望 and オンプレ版 too
        cover = sum(1 for h in holders if any(c in t for t in h))
        if cover > best_cover:
            best, best_cover = c, cover
    return best if best_cover >= need else None


def prefer_compounds(
    keywords: Sequence[Any], docs: Sequence[Sequence[str]], *, min_share: float = 0.9
) -> list[Any]:
    """Keywords with each word that only occurs inside one compound replaced by that compound.

    The tokenizer keeps a compound and its parts (サクセスナビ, サクセス, ナビ), and a part is at
    least as frequent as its compound, so c-TF-IDF can rank the part first: a competitor's name
    shows as ナビ, オンプレ as プレ. A keyword gives way to the shortest token that contains it in
    at least *min_share* of the theme's documents where it occurs (itself or within a longer
    token: オンプレ within オンプレ要望). A word that also stands alone, or joins several
    compounds (予算 in 予算取り, 予算確保 and alone; 稟議 in 稟議NG and alone), stays, and so does
    one whose compound contains a better-ranked keyword (トライアル stays when 無料 ranks above
    無料トライアル: :func:`distinct_keywords` would hide the compound). A single character that
    occurs inside longer tokens in at least *min_share* of those documents, but not inside one
    of them, is a fragment of several compounds and is dropped (感 of 費用感 and 温度感, 数 of
    ユーザー数 and ライセンス数; 量 written on its own stays). Duplicates are dropped, the order
    kept. *keywords* are words or ``(word, score)`` pairs (a replacement keeps the part's score);
    *docs* are the token lists of the theme's documents (:func:`theme_documents`).
    """
    words = [k[0] if isinstance(k, tuple) else k for k in keywords]
    holders = {w: _holders(w, docs) for w in dict.fromkeys(words)}
    by_part = {w: _compound_of(h, min_share) for w, h in holders.items()}
    out: list[Any] = []
    seen: set[str] = set()
    for k, word in zip(keywords, words, strict=True):
        if by_part[word] is None and len(word) == 1 and _inside_share(holders[word]) >= min_share:
            continue  # a fragment of several compounds (数 of ユーザー数 and ライセンス数)
        new = by_part[word] or word
        if new not in seen and any(w in new for w in seen if w not in word):
            new = word  # the compound holds a better-ranked keyword, which would hide it in a label
        if new in seen:
            continue
        seen.add(new)
        out.append((new, *k[1:]) if isinstance(k, tuple) else new)
    return out


def written_keywords(
    keywords: Mapping[int, Sequence[str]],
    texts: Sequence[str],
    tokens: Sequence[Sequence[str]],
    tokenizer: Any,
    *,
    per_word: int = 10,
    max_scan: int = 50_000,
) -> dict[str, str]:
    """``{token: how the texts write it}`` for every keyword of *keywords* (``{theme: tokens}``).

    Keywords are tokens, i.e. UniDic dictionary forms, which spell many words in kanji people
    write in kana (只 for タダ, 有り for あり, 纏める for まとめる): shown to people, each becomes
    its most frequent spelling in the first *per_word* texts that contain it
    (:meth:`voc.tokenize.Tokenizer.display_forms`; the first *max_scan* texts are searched).
    *texts* and *tokens* are the analysed texts and their tokens by *tokenizer*.
    """
    need = {w: per_word for words in keywords.values() for w in words}
    left = len(need)
    picked: list[int] = []
    for i, doc in enumerate(tokens[:max_scan]):
        hit = False
        for w in set(doc):
            n = need.get(w, 0)
            if n:
                need[w] = n - 1
                left -= n == 1
                hit = True
        if hit:
            picked.append(i)
            if not left:
                break
    forms = tokenizer.display_forms([texts[i] for i in picked]) if picked else {}
    return {w: forms.get(w, w) for w in need}


def label_from_keywords(keywords: Sequence[str], n: int = 3) -> str:
    """A readable label: the first *n* distinct keywords joined with ``・``."""
    words = distinct_keywords(keywords, n)
    return "・".join(words) if words else "(キーワードなし)"


def _shingles(text: str) -> set[str]:
    t = text.replace(" ", "")
    return {t[i : i + 2] for i in range(max(1, len(t) - 1))}


def representative_quotes(
    texts: Sequence[str],
    embeddings: np.ndarray,
    n: int = 3,
    *,
    max_similarity: float = 0.6,
    max_chars: int = 200,
) -> list[int]:
    """Indices of up to *n* texts near the centre of a theme that are not near-duplicates.

    Texts are ranked by cosine similarity to the theme's mean embedding; a text whose character
    bigrams overlap an already chosen one by more than *max_similarity* (Jaccard) is skipped, and
    so are texts longer than *max_chars* when shorter ones are available.
    """
    if len(texts) == 0:
        return []
    centre = embeddings.mean(axis=0)
    norm = np.linalg.norm(centre)
    scores = embeddings @ (centre / norm) if norm > 0 else np.zeros(len(texts))
    order = np.argsort(-scores, kind="stable")
    chosen: list[int] = []
    chosen_shingles: list[set[str]] = []
    # a text too close to a chosen one stays so (the chosen only grow): each distinct text is
    # compared once, however often it repeats (statements repeat: on 240k generated statements, 5.8 → 0.4 s under cProfile)
    near: set[str] = set()
    for pass_max in (max_chars, None):
        for i in order:
            if len(chosen) == n:
                return chosen
            text = texts[i]
            if i in chosen or text in near or (pass_max is not None and len(text) > pass_max):
                continue
            sh = _shingles(text)
            if any(len(sh & c) / max(1, len(sh | c)) > max_similarity for c in chosen_shingles):
                near.add(text)
                continue
            chosen.append(int(i))
            chosen_shingles.append(sh)
    return chosen


def theme_table(
    texts: Sequence[str],
    tokens: Sequence[Sequence[str]],
    embeddings: np.ndarray,
    labels: Sequence[int] | np.ndarray,
    keywords: Mapping[int, Sequence[str]],
    tokenizer: Any,
    *,
    names: Mapping[int, str] | None = None,
    written: Mapping[str, str] | None = None,
    n_keywords: int = 8,
    n_quotes: int = 5,
) -> pd.DataFrame:
    """The table of themes every view shows: the report, ``ThemeModel.theme_info()``, the editor
    and the model's notebook display.

    *texts*, *tokens* and *embeddings* are the analysed documents, *labels* their theme (``-1``:
    none), *keywords* each theme's keyword tokens, best first, *tokenizer* the one that made the
    tokens (for the keywords' written spellings, :func:`written_keywords`; pass *written* when
    already computed). *names* overrides a theme's label (taxonomy names); the default label
    joins the first distinct keywords (:func:`label_from_keywords`).

    Returns one row per theme with documents, largest first (ties by id): ``theme_id``, ``label``,
    ``size``, ``share`` (of every document, unassigned ones included), ``keywords`` (list of
    written spellings, near-duplicates folded, at most *n_keywords*) and ``quotes`` (list of texts,
    the most representative first, :func:`representative_quotes`).
    """
    import pandas as pd

    labels = np.asarray(labels, dtype=int)
    ids, counts = np.unique(labels[labels >= 0], return_counts=True)
    order = sorted(zip(ids.tolist(), counts.tolist(), strict=True), key=lambda p: (-p[1], p[0]))
    if written is None:
        written = written_keywords({t: keywords.get(t, []) for t, _ in order}, texts, tokens, tokenizer)
    names = names or {}
    rows = []
    for theme_id, size in order:
        words = [written.get(w, w) for w in keywords.get(theme_id, [])]
        members = np.flatnonzero(labels == theme_id)
        member_texts = [texts[i] for i in members]
        picks = representative_quotes(member_texts, embeddings[members], n=n_quotes)
        rows.append({
            "theme_id": int(theme_id),
            "label": names.get(theme_id) or label_from_keywords(words),
            "size": int(size),
            "share": float(size / len(labels)) if len(labels) else 0.0,
            "keywords": distinct_keywords(words, n_keywords),
            "quotes": [member_texts[i] for i in picks],
        })
    return pd.DataFrame(rows, columns=["theme_id", "label", "size", "share", "keywords", "quotes"])


#: Quotes with context kept per theme for the theme pages (most central first).
MAX_QUOTE_RECORDS = 1000


def quote_records(
    kept: pd.DataFrame,
    labels: np.ndarray,
    embeddings: np.ndarray,
    theme_ids: Sequence[int],
    *,
    date_column: str | None = None,
    outcome_column: str | None = None,
    segment_columns: Sequence[str] = (),
    max_records: int = MAX_QUOTE_RECORDS,
    results: Mapping[int, str] | None = None,
) -> dict[int, list[Any]]:
    """Each theme's quotes with their context (:class:`voc.report.model.Quote`), most central first.

    *kept* are the analysed records (``text``, ``row`` and the named columns) in the order of
    *labels* (their theme ids) and *embeddings*; at most *max_records* per theme. *results* maps a
    ``row`` to its outcome as read (``won`` / ``lost`` / ``open``, :mod:`voc.read.outcomes`).
    """
    from voc.report.model import Quote

    seg_cols = list(segment_columns)
    # only the columns a quote shows: records of every export column cost 2 s at 46,605 rows
    wanted = ["text", "row", date_column, outcome_column, *seg_cols]
    quote_frame = kept[list(dict.fromkeys(c for c in wanted if c and c in kept.columns))]
    out: dict[int, list[Any]] = {}
    for theme_id in theme_ids:
        members = np.flatnonzero(labels == theme_id)
        centre = embeddings[members].mean(axis=0)
        order = members[np.argsort(-(embeddings[members] @ centre), kind="stable")][:max_records]
        out[int(theme_id)] = [
            Quote(
                text=str(rec["text"]),
                row=int(rec["row"]),
                date=str(rec.get(date_column, "")) if date_column else "",
                outcome=str(rec.get(outcome_column, "")) if outcome_column else "",
                segments={c: str(rec.get(c, "")) for c in seg_cols},
                result=(results or {}).get(int(rec["row"]), ""),
            )
            for rec in quote_frame.iloc[order].to_dict("records")
        ]
    return out
