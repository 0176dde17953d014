"""Keyword in context (KWIC) and collocations."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, get_args

from voc.explore._common import Data, _column, _related, _texts, _tokens

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler

    from voc.tokenize import Tokenizer

CollocationSort = Literal["t", "mi", "total"]


# -- KWIC ------------------------------------------------------------------------------------------
def kwic(
    data: Data,
    pattern: str,
    *,
    regex: bool = False,
    width: int | tuple[int, int] = 20,
    text_column: str = "text",
    keep: Sequence[str] = (),
    max_rows: int | None = None,
    newline: str = "⏎",
) -> pd.DataFrame:
    """Keyword in context: every occurrence of *pattern* with the characters around it.

    Parameters
    ----------
    data
        DataFrame with *text_column* (and the *keep* columns), or a sequence of texts.
    pattern
        A word (matched literally after the same NFKC normalization as the texts, so ``ＡＰＩ`` finds
        ``API``) or, with ``regex=True``, a Python regular expression (``"高(い|すぎる)"``).
    width
        Characters of context on each side, or ``(left, right)``.
    keep
        Columns of *data* to carry into the result (``deal_id``, ``outcome`` …).
    max_rows
        Stop after this many hits.
    newline
        What a line break inside the context is shown as (one character keeps the widths exact).

    Returns
    -------
    DataFrame
        Columns ``doc`` (index label of the text in *data*), the *keep* columns, ``left``, ``match``,
        ``right``, ``start`` (character offset of the match). ``left`` holds at most the left width,
        ``right`` at most the right width; at the start or end of a text they are shorter. Show it
        with :func:`style_kwic` for a concordance view.
    """
    import pandas as pd

    from voc.clean import normalize_text

    pair = (width, width) if isinstance(width, int) else tuple(width)
    if len(pair) != 2 or not all(isinstance(w, int) and not isinstance(w, bool) and w >= 0 for w in pair):
        raise ValueError(f"width must be an int ≥ 0 or a pair (left, right) of them, got {width!r}")
    wl, wr = pair
    if not pattern:
        raise ValueError("pattern is empty: pass the word or regular expression to look for")
    if regex:
        try:
            rx = re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None
        if rx.fullmatch(""):
            raise ValueError(f"regular expression {pattern!r} matches the empty string; every position would be a hit")
    else:
        rx = re.compile(re.escape(normalize_text(pattern)))
    texts = _texts(data, text_column)
    index = list(data.index) if isinstance(data, (pd.DataFrame, pd.Series)) else list(range(len(texts)))
    extra = {c: _column(data, c) for c in keep}
    rows = []
    for i, text in enumerate(texts):
        for m in rx.finditer(text):
            s, e = m.span()
            rows.append(
                {
                    "doc": index[i],
                    **{c: v[i] for c, v in extra.items()},
                    "left": text[max(0, s - wl) : s].replace("\n", newline),
                    "match": m.group(0).replace("\n", newline),
                    "right": text[e : e + wr].replace("\n", newline),
                    "start": s,
                }
            )
            if max_rows is not None and len(rows) >= max_rows:
                break
        if max_rows is not None and len(rows) >= max_rows:
            break
    return pd.DataFrame(rows, columns=["doc", *keep, "left", "match", "right", "start"])


def style_kwic(table: pd.DataFrame) -> Styler:
    """A concordance view of a :func:`kwic` table: left context right-aligned, the match highlighted."""
    return (
        table.style.hide(axis="index")
        .hide(subset=["start"], axis="columns")
        .set_properties(subset=["left"], **{"text-align": "right", "white-space": "pre"})
        .set_properties(
            subset=["match"],
            **{"text-align": "center", "font-weight": "bold", "color": "#c0392b", "white-space": "pre"},
        )
        .set_properties(subset=["right"], **{"text-align": "left", "white-space": "pre"})
    )


# -- collocations ----------------------------------------------------------------------------------
def collocations(
    data: Data,
    word: str | None = None,
    *,
    window: int = 5,
    min_count: int = 3,
    top: int | None = 30,
    sort: CollocationSort = "t",
    text_column: str = "text",
    tokens: Sequence[Sequence[str]] | None = None,
    tokenizer: Tokenizer | None = None,
) -> pd.DataFrame:
    """Words that keep company, within a sentence's content words.

    With *word*: its collocates within *window* tokens on either side (KH Coder's コロケーション統計),
    columns ``collocate, left, right, total, freq, mi, t``. Without: adjacent token pairs, columns
    ``first, second, total, freq_first, freq_second, mi, t``. ``mi`` is log2(observed / expected),
    ``t`` the t-score (observed − expected) / √observed; pairs where one token contains the other
    (a compound and its parts) are left out. Kept when ``total >= min_count``, sorted by *sort*.
    """
    import pandas as pd

    if sort not in get_args(CollocationSort):
        raise ValueError(f"sort must be one of {get_args(CollocationSort)}, got {sort!r}")
    if window < 1:
        raise ValueError(f"window must be ≥ 1, got {window}")
    toks = _tokens(data, text_column, tokens, tokenizer)
    freq: Counter[str] = Counter(w for doc in toks for w in doc)
    n = sum(freq.values())
    if word is not None:
        left: Counter[str] = Counter()
        right: Counter[str] = Counter()
        for doc in toks:
            for i, w in enumerate(doc):
                if w != word:
                    continue
                left.update(x for x in doc[max(0, i - window) : i] if not _related(x, word))
                right.update(x for x in doc[i + 1 : i + 1 + window] if not _related(x, word))
        rows = []
        for c in set(left) | set(right):
            total = left[c] + right[c]
            expected = freq[word] * freq[c] * 2 * window / n
            rows.append(
                (
                    c,
                    left[c],
                    right[c],
                    total,
                    freq[c],
                    math.log2(total / expected),
                    (total - expected) / math.sqrt(total),
                )
            )
        cols = ["collocate", "left", "right", "total", "freq", "mi", "t"]
    else:
        pairs: Counter[tuple[str, str]] = Counter()
        for doc in toks:
            pairs.update((a, b) for a, b in zip(doc, doc[1:], strict=False) if not _related(a, b))
        rows = []
        for (a, b), total in pairs.items():
            expected = freq[a] * freq[b] / n
            rows.append(
                (a, b, total, freq[a], freq[b], math.log2(total / expected), (total - expected) / math.sqrt(total))
            )
        cols = ["first", "second", "total", "freq_first", "freq_second", "mi", "t"]
    out = pd.DataFrame(rows, columns=cols)
    out = out[out["total"] >= min_count]
    out = out.sort_values([sort, cols[0]], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out if top is None else out.head(top)
