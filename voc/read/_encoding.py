"""Which codec a CSV/TSV export is written in, and decoding it with an error that says where it fails."""

from __future__ import annotations

import codecs

from voc.errors import InputError

#: Codecs tried first by the detector: voc reads Japanese exports, and on short texts an
#: unrestricted detector often prefers Big5 or GB18030 for CP932 bytes.
_JAPANESE_CODECS = ["cp932", "euc_jp", "iso2022_jp", "utf_16", "utf_16_le", "utf_16_be", "utf_8"]
_SAMPLE_BYTES = 1_000_000
_NAMES = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "utf_8": "utf-8"}


def _mostly(data: bytes, codec: str = "utf-8") -> bool:
    """True when at least 20 valid non-ASCII characters stand for every invalid byte sequence.

    Decoded as UTF-8, CP932 text is invalid at nearly every non-ASCII character (and the reverse);
    an export with one damaged byte is not. Naming another codec would put the error on line 2, or
    (a single-byte codec such as cp1256 decodes anything) read the whole file as mojibake.
    """
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii - bad >= 20 * bad


def detect_encoding(data: bytes) -> str:
    """Name the codec of *data*: a BOM wins, then UTF-8 (strict, or with a few damaged bytes among
    many valid multi-byte characters), then charset-normalizer.

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
        if _mostly(data):  # a UTF-8 file with a few damaged bytes: decode() names their line
            return "utf-8"
    from charset_normalizer import from_bytes

    sample = data
    if len(data) > _SAMPLE_BYTES:  # cut at a line end so no multi-byte character is split
        cut = data.rfind(b"\n", 0, _SAMPLE_BYTES)
        sample = data[: cut + 1] if cut > 0 else data[:_SAMPLE_BYTES]
    for isolation in (_JAPANESE_CODECS, None):
        best = from_bytes(sample, cp_isolation=isolation).best()
        if best is not None and best.encoding:
            return _NAMES.get(best.encoding.lower(), best.encoding)
        if isolation is not None:  # a Japanese export with a damaged byte: decode() names its line
            for codec in ("cp932", "euc_jp"):
                if _mostly(sample, codec):
                    return codec
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
        raise _decode_error(data, exc, encoding, path, detected) from None
    except LookupError:
        raise InputError(
            f"unknown encoding {encoding!r}",
            path=path,
            hint="use a Python codec name such as utf-8, utf-8-sig, cp932, utf-16, euc_jp, or 'auto'",
        ) from None


def _decode_error(data: bytes, exc: UnicodeDecodeError, encoding: str, path: str, detected: bool) -> InputError:
    """The error for undecodable bytes: their line (line breaks counted in the codec's own width),
    the byte offset in that line, the bytes and the text before them."""
    unit = b"\n\x00" if encoding.replace("-", "_").lower() in ("utf_16", "utf_16_le") else b"\n"
    if encoding.replace("-", "_").lower() == "utf_16_be":
        unit = b"\x00\n"
    before = data[: exc.start]
    line = before.count(unit) + 1
    start = before.rfind(unit) + len(unit) if unit in before else 0
    prefix = data[start : exc.start].decode(encoding, errors="replace")[-20:].strip("\ufeff")
    how = "detected" if detected else "given"
    return InputError(
        f"cannot decode the bytes {data[exc.start : exc.end + 3][:6]!r} at line {line}, byte {exc.start - start + 1} "
        f"of that line (after {prefix!r}) with the {how} encoding {encoding} ({exc.reason})",
        path=path,
        hint=f"fix or remove the damaged bytes on line {line}, save the export as UTF-8, or name its encoding: "
        '--encoding cp932 (or utf-8, utf-16, euc_jp), encoding = "cp932" in the [input] section of the config',
    )
