"""Look at the words before trusting the themes: frequencies, KWIC, collocations, co-occurrence, log-odds.

The habits of KH Coder in a notebook, on the same content-word tokens the themes are fitted on
(:class:`voc.tokenize.Tokenizer`). Every function takes either a DataFrame with a text column (the
``text`` column :func:`voc.clean.clean` adds, by default) or a plain sequence of texts, and may be
given ``tokens`` already computed (one token list per text) so that a notebook tokenizes once.

All functions return DataFrames (or a :class:`networkx.Graph`); nothing is printed or drawn except by
:func:`plot_network`, which returns a plotly figure.
"""

from voc.explore._common import COMPOUND, tokenize, word_pos
from voc.explore._frequency import distinguishing_words, frequencies, word_crosstab
from voc.explore._kwic import collocations, kwic, style_kwic
from voc.explore._network import cooccurrence_network, plot_network

__all__ = [
    "COMPOUND",
    "tokenize",
    "word_pos",
    "frequencies",
    "word_crosstab",
    "kwic",
    "style_kwic",
    "collocations",
    "cooccurrence_network",
    "plot_network",
    "distinguishing_words",
]
