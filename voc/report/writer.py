"""Write a report folder: ``index.html`` (and the rest of the site), ``summary.md``, ``themes.csv``,
``subthemes.csv``, ``themes.xlsx``, ``assignments.csv``, ``rejected.csv`` and ``run.json``.

Crash safety. Every file is written into a temporary folder beside the target, flushed to disk, and
the folder is renamed to its run-date name; only then (and, in ``voc report``, only once the run
history has recorded the run) is the ``latest`` link switched to it (one atomic ``rename`` of a
symbolic link). A run that dies at any point, SIGKILL included, leaves the
previous report where it was::

    reports/
      2026-11-27T060000Z/     one folder per successful run
      2026-11-28T060000Z/
      latest -> 2026-11-28T060000Z
      .latest.lock            held by the running process (see voc._lock)

When the output folder is not called ``latest`` (``--out /srv/voc/sales``), run folders are named
``sales.<run-date>`` beside it and ``sales`` is the link. Leftover temporary folders of killed runs
are removed by the next run. Where symbolic links are not available, the folder is replaced by
renames instead (the old one is moved aside first, then removed).
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from voc.errors import VocError
from voc.report.markdown import render_markdown
from voc.report.model import SUBTHEME_COLUMNS, ReportModel
from voc.report.record import OutputInfo, RunRecord
from voc.report.site import site_files

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["write_report", "write_run_folder", "link_report", "run_folder_name", "REPORT_FILES"]

log = logging.getLogger(__name__)

REPORT_FILES = (
    "index.html",
    "summary.md",
    "themes.csv",
    "subthemes.csv",
    "themes.xlsx",
    "assignments.csv",
    "rejected.csv",
    "run.json",
)

_FIXES = {
    errno.ENOSPC: "the disk is full; free space or write the report elsewhere with --out",
    errno.EDQUOT: "the disk quota is exceeded; free space or write the report elsewhere with --out",
    errno.EACCES: "permission denied; check the owner and permissions of the folder or choose --out",
    errno.EPERM: "operation not permitted; check the owner and permissions of the folder or choose --out",
    errno.EROFS: "the file system is read-only; choose a writable folder with --out",
}


def _error(what: str, path: Path, exc: OSError) -> VocError:
    fix = _FIXES.get(exc.errno or -1, exc.strerror or str(exc))
    return VocError(f"cannot {what} {path}: {fix} ({exc.strerror or exc}); the previous report is unchanged")


def run_folder_name(out: Path, stamp: str) -> str:
    """``<stamp>`` when *out* is called ``latest``, else ``<out.name>.<stamp>``."""
    return stamp if out.name == "latest" else f"{out.name}.{stamp}"


def _link_to(folder: Path) -> Path | None:
    """A symbolic link beside *folder* that points to it, if there is one."""
    try:
        for entry in os.scandir(folder.parent):
            if entry.is_symlink() and os.readlink(entry.path) == folder.name:
                return Path(entry.path)
    except OSError:
        return None
    return None


def _write(path: Path, data: str | bytes) -> None:
    mode = "wb" if isinstance(data, bytes) else "w"
    kwargs = {} if isinstance(data, bytes) else {"encoding": "utf-8", "newline": ""}
    with open(path, mode, **kwargs) as fh:  # type: ignore[call-overload]
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _csv(frame: pd.DataFrame) -> bytes:
    """CSV file bytes by :func:`voc.report._csv.csv_bytes`: UTF-8 with a byte-order mark (Excel reads
    Japanese right), formulas defused in every cell and column name, line breaks in cells quoted."""
    from voc.report._csv import csv_bytes

    return csv_bytes(frame)


def _files(model: ReportModel, assignments: pd.DataFrame, rejected: pd.DataFrame, run: RunRecord,
           mentions: pd.DataFrame | None = None) -> dict:
    import pandas as pd

    html = site_files(model)
    files: dict[str, str | bytes] = dict(html) if isinstance(html, dict) else {"index.html": html}
    files["summary.md"] = render_markdown(model)
    columns = ["theme_id", "label", "size", "share", "keywords", "quotes"]
    if model.unit == "statement":
        columns[3:3] = ["mentions", "deals"]
    files["themes.csv"] = _csv(pd.DataFrame(model.theme_records(), columns=columns))
    sub_columns = list(SUBTHEME_COLUMNS)
    if model.unit == "statement":
        sub_columns[sub_columns.index("size") + 1 : sub_columns.index("size") + 1] = ["mentions"]
    files["subthemes.csv"] = _csv(pd.DataFrame(model.subtheme_records(), columns=sub_columns))
    files["assignments.csv"] = _csv(assignments)
    if mentions is not None:
        files["mentions.csv"] = _csv(mentions)
    files["rejected.csv"] = _csv(rejected)
    files["run.json"] = run.to_json()
    from voc.report.excel import render_excel

    files["themes.xlsx"] = render_excel(model, assignments)
    return files


def _remove_leftovers(root: Path, name: str) -> None:
    """Temporary folders and links of killed runs (the caller holds the lock)."""
    for p in root.glob(f".{name}.tmp-*"):
        log.info("removing %s left by an interrupted run", p)
        if p.is_symlink() or p.is_file():
            p.unlink(missing_ok=True)
        else:
            shutil.rmtree(p, ignore_errors=True)


def _switch(out: Path, target_name: str) -> None:
    """Point the link *out* at the sibling *target_name*, atomically."""
    root = out.parent
    if out.exists() and not out.is_symlink():
        if not out.is_dir():
            raise VocError(f"cannot write the report to {out}: it is a file; choose another --out")
        if not any(out.iterdir()):
            out.rmdir()
            return _switch(out, target_name)
        aside = root / run_folder_name(out, "previous-" + time.strftime("%Y-%m-%dT%H%M%SZ", time.gmtime()))
        log.warning("moving the report folder %s to %s to replace it by a link", out, aside)
        os.replace(out, aside)
    link = root / f".{out.name}.tmp-link-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(target_name, link, target_is_directory=True)
    os.replace(link, out)
    _fsync_dir(root)


def _replace_folder(out: Path, folder: Path) -> None:  # pragma: no cover - only without symlinks
    copy = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    shutil.rmtree(copy)
    shutil.copytree(folder, copy)
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.tmp-old-{os.getpid()}"
        os.replace(out, old)
    os.replace(copy, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_report(
    out_dir: str | Path,
    model: ReportModel,
    assignments: pd.DataFrame,
    rejected: pd.DataFrame,
    run: RunRecord,
    *,
    stamp: str | None = None,
    mentions: pd.DataFrame | None = None,
) -> Path:
    """Write every report file into a new run folder and point *out_dir* at it; returns *out_dir*.

    :func:`write_run_folder` then :func:`link_report`; the pipeline calls them apart, to record
    the run in the history in between (a killed run never leaves ``latest`` on an unrecorded run).
    The parameters and errors are :func:`write_run_folder`'s.
    """
    return link_report(out_dir, write_run_folder(out_dir, model, assignments, rejected, run, stamp=stamp,
                                                 mentions=mentions))


def write_run_folder(
    out_dir: str | Path,
    model: ReportModel,
    assignments: pd.DataFrame,
    rejected: pd.DataFrame,
    run: RunRecord,
    *,
    stamp: str | None = None,
    mentions: pd.DataFrame | None = None,
) -> Path:
    """Write every report file into a new run folder beside *out_dir*; returns the folder. The
    link *out_dir* is not touched: :func:`link_report` switches it.

    Parameters
    ----------
    out_dir
        The path at which the latest report is read (``reports/latest``). It becomes a symbolic
        link to the run folder ``<run-date>`` beside it (see the module docstring).
    assignments, rejected
        Written as CSV as they are (UTF-8 with a byte-order mark, ``\\n`` line ends). *assignments* may hold
        ``subtheme_id`` (``-1``: none) and ``subtheme_label`` (empty: none); they are written too,
        in ``assignments.csv`` and in the workbook's 割り当て sheet.
    run
        Written as ``run.json``; its ``output`` is set to the run folder's name.
    mentions
        ``mentions.csv``, one line per statement (statement units only; ``None``: not written).
    stamp
        Run-date name of the folder (default: the current UTC time, ``2026-11-28T060000Z``).

    Raises
    ------
    VocError
        Exit code 1, with the path and the fix, when the disk is full, permission is denied or the
        file system is read-only. The previous report is left as it was.
    """
    out = Path(out_dir)
    root = out.parent
    if out.is_dir() and not out.is_symlink() and any(out.iterdir()) and not (out / "run.json").is_file():
        raise VocError(
            f"{out} is a folder that does not hold a voc report (no run.json); voc would replace it. "
            "Choose a new or empty folder with --out or [output] dir"
        )
    if out.is_dir() and not out.is_symlink():
        link = _link_to(out)
        if link is not None:  # e.g. a path passed through realpath: each run would nest a longer name
            raise VocError(
                f"{out} is the run folder that the report link {link} points to; write to the link "
                f"instead (--out {link}), so that each run gets its own folder beside it"
            )
    stamp = stamp or time.strftime("%Y-%m-%dT%H%M%SZ", time.gmtime())
    name = run_folder_name(out, stamp)
    k = 1
    while os.path.lexists(root / name):  # never reuse a folder, even one from the same second
        k += 1
        name = run_folder_name(out, f"{stamp}-{k}")
    run.output = OutputInfo(folder=name, link=out.name)
    files = _files(model, assignments, rejected, run, mentions)
    try:
        root.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(root, out.name)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=root))
    except OSError as exc:
        raise _error("create the output folder", root, exc) from exc
    try:
        for rel, data in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            _write(path, data)
        os.chmod(tmp, 0o755)
        _fsync_dir(tmp)
        os.replace(tmp, root / name)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _error("write the report to", root / name, exc) from exc
    return root / name


def link_report(out_dir: str | Path, folder: Path) -> Path:
    """Point the link *out_dir* at the run *folder* (written by :func:`write_run_folder` beside
    it) in one atomic rename; returns *out_dir*."""
    out = Path(out_dir)
    try:
        try:
            _switch(out, folder.name)
        except (NotImplementedError, AttributeError):  # pragma: no cover - no symlinks here
            _replace_folder(out, folder)
    except OSError as exc:
        raise _error("switch the report link", out, exc) from exc
    log.info("report folder %s, %s → %s", folder, out, folder.name)
    return out
