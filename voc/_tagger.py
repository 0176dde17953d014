"""Fast morpheme fields from MeCab: (surface, pos1, pos2, lemma) with almost no per-node Python.

fugashi's ``Tagger.__call__`` builds a Python ``Node`` per morpheme and, on first access, a
26-field ``UnidicFeatures26`` named tuple from the node's CSV feature string. A tokenizer that
needs four fields pays for all of that. :class:`FastTagger` instead asks MeCab itself to print only
the four fields, through a custom node format, and splits the one string MeCab returns::

    -O ""                          # ignore dicrc's output-format-type=unidic, which would win over -F
    -F "%m\t%f[0]\t%f[1]\t%f[7]\t" # known words: surface, pos1, pos2, lemma
    -U "%m\t%f[0]\t%f[1]\t\t"      # unknown words have no lemma field in UniDic
    -E "#"                         # end of sentence: a non-blank sentinel (fugashi strips the output)

Surfaces never contain a tab (MeCab treats tabs as white space), so the fields are positional.

Differences from ``node.feature`` (all documented, all tested in ``tests/test_tagger.py``):
MeCab's ``%f[N]`` prints ``*`` as an empty string, and unknown words have no lemma, so ``pos2 ==
""`` where fugashi says ``"*"`` and ``lemma == ""`` where fugashi says ``None`` or ``"*"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from voc.errors import DependencyError

__all__ = ["FastTagger", "dictionary_dir"]

_NODE_FORMAT = r"%m\t%f[0]\t%f[1]\t%f[7]\t"
_UNK_FORMAT = r"%m\t%f[0]\t%f[1]\t\t"
_EOS = "#"


def dictionary_dir() -> str:
    """The MeCab dictionary fugashi's ``Tagger()`` would load: full ``unidic`` if installed and
    downloaded, else ``unidic-lite``."""
    try:  # pragma: no cover - the default environment ships unidic-lite only
        import os

        import unidic

        if os.path.exists(os.path.join(unidic.DICDIR, "sys.dic")):
            return str(unidic.DICDIR)
    except ImportError:
        pass
    try:
        import unidic_lite
    except ImportError as exc:  # pragma: no cover - a hard dependency
        raise DependencyError("no UniDic dictionary is installed: pip install unidic-lite") from exc
    return str(unidic_lite.DICDIR)


class FastTagger:
    """Morpheme fields of Japanese text, four per morpheme, from one MeCab call.

    Parameters
    ----------
    dicdir : str, optional
        MeCab dictionary directory (default: :func:`dictionary_dir`). It must be a UniDic: field 7
        is read as the lemma.

    Notes
    -----
    Picklable: the MeCab tagger is created on first use and dropped when pickled, so instances can
    be sent to worker processes.

    Examples
    --------
    >>> FastTagger()("価格が高い")  # doctest: +SKIP
    [('価格', '名詞', '普通名詞', '価格'), ('が', '助詞', '格助詞', 'が'), ('高い', '形容詞', '一般', '高い')]
    """

    def __init__(self, dicdir: str | None = None) -> None:
        self.dicdir = dicdir

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_parse", None)
        return state

    def __repr__(self) -> str:
        return f"FastTagger(dicdir={self.dicdir!r})"

    def _setup(self) -> None:
        try:
            import fugashi
        except ImportError as exc:  # pragma: no cover - a hard dependency
            raise DependencyError("fugashi is not installed: pip install fugashi unidic-lite") from exc
        d = self.dicdir or dictionary_dir()
        args = f'-d "{d}" -r "{d}/mecabrc" -O "" -F "{_NODE_FORMAT}" -U "{_UNK_FORMAT}" -B "" -E "{_EOS}"'
        try:
            tagger = fugashi.GenericTagger(args)
        except RuntimeError as exc:
            raise DependencyError(
                f"MeCab could not load the dictionary in {d} ({exc}); install one: pip install unidic-lite"
            ) from exc
        self._parse = tagger.parse

    def fields(self, text: str) -> list[str]:
        """Flat list ``[surface, pos1, pos2, lemma, surface, pos1, …]``, four strings per morpheme.

        The cheapest form: iterate with ``it = iter(flat); for s, p1, p2, lemma in zip(it, it, it, it)``.
        """
        if "_parse" not in self.__dict__:
            self._setup()
        out = self._parse(text).split("\t")
        out.pop()  # the end-of-sentence sentinel
        return out

    def __call__(self, text: str) -> list[tuple[str, str, str, str]]:
        """``(surface, pos1, pos2, lemma)`` per morpheme of *text* (``""`` for ``*`` or missing)."""
        it = iter(self.fields(text))
        return list(zip(it, it, it, it, strict=True))

    def iter_fields(self, text: str) -> Iterator[tuple[str, str, str, str]]:
        """Like :meth:`__call__`, lazily."""
        it = iter(self.fields(text))
        return zip(it, it, it, it, strict=True)
