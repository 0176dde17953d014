"""Read a CRM export: the API of :mod:`voc.read` under the name ``voc.io``.

Every data row of the file is either in :attr:`Export.frame` or in :attr:`Export.rejected` (with a
reason from :data:`REJECT_REASONS`), so ``n_read == len(frame) + len(rejected)`` always holds.
"""

from __future__ import annotations

from voc.read import (
    DEFAULT_MAX_INPUT_MB,
    HEADER_SCAN_ROWS,
    REJECT_REASONS,
    Export,
    detect_encoding,
    read_export,
    read_table,
)

__all__ = [
    "Export",
    "read_export",
    "read_table",
    "detect_encoding",
    "REJECT_REASONS",
    "DEFAULT_MAX_INPUT_MB",
    "HEADER_SCAN_ROWS",
]
