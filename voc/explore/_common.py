"""Inputs shared by the :mod:`voc.explore` functions: texts, columns, tokens, parts of speech."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from voc.errors import InputError

if TYPE_CHECKING:
    from voc.tokenize import Tokenizer

Data = Any  # a DataFrame with a text column, a Series or a sequence of str

#: Tokens that hold more than one UniDic morpheme are compound nouns built by the tokenizer.
COMPOUND = "複合名詞"


# -- inputs ----------------------------------------------------------------------------------------
def _texts(data: Data, text_column: str) -> list[str]:
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        if text_column not in data.columns:
            raise InputError(
                f"no column {text_column!r}; the DataFrame has: {', '.join(map(str, data.columns))}",
                column=text_column,
                hint="pass text_column=... or run voc.clean.clean first (it adds 'text')",
            )
        col = data[text_column]
    elif isinstance(data, str):
        raise TypeError("pass a sequence of texts or a DataFrame, not a single str (wrap it in a list)")
    else:
        col = pd.Series(list(data))
    return ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in col]


def _column(data: Data, name: str) -> list[Any]:
    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"grouping by {name!r} needs a DataFrame, got {type(data).__name__}")
    if name not in data.columns:
        raise InputError(f"no column {name!r}; the DataFrame has: {', '.join(map(str, data.columns))}", column=name)
    return data[name].tolist()


def tokenize(data: Data, *, text_column: str = "text", tokenizer: Tokenizer | None = None) -> list[list[str]]:
    """Content-word tokens of every text, with *tokenizer* (default: ``Tokenizer()``, as the themes use)."""
    from voc.tokenize import Tokenizer

    return (tokenizer or Tokenizer()).tokenize_many(_texts(data, text_column))


def _tokens(
    data: Data, text_column: str, tokens: Sequence[Sequence[str]] | None, tokenizer: Tokenizer | None
) -> list[list[str]]:
    n = len(_texts(data, text_column))
    if tokens is None:
        return tokenize(data, text_column=text_column, tokenizer=tokenizer)
    if len(tokens) != n:
        raise ValueError(f"{len(tokens)} token lists for {n} texts: pass the tokens of these very texts")
    return [list(t) for t in tokens]


def _tagger() -> Any:
    from voc._tagger import shared_tagger

    return shared_tagger(unidic=True)  # the process' one (the tokenizer's ``tagger`` too)


def word_pos(words: Iterable[str]) -> dict[str, str]:
    """UniDic part of speech of each token (``名詞``, ``動詞``, ``形容詞``, ``形状詞`` …).

    A token is a dictionary form chosen by the tokenizer, so it is tagged on its own: a token MeCab
    reads as one morpheme gets that morpheme's first-level POS; a token of several morphemes is a
    compound the tokenizer joined and gets :data:`COMPOUND` (``複合名詞``).
    """
    tagger = _tagger()
    out: dict[str, str] = {}
    for word in set(words):
        nodes = list(tagger(word))
        out[word] = nodes[0].feature.pos1 if len(nodes) == 1 else COMPOUND
    return out


def _related(a: str, b: str) -> bool:
    """A compound and its own parts (展示会 / 展示) always co-occur: not a collocation."""
    return a in b or b in a
