"""An exclusive, crash-safe lock that keeps two runs off the same output folder or history.

The lock is an OS advisory lock (``flock``) on a small file beside the thing it protects. The
operating system releases it when the holding process ends for any reason, SIGKILL included, so a
killed run never leaves a stale lock behind; the file itself stays and is reused. A lock file that
is a symbolic link is refused, never followed (it could point at any file of the user's).
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from voc.errors import ConfigError, VocError

__all__ = ["LockedError", "lock_path", "run_lock", "refuse_symlink"]


class LockedError(VocError):
    """Another voc run holds the lock on the same output folder or history."""

    exit_code = 1


def lock_path(target: str | Path) -> Path:
    """The lock file for *target*: ``.<name>.lock`` in the same folder."""
    target = Path(target)
    return target.parent / f".{target.name}.lock"


def refuse_symlink(path: str | Path, what: str, fix: str) -> None:
    """Raise :class:`~voc.errors.ConfigError` (exit 2) when *path* is a symbolic link, even a
    dangling one: voc never writes through a link placed beside its reports (it could point at any
    file of the user's). *what* names the file in the message, *fix* says what to do instead."""
    path = Path(path)
    if path.is_symlink():
        raise ConfigError(
            f"{what} {path} is a symbolic link (to {os.readlink(path)}); voc does not write through links "
            f"placed beside its reports. {fix}"
        )


def _open_nofollow(path: Path) -> IO[str]:
    """``open(path, "a+")`` that refuses a symbolic link instead of following it (O_NOFOLLOW)."""
    refuse_symlink(path, "the lock file", "Remove the link; voc creates the lock file itself")
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link made between the check and the open
            refuse_symlink(path, "the lock file", "Remove the link; voc creates the lock file itself")
        raise
    return open(fd, "a+", encoding="utf-8")  # noqa: SIM115 - held until release


def _acquire(target: Path) -> IO[str]:
    path = lock_path(target)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = _open_nofollow(path)
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
    ConfigError
        (exit 2) When a lock file is a symbolic link, even a dangling one: it is never followed.
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
