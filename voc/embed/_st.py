"""Optional neural backend: a sentence-transformers model from a local folder, never downloaded.

``embedding = "sentence-transformers:/path/to/model"`` (extra ``voc[transformers]``). Embeddings are
cached on disk, keyed by the backend (model path and its config) and the SHA-1 of each text, so a
scheduled run only encodes texts it has not seen.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.preprocessing import normalize

from voc.embed._base import Embedder
from voc.errors import ConfigError, DependencyError

__all__ = ["SentenceTransformerEmbedder", "PREFIX"]

log = logging.getLogger(__name__)

PREFIX = "sentence-transformers:"


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "voc" / "embeddings"


class SentenceTransformerEmbedder(Embedder):
    """Encode texts with a local sentence-transformers model.

    Parameters
    ----------
    model_path : str
        Folder of a saved model (``SentenceTransformer.save``). Nothing is downloaded.
    batch_size : int
    cache_dir : str or None
        Where embeddings are cached; ``None`` uses ``$XDG_CACHE_HOME/voc/embeddings``
        (``~/.cache/voc/embeddings``). ``""`` turns the cache off.
    """

    def __init__(self, model_path: str, batch_size: int = 64, cache_dir: str | None = None) -> None:
        self.model_path = model_path
        self.batch_size = batch_size
        self.cache_dir = cache_dir

    def _load(self):  # noqa: ANN202 - SentenceTransformer, imported lazily
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise DependencyError(
                f"the sentence-transformers backend needs the optional extra ({exc}): "
                "pip install torch --index-url https://download.pytorch.org/whl/cpu && pip install 'voc[transformers]'"
            ) from exc
        path = Path(self.model_path)
        if not path.is_dir():
            raise ConfigError(
                f"embedding {PREFIX}{self.model_path}: no model folder there. voc never downloads models; "
                "save one locally first (SentenceTransformer(...).save(path)) and give its path"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        return SentenceTransformer(str(path), device="cpu", local_files_only=True)

    def _cache_file(self) -> Path | None:
        if self.cache_dir == "":
            return None
        root = Path(self.cache_dir) if self.cache_dir else _default_cache_dir()
        ident = str(Path(self.model_path).resolve())
        config = Path(self.model_path) / "config.json"
        if config.exists():
            ident += hashlib.sha1(config.read_bytes()).hexdigest()
        return root / f"st-{hashlib.sha1(ident.encode()).hexdigest()[:16]}.npz"

    def fit(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> SentenceTransformerEmbedder:
        self.model_ = self._load()
        return self

    def transform(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        cache: dict[str, np.ndarray] = {}
        path = self._cache_file()
        if path is not None and path.exists():
            with np.load(path) as z:
                cache = dict(zip(z["keys"].tolist(), z["vectors"], strict=True))
        missing = sorted({k for k in keys if k not in cache})
        if missing:
            first = {k: t for k, t in zip(keys, texts, strict=True) if k in set(missing)}
            vecs = self.model_.encode(
                [first[k] for k in missing], batch_size=self.batch_size, show_progress_bar=False, convert_to_numpy=True
            )
            cache.update(zip(missing, np.asarray(vecs, dtype=np.float32), strict=True))
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp.npz")
                np.savez(tmp, keys=np.array(list(cache)), vectors=np.stack(list(cache.values())))
                os.replace(tmp, path)
        log.info(
            "sentence-transformers: %d texts, %d encoded, %d from cache",
            len(texts),
            len(missing),
            len(texts) - len(missing),
        )
        X = np.stack([cache[k] for k in keys]) if keys else np.zeros((0, 1), dtype=np.float32)
        X[[i for i, t in enumerate(texts) if not t.strip()]] = 0.0
        return normalize(X).astype(np.float32)
