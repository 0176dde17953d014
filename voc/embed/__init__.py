"""Document embeddings: a small backend interface, offline implementations, and the embed stage.

Backends are chosen by name (``embedding = "lsa"`` in the config). Every backend works offline:
nothing is downloaded at run time.
"""

from __future__ import annotations

from voc.embed._base import Embedder
from voc.embed._corpus import embed_corpus
from voc.embed._factory import available_embedders, make_embedder

__all__ = ["Embedder", "available_embedders", "make_embedder", "embed_corpus"]
