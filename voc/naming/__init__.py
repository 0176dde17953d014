"""Theme names: short phrases customers wrote, chosen for coverage and distinctness.

:class:`Namer` is the interface (a language-model namer would be another implementation);
:class:`PhraseNamer` names groups by word-bounded spans of their texts. :func:`word_bounds` says
where words start and end, for measuring whether a name cuts one (:mod:`voc.evaluate.metrics`).
"""

from __future__ import annotations

from voc.naming._base import SEPARATOR, Namer, ThemeName
from voc.naming._phrases import WHOLE_SHARE, PhraseNamer, sample_members
from voc.naming._spans import PARSE_FEATURES, candidates, word_bounds, words

__all__ = [
    "Namer",
    "PhraseNamer",
    "ThemeName",
    "SEPARATOR",
    "WHOLE_SHARE",
    "PARSE_FEATURES",
    "candidates",
    "sample_members",
    "word_bounds",
    "words",
]
