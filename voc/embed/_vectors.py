"""Static word vectors read from the ``ja-ginza`` wheel (chiVe, 300 dimensions), without spaCy.

The wheel ``ja-ginza==5.3.0`` ships a spaCy vocabulary: ``vocab/vectors`` (a NumPy ``.npy`` array of
shape (20000, 300), ``float32``) and ``vocab/key2row`` (a MessagePack map from spaCy's 64-bit string
hash to a row; about 480,000 words map to those 20,000 rows). spaCy's hash of a string is
MurmurHash64A of its UTF-8 bytes with seed 1, implemented here so that neither spaCy nor msgpack is
needed. Install the data with ``pip install --no-deps ja-ginza==5.3.0`` (nothing is downloaded at run
time); the package is found with :func:`importlib.util.find_spec`, never imported.
"""

from __future__ import annotations

import importlib.util
import struct
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from voc.errors import DependencyError

__all__ = ["WordVectors", "load_chive", "murmurhash64a"]

_M = 0xC6A4A7935BD1E995
_MASK = 0xFFFFFFFFFFFFFFFF
_INSTALL = "pip install --no-deps ja-ginza==5.3.0"


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A (Austin Appleby) of *data*, as spaCy's ``hash_string`` computes it (seed 1)."""
    n = len(data)
    h = (seed ^ ((n * _M) & _MASK)) & _MASK
    n8 = n - n % 8
    for (k,) in struct.iter_unpack("<Q", data[:n8]):
        k = (k * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h ^= k
        h = (h * _M) & _MASK
    tail = data[n8:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    h ^= h >> 47
    return h


#: Encoded width in bytes of a MessagePack unsigned integer, by its first byte (0: not one).
_UINT_WIDTH = [1] * 0x80 + [0] * 0x80
for _code, _size in ((0xCC, 1), (0xCD, 2), (0xCE, 4), (0xCF, 8)):
    _UINT_WIDTH[_code] = 1 + _size


def _uint_starts(buf: bytes, pos: int, n: int) -> tuple[list[int], list[int]]:
    """Offsets of the *n* key/value pairs (MessagePack unsigned integers) that start at *pos*."""
    width = _UINT_WIDTH
    keys, values = [0] * n, [0] * n
    p = pos
    try:
        for i in range(n):
            keys[i] = p
            w = width[buf[p]]
            values[i] = p + w
            v = width[buf[p + w]]
            if not (w and v):
                bad = p if not w else p + w
                raise ValueError(f"unexpected MessagePack byte 0x{buf[bad]:02x} at {bad} (not an unsigned integer)")
            p += w + v
    except IndexError:
        raise ValueError(f"MessagePack map truncated after {len(buf)} bytes") from None
    if p > len(buf):
        raise ValueError(f"MessagePack map truncated after {len(buf)} bytes")
    if p < len(buf):
        raise ValueError(f"{len(buf) - p} bytes after the MessagePack map")
    return keys, values


def _decode_uints(a: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The unsigned integers that start at *starts* in the byte array *a*, vectorized by width."""
    code = a[starts]
    out = np.where(code <= 0x7F, code, 0).astype(np.uint64)
    for c, size in ((0xCC, 1), (0xCD, 2), (0xCE, 4), (0xCF, 8)):
        at = starts[code == c]
        if len(at):
            v = np.zeros(len(at), dtype=np.uint64)
            for b in range(size):
                v = (v << np.uint64(8)) | a[at + 1 + b].astype(np.uint64)
            out[code == c] = v
    return out


def _read_key2row(path: Path) -> dict[int, int]:
    """spaCy's ``key2row``: a MessagePack map of unsigned integers (hash → row).

    The offsets are found in one pass (the encoding has variable width); the integers are then
    decoded with NumPy: 0.24 s for chiVe's 480,443 entries, where decoding each one in Python took
    0.89 s (best of three reads on the 2-core machine of docs/performance.md).
    """
    buf = path.read_bytes()
    head = buf[0] if buf else 0
    if 0x80 <= head <= 0x8F:
        n, pos = head & 0x0F, 1
    elif head == 0xDE:
        n, pos = int.from_bytes(buf[1:3], "big"), 3
    elif head == 0xDF:
        n, pos = int.from_bytes(buf[1:5], "big"), 5
    else:
        raise ValueError(f"{path} is not a MessagePack map")
    try:
        key_at, value_at = _uint_starts(buf, pos, n)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    a = np.frombuffer(buf, dtype=np.uint8)
    keys = _decode_uints(a, np.asarray(key_at, dtype=np.int64))
    rows = _decode_uints(a, np.asarray(value_at, dtype=np.int64))
    return dict(zip(keys.tolist(), rows.astype(np.int64).tolist(), strict=True))


class WordVectors:
    """A read-only table of word vectors: ``vectors[rows_of(words)]``.

    Parameters
    ----------
    vectors : ndarray of shape (n_rows, dim)
    key2row : dict[int, int]
        spaCy string hash → row.
    name : str
    """

    def __init__(self, vectors: np.ndarray, key2row: dict[int, int], name: str) -> None:
        self.vectors = vectors
        self.key2row = key2row
        self.name = name

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def row(self, word: str) -> int:
        """Row of *word*, or -1 when it has no vector.

        A word in Latin letters that is missing as written is looked up lower-cased, upper-cased
        and capitalized: chiVe keys Sudachi's normalized forms, which spell some such words in
        lower case (csv, slack, saml) and others as written (SSO, iPhone).
        """
        row = self.key2row.get(murmurhash64a(word.encode("utf-8")), -1)
        if row < 0 and word.isascii() and any(c.isalpha() for c in word):
            for form in (word.lower(), word.upper(), word.capitalize()):
                if form != word:
                    row = self.key2row.get(murmurhash64a(form.encode("utf-8")), -1)
                    if row >= 0:
                        break
        return row

    def rows(self, words: Sequence[str]) -> np.ndarray:
        return np.array([self.row(w) for w in words], dtype=np.int64)


def _ginza_vocab_dir() -> Path:
    spec = importlib.util.find_spec("ja_ginza")
    if spec is None or not spec.submodule_search_locations:
        raise DependencyError(
            "the 'chive' embeddings need the chiVe word vectors shipped in the ja-ginza wheel "
            f"(59 MB, no spaCy needed): {_INSTALL}"
        )
    root = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(root.glob("ja_ginza-*/vocab/vectors"))
    if not found:
        raise DependencyError(f"ja_ginza is installed at {root} but has no vocab/vectors file; reinstall: {_INSTALL}")
    return found[-1].parent


@lru_cache(maxsize=1)
def load_chive() -> WordVectors:
    """The chiVe vectors of the installed ``ja-ginza`` wheel (read once per process)."""
    vocab = _ginza_vocab_dir()
    vectors = np.load(vocab / "vectors", allow_pickle=False)
    key2row = _read_key2row(vocab / "key2row")
    return WordVectors(np.ascontiguousarray(vectors, dtype=np.float32), key2row, name=f"chiVe ({vocab.parent.name})")
