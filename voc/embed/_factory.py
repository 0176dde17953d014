"""Backends by name: the factory that knows every implementation (:mod:`voc.embed._base` holds only
the interface they share, so no backend imports its siblings through it)."""

from __future__ import annotations

from voc.embed._base import Embedder
from voc.errors import ConfigError

__all__ = ["available_embedders", "make_embedder"]


def available_embedders() -> list[str]:
    """Names accepted by :func:`make_embedder`."""
    return ["lsa", "lsa-char", "chive", "lsa+chive", "lsa-char+chive"]


def make_embedder(name: str, random_state: int | None = 42) -> Embedder:
    """Build a backend by name.

    ``"lsa"``: TF-IDF over the tokens reduced with TruncatedSVD. ``"lsa-char"``: the same over
    tokens plus character 2–3-grams of the text (robust to typos and spelling variants).
    ``"chive"``: SIF-weighted average of the chiVe word vectors shipped in the ``ja-ginza`` wheel
    (``pip install --no-deps ja-ginza==5.3.0``). ``"lsa+chive"`` / ``"lsa-char+chive"``: the LSA
    block concatenated with the chiVe block (equal weights; measured, see docs/quality.md).
    ``"sentence-transformers:/path"``: a local sentence-transformers model (extra ``voc[transformers]``),
    never downloaded, with an on-disk embedding cache.
    """
    from voc.embed._lsa import LSAEmbedder
    from voc.embed._sif import ConcatEmbedder, SIFEmbedder

    if name.startswith("sentence-transformers:"):
        from voc.embed._st import PREFIX, SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(model_path=name[len(PREFIX) :])
    if name not in available_embedders():
        raise ConfigError(
            f"embedding must be one of {available_embedders()} or 'sentence-transformers:/path/to/model', got {name!r}"
        )
    if name == "chive":
        return SIFEmbedder(random_state=random_state)
    lsa = LSAEmbedder(char_ngrams=name.startswith("lsa-char"), random_state=random_state)
    if not name.endswith("+chive"):
        return lsa
    return ConcatEmbedder([lsa, SIFEmbedder(random_state=random_state)], weights=[1.0, _CHIVE_WEIGHT])


#: Weight of the chiVe block next to the LSA block in the combined backends (measured, see docs/quality.md).
_CHIVE_WEIGHT = 1.0
