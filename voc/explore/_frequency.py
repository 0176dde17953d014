"""Frequency tables, cross-tabs by an external variable, and words that distinguish two groups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from voc.errors import InputError
from voc.explore._common import Data, _column, _tokens, word_pos

if TYPE_CHECKING:
    import pandas as pd

    from voc.tokenize import Tokenizer


# -- frequency tables ------------------------------------------------------------------------------
def frequencies(
    data: Data,
    *,
    by: str | None = None,
    pos: str | Sequence[str] | None = None,
    text_column: str = "text",
    tokens: Sequence[Sequence[str]] | None = None,
    tokenizer: Tokenizer | None = None,
    min_df: int = 1,
    top: int | None = None,
) -> pd.DataFrame:
    """Term frequency and document frequency of each word, overall or per group.

    Parameters
    ----------
    data
        DataFrame with *text_column* (and the *by* column), or a sequence of texts.
    by
        Column to group by (``outcome``, ``industry`` …); ``None`` for the whole corpus.
    pos
        Keep only words of these parts of speech (see :func:`word_pos`), e.g. ``"名詞"`` or
        ``["名詞", "複合名詞"]``.
    min_df, top
        Drop words found in fewer than *min_df* documents (of the group); keep the *top* first per group.

    Returns
    -------
    DataFrame
        Columns ``[by,] word, pos, tf, df, df_share`` (*tf*: occurrences, *df*: documents that hold
        the word, *df_share*: *df* / documents of the group). Sorted by group, then *df*, *tf* and word.
    """
    import pandas as pd

    toks = _tokens(data, text_column, tokens, tokenizer)
    groups = _column(data, by) if by is not None else ["(all)"] * len(toks)
    wanted = {pos} if isinstance(pos, str) else set(pos) if pos is not None else None
    tf: dict[Any, Counter[str]] = {}
    df: dict[Any, Counter[str]] = {}
    n_docs: Counter[Any] = Counter()
    for g, doc in zip(groups, toks, strict=True):
        tf.setdefault(g, Counter()).update(doc)
        df.setdefault(g, Counter()).update(set(doc))
        n_docs[g] += 1
    tags = word_pos(w for c in tf.values() for w in c)
    rows = []
    for g in tf:
        for word, count in tf[g].items():
            d = df[g][word]
            if d < min_df or (wanted is not None and tags[word] not in wanted):
                continue
            rows.append((g, word, tags[word], count, d, d / n_docs[g]))
    out = pd.DataFrame(rows, columns=["group", "word", "pos", "tf", "df", "df_share"])
    out = out.sort_values(["group", "df", "tf", "word"], ascending=[True, False, False, True], kind="stable")
    if top is not None:
        out = out.groupby("group", sort=False).head(top)
    out = out.reset_index(drop=True)
    if by is None:
        return out.drop(columns="group")
    return out.rename(columns={"group": by})


def word_crosstab(
    data: Data,
    by: str,
    *,
    words: Sequence[str] | None = None,
    top: int = 30,
    text_column: str = "text",
    tokens: Sequence[Sequence[str]] | None = None,
    tokenizer: Tokenizer | None = None,
) -> pd.DataFrame:
    """Share of documents in each group that use each word, with a chi-square test (KH Coder's クロス集計).

    Needs the *by* column. *words* defaults to the *top* words by document frequency. Returns one row
    per word: the word, one column per group value (share of that group's documents holding the
    word), ``df`` (documents overall), ``chi2`` and ``p`` (word present/absent × group), sorted by
    ``chi2`` descending.
    """
    import numpy as np
    import pandas as pd
    from scipy.stats import chi2_contingency

    toks = _tokens(data, text_column, tokens, tokenizer)
    groups = pd.Series(_column(data, by), dtype=object)
    if words is None:
        counts: Counter[str] = Counter()
        for doc in toks:
            counts.update(set(doc))
        words = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    levels = sorted(groups.unique(), key=str)
    size = groups.value_counts()
    sets = [set(doc) for doc in toks]
    rows = []
    for word in words:
        has = pd.Series([word in doc for doc in sets])
        present = has.groupby(groups.to_numpy()).sum()
        table = np.array([[present.get(g, 0) for g in levels], [size[g] - present.get(g, 0) for g in levels]])
        if table[0].sum() == 0 or table[1].sum() == 0 or len(levels) < 2:
            chi2, p = 0.0, 1.0
        else:
            chi2, p, _, _ = chi2_contingency(table, correction=False)
        rows.append(
            {
                "word": word,
                **{g: table[0][i] / size[g] for i, g in enumerate(levels)},
                "df": int(table[0].sum()),
                "chi2": float(chi2),
                "p": float(p),
            }
        )
    out = pd.DataFrame(rows, columns=["word", *levels, "df", "chi2", "p"])
    return out.sort_values(["chi2", "word"], ascending=[False, True], kind="stable").reset_index(drop=True)


# -- lost vs won -----------------------------------------------------------------------------------
def distinguishing_words(
    data: Data,
    *,
    by: str = "outcome",
    group: Any = "失注",
    other: Any = "受注",
    prior_scale: float = 1.0,
    min_count: int = 5,
    text_column: str = "text",
    tokens: Sequence[Sequence[str]] | None = None,
    tokenizer: Tokenizer | None = None,
) -> pd.DataFrame:
    """Words that set *group* apart from *other*: log-odds ratio with an informative Dirichlet prior.

    Monroe, Colaresi & Quinn (2008), "Fightin' Words": the prior of each word is its count in the
    whole of *data* (all groups, including rows that are neither *group* nor *other*) times
    *prior_scale*, which shrinks the estimates of rare words toward zero. A positive ``z`` means the
    word is typical of *group*; ``|z| > 1.96`` is the usual threshold.

    Needs the *by* column. *other* ``None`` compares *group* with every other row.

    Returns
    -------
    DataFrame
        ``word, count_group, count_other, log_odds, z, favours`` for words counted at least
        *min_count* times in *group* and *other* together, sorted by ``z`` (most typical of *group*
        first).
    """
    import numpy as np
    import pandas as pd

    if prior_scale <= 0:
        raise ValueError(f"prior_scale must be > 0, got {prior_scale}")
    toks = _tokens(data, text_column, tokens, tokenizer)
    labels = _column(data, by)
    if group not in labels:
        raise InputError(f"no row has {by} == {group!r}; values are {sorted(set(map(str, labels)))}", column=by)
    ca: Counter[str] = Counter()
    cb: Counter[str] = Counter()
    bg: Counter[str] = Counter()
    for lab, doc in zip(labels, toks, strict=True):
        bg.update(doc)
        if lab == group:
            ca.update(doc)
        elif other is None or lab == other:
            cb.update(doc)
    if not cb:
        raise InputError(f"no tokens in the comparison rows ({by} == {other!r})", column=by)
    vocab = sorted(bg)
    ya = np.array([ca[w] for w in vocab], dtype=float)
    yb = np.array([cb[w] for w in vocab], dtype=float)
    alpha = prior_scale * np.array([bg[w] for w in vocab], dtype=float)
    a0, na, nb = alpha.sum(), ya.sum(), yb.sum()
    delta = np.log((ya + alpha) / (na + a0 - ya - alpha)) - np.log((yb + alpha) / (nb + a0 - yb - alpha))
    z = delta / np.sqrt(1.0 / (ya + alpha) + 1.0 / (yb + alpha))
    out = pd.DataFrame(
        {"word": vocab, "count_group": ya.astype(int), "count_other": yb.astype(int), "log_odds": delta, "z": z}
    )
    out["favours"] = np.where(out["z"] > 0, str(group), "(other)" if other is None else str(other))
    out = out[out["count_group"] + out["count_other"] >= min_count]
    return out.sort_values(["z", "word"], ascending=[False, True], kind="stable").reset_index(drop=True)
