"""An exclusive, crash-safe lock that keeps two runs off the same output folder or history.

The lock is an OS advisory lock (``flock``) on a small file beside the thing it protects. The
operating system releases it when the holding process ends for any reason, SIGKILL included, so a
killed run never leaves a stale lock behind; the file itself stays and is reused.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from voc.errors import VocError

__all__ = ["LockedError", "lock_path", "run_lock"]


class LockedError(VocError):
    """Another voc run holds the lock on the same output folder or history."""

    exit_code = 1


def lock_path(target: str | Path) -> Path:
    """The lock file for *target*: ``.<name>.lock`` in the same folder."""
    target = Path(target)
    return target.parent / f".{target.name}.lock"


def _acquire(target: Path) -> IO[str]:
    path = lock_path(target)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
    except OSError as exc:
        raise VocError(f"cannot create the lock file {path}: {exc.strerror or exc}") from exc
    try:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            fh.close()
            raise LockedError(f"another voc run is using {target} (lock file {path})") from None
    except OSError:
        fh.seek(0)
        holder = fh.read().strip() or "unknown process"
        fh.close()
        raise LockedError(
            f"another voc run is writing {target} ({holder}); wait for it to finish, or use another "
            f"output folder. The lock ({path}) is released as soon as that process ends, even if it is killed."
        ) from None
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()} on {socket.gethostname()}, started {time.strftime('%Y-%m-%dT%H:%M:%S%z')}\n")
    fh.flush()
    return fh


@contextlib.contextmanager
def run_lock(*targets: str | Path | None) -> Iterator[None]:
    """Hold the locks of every *target* (``None`` skipped) for the duration of the block.

    Raises
    ------
    LockedError
        When another process holds one of them; nothing is waited for.
    """
    paths = sorted({Path(os.path.abspath(t)) for t in targets if t})  # no resolve(): `latest` is a symlink
    held: list[IO[str]] = []
    try:
        for p in paths:
            held.append(_acquire(p))
        yield
    finally:
        for fh in reversed(held):
            fh.close()  # closing the descriptor releases the flock
