"""Which codec a CSV/TSV export is written in, and decoding it with an error that says where it fails."""

from __future__ import annotations

import codecs

from voc.errors import InputError

#: Codecs tried first by the detector: voc reads Japanese exports, and on short texts an
#: unrestricted detector often prefers Big5 or GB18030 for CP932 bytes.
_JAPANESE_CODECS = ["cp932", "euc_jp", "iso2022_jp", "utf_16", "utf_16_le", "utf_16_be", "utf_8"]
_SAMPLE_BYTES = 1_000_000
_NAMES = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "utf_8": "utf-8"}


def detect_encoding(data: bytes) -> str:
    """Name the codec of *data*: a BOM wins, then strict UTF-8, then charset-normalizer.

    charset-normalizer is asked first among Japanese codecs (CP932, EUC-JP, ISO-2022-JP, UTF-16),
    then among all codecs. Shift_JIS is reported as ``cp932``, its superset that Excel writes.
    When the detector has no answer, BOM-less UTF-16 is recognised by its NUL bytes; otherwise the
    answer is ``cp932`` (and the decoder then says where it fails).
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    sample = data
    if len(data) > _SAMPLE_BYTES:  # cut at a line end so no multi-byte character is split
        cut = data.rfind(b"\n", 0, _SAMPLE_BYTES)
        sample = data[: cut + 1] if cut > 0 else data[:_SAMPLE_BYTES]
    for isolation in (_JAPANESE_CODECS, None):
        best = from_bytes(sample, cp_isolation=isolation).best()
        if best is not None and best.encoding:
            return _NAMES.get(best.encoding.lower(), best.encoding)
    # No answer, which happens for BOM-less UTF-16 with emoji or rare symbols: ASCII delimiters and
    # digits then leave a NUL byte in every other position.
    half = max(1, len(sample) // 2)
    for codec, zeros in (("utf_16_le", sample[1::2]), ("utf_16_be", sample[0::2])):
        if zeros.count(0) > 0.3 * half:
            try:
                data.decode(codec)
                return codec
            except UnicodeDecodeError:
                pass
    return "cp932"


def decode(data: bytes, encoding: str, path: str, detected: bool) -> str:
    """*data* as text; an :class:`InputError` naming the line and the ``encoding`` setting if it fails."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        how = "detected" if detected else "given"
        raise InputError(
            f"cannot decode the bytes at line {line} with the {how} encoding {encoding} ({exc.reason})",
            path=path,
            hint="save the export as UTF-8, or name its encoding: --encoding cp932 (or utf-8, utf-16, "
            'euc_jp), encoding = "cp932" in the [input] section of the config',
        ) from None
    except LookupError:
        raise InputError(
            f"unknown encoding {encoding!r}",
            path=path,
            hint="use a Python codec name such as utf-8, utf-8-sig, cp932, utf-16, euc_jp, or 'auto'",
        ) from None
