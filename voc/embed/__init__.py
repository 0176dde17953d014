"""Document embeddings: a small backend interface and offline implementations.

Backends are chosen by name (``embedding = "lsa"`` in the config). Every backend works offline:
nothing is downloaded at run time.
"""

from __future__ import annotations

from voc.embed._base import Embedder, available_embedders, make_embedder

__all__ = ["Embedder", "available_embedders", "make_embedder"]
