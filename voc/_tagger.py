"""Fast morpheme fields from MeCab (surface, pos1, pos2, lemma, …) with almost no per-node Python.

fugashi's ``Tagger.__call__`` builds a Python ``Node`` per morpheme and, on first access, a
26-field ``UnidicFeatures26`` named tuple from the node's CSV feature string. A tokenizer that
needs four fields pays for all of that. :class:`FastTagger` instead asks MeCab itself to print only
the fields asked for, through a custom node format, and splits the one string MeCab returns; for
the default fields::

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

import threading
from collections.abc import Iterator
from typing import Any

from voc.errors import DependencyError

__all__ = ["FastTagger", "dictionary_dir", "shared_tagger", "UNIDIC_FIELDS"]

#: UniDic feature names (dicrc of unidic / unidic-lite) and their index in the feature CSV.
UNIDIC_FIELDS = (
    "pos1", "pos2", "pos3", "pos4", "cType", "cForm", "lForm", "lemma", "orth", "pron", "orthBase", "pronBase",
    "goshu", "iType", "iForm", "fType", "fForm", "kana", "kanaBase", "form", "formBase", "iConType", "fConType",
    "aType", "aConType", "aModType",
)
#: Unknown words (unk.dic) only have the first six fields.
_UNK_N_FIELDS = 6
_EOS = "#"


#: Separates the fields of one morpheme in :meth:`FastTagger.records` (cleaned text has no control
#: characters; :meth:`FastTagger.records` replaces any that remain).
RECORD_SEP = "\x1f"


def _formats(fields: tuple[str, ...], sep: str = r"\t") -> tuple[str, str]:
    bad = [f for f in fields if f not in UNIDIC_FIELDS]
    if bad:
        raise ValueError(f"unknown UniDic field(s) {bad}; valid fields are {UNIDIC_FIELDS}")
    idx = [UNIDIC_FIELDS.index(f) for f in fields]
    node = "%m" + "".join(rf"{sep}%f[{i}]" for i in idx) + r"\t"
    unk = "%m" + "".join(rf"{sep}%f[{i}]" if i < _UNK_N_FIELDS else sep for i in idx) + r"\t"
    return node, unk


#: The MeCab taggers of this process, by kind and arguments (:func:`shared_tagger`).
_TAGGERS: dict[tuple[str, str], Any] = {}
_TAGGERS_LOCK = threading.Lock()


def shared_tagger(args: str = "", *, unidic: bool = False) -> Any:
    """The fugashi tagger of this process for MeCab arguments *args*, created on first use.

    fugashi never frees a tagger's MeCab side: each ``GenericTagger`` or ``Tagger`` created and
    dropped keeps its dictionary mapping, about 100 MB of resident memory once it has parsed a
    corpus (docs/performance.md, "Memory"). Everything in voc that parses therefore asks here, and
    a process holds one tagger per distinct *args* (a handful: one per set of printed fields)
    however many tokenizers, namers or reports it makes. Forked workers inherit them.

    Parameters
    ----------
    args : str
        MeCab arguments (``-d DIR -F FORMAT …``).
    unidic : bool
        ``fugashi.Tagger`` (nodes with UniDic feature tuples) instead of ``fugashi.GenericTagger``.

    Notes
    -----
    fugashi's ``parse`` holds the GIL for the whole call, so threads of one process may share a
    tagger (Dask's threaded workers do). Raises what fugashi raises (``RuntimeError`` when MeCab
    cannot load the dictionary); a failed tagger is not kept.
    """
    key = ("unidic" if unidic else "generic", args)
    tagger = _TAGGERS.get(key)
    if tagger is None:
        with _TAGGERS_LOCK:
            tagger = _TAGGERS.get(key)
            if tagger is None:
                try:
                    import fugashi
                except ImportError as exc:  # pragma: no cover - a hard dependency
                    raise DependencyError("fugashi is not installed: pip install fugashi unidic-lite") from exc
                tagger = (fugashi.Tagger if unidic else fugashi.GenericTagger)(args)
                _TAGGERS[key] = tagger
    return tagger


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
    """Morpheme fields of Japanese text from one MeCab call: the surface plus *features*.

    Parameters
    ----------
    features : tuple of str
        UniDic feature names to print after the surface (:data:`UNIDIC_FIELDS`), default
        ``("pos1", "pos2", "lemma")``.
    dicdir : str, optional
        MeCab dictionary directory (default: :func:`dictionary_dir`). It must be a UniDic.

    Notes
    -----
    Picklable: the MeCab tagger is looked up on first use (:func:`shared_tagger`: instances with
    the same fields and dictionary share one per process) and dropped when pickled, so instances
    can be sent to worker processes.

    Examples
    --------
    >>> FastTagger()("価格が高い")  # doctest: +SKIP
    [('価格', '名詞', '普通名詞', '価格'), ('が', '助詞', '格助詞', 'が'), ('高い', '形容詞', '一般', '高い')]
    """

    def __init__(
        self, features: tuple[str, ...] = ("pos1", "pos2", "lemma"), dicdir: str | None = None, joined: bool = False
    ) -> None:
        self.features = features
        self.dicdir = dicdir
        self.joined = joined

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_parse", None)
        return state

    def __repr__(self) -> str:
        return f"FastTagger(features={tuple(self.features)!r}, dicdir={self.dicdir!r})"

    def _setup(self) -> None:
        node, unk = _formats(tuple(self.features), RECORD_SEP if self.joined else r"\t")
        d = self.dicdir or dictionary_dir()
        args = f'-d "{d}" -r "{d}/mecabrc" -O "" -F "{node}" -U "{unk}" -B "" -E "{_EOS}"'
        try:
            tagger = shared_tagger(args)  # one per process and arguments: fugashi never frees one
        except RuntimeError as exc:
            raise DependencyError(
                f"MeCab could not load the dictionary in {d} ({exc}); install one: pip install unidic-lite"
            ) from exc
        self._parse = tagger.parse
        self._width = 1 + len(self.features)

    def records(self, text: str) -> list[str]:
        """One string per morpheme, ``surface + RECORD_SEP + feature + …`` (needs ``joined=True``).

        The cheapest form to memoize on: a caller can key a dict on each record and split it with
        ``record.split(RECORD_SEP)`` only the first time it sees it.
        """
        return self.records_many([text])[0]

    def records_many(self, texts: list[str]) -> list[list[str]]:
        """:meth:`records` of each text, MeCab first for all of them, then the splitting.

        Parsing a batch in one go keeps MeCab's dictionary and connection matrix in the CPU cache
        instead of alternating with the caller's per-text Python work: on 250-note blocks this
        made :class:`voc.tokenize.Tokenizer` about 5 % faster (docs/performance.md).
        """
        if not self.joined:
            raise ValueError("records() and records_many() need FastTagger(joined=True)")
        if "_parse" not in self.__dict__:
            self._setup()
        parse = self._parse
        raw = [parse(t.replace(RECORD_SEP, " ") if RECORD_SEP in t else t) for t in texts]
        out = []
        for r in raw:
            recs = r.split("\t")
            recs.pop()  # the end-of-sentence sentinel
            out.append(recs)
        return out

    def fields(self, text: str) -> list[str]:
        """Flat list ``[surface, *features, surface, *features, …]``.

        The cheapest form to loop over: with the default features,
        ``it = iter(flat); for surface, pos1, pos2, lemma in zip(it, it, it, it): …``.
        """
        if "_parse" not in self.__dict__:
            self._setup()
        out = self._parse(text).split("\t")
        out.pop()  # the end-of-sentence sentinel
        return out

    def __call__(self, text: str) -> list[tuple[str, ...]]:
        """``(surface, *features)`` per morpheme of *text* (``""`` for ``*`` or a missing field)."""
        return list(self.iter_fields(text))

    def iter_fields(self, text: str) -> Iterator[tuple[str, ...]]:
        """Like :meth:`__call__`, lazily."""
        flat = self.fields(text)
        it = iter(flat)
        return zip(*([it] * self._width), strict=True)
