"""The naming interface: a :class:`Namer` turns groups of texts into short names.

One implementation ships (:class:`voc.naming.PhraseNamer`: phrases the customers wrote); a
language-model namer would be another subclass with the same :meth:`Namer.name`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Namer", "ThemeName", "SEPARATOR"]

#: Between the two phrases of a name (食べ放題 / 量を少なめに).
SEPARATOR = " / "


@dataclass(frozen=True)
class ThemeName:
    """The name of one group of texts.

    Attributes
    ----------
    phrases : tuple of str
        One or two phrases, best first, each a span of the group's texts (after NFKC).
    coverage : tuple of float
        Share of the group's texts that contain each phrase.
    label : str
        What a reader sees: the phrases joined by :data:`SEPARATOR`.
    grounded : bool
        Every phrase occurs in at least the namer's minimum share of the group's texts (False only
        when no phrase did, e.g. a group of a few texts that share no word).
    """

    phrases: tuple[str, ...]
    coverage: tuple[float, ...]
    label: str
    grounded: bool = True


class Namer(ABC):
    """Names groups of texts (themes, or the sub-themes of one theme)."""

    @abstractmethod
    def name(
        self, texts: Sequence[str], labels: Sequence[int] | np.ndarray, *, reserved: Iterable[str] = ()
    ) -> dict[int, ThemeName]:
        """A name for each group.

        Parameters
        ----------
        texts : sequence of str, length n
            Cleaned texts (:func:`voc.clean.normalize_text`), all of them: every group's members
            and, for distinctness, the other groups'.
        labels : array-like of int, length n
            Group of each text; below 0 (unassigned) is ignored.
        reserved : iterable of str
            Phrases no name may use (the parent theme's phrases when naming its sub-themes).

        Returns
        -------
        dict
            ``{group: ThemeName}`` for every group ≥ 0; labels are unique.
        """
