"""Run a command in a child process and measure its wall time and peak resident memory.

Peak RSS is the largest sum, over the child and all its descendants (worker processes), of the
resident set sizes sampled every 0.1 s with psutil, and never less than the kernel's own peak for
the main child (``ru_maxrss`` from ``wait4``). A page a forked worker shares copy-on-write with its
parent counts once per process in that sum, so it overstates what the processes hold together
while workers run. Peak PSS (proportional set size: each shared page divided among the processes
that map it, from ``/proc/PID/smaps_rollup``) is the largest sum of the same samples that counts
every page once: the memory the run takes from the machine.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    wall_s: float
    peak_rss_mb: float
    returncode: int
    stderr: str
    timed_out: bool = False
    peak_pss_mb: float = 0.0


def run(cmd: list[str], *, env: dict[str, str] | None = None, timeout: float | None = None,
        cwd: str | Path | None = None) -> Run:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is in requirements-dev.lock
        psutil = None
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True, cwd=cwd)
    peak = peak_pss = 0
    err_chunks: list[str] = []
    import threading

    def drain() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            err_chunks.append(line)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    ps = psutil.Process(proc.pid) if psutil else None
    ru_maxrss_kb = 0
    killed = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            ru_maxrss_kb = usage.ru_maxrss
            break
        if ps is not None:
            try:
                total = total_pss = 0
                for p in [ps, *ps.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                        total_pss += _pss(p)
                    except psutil.Error:
                        pass
                peak, peak_pss = max(peak, total), max(peak_pss, total_pss)
            except psutil.Error:
                pass
        if timeout is not None and time.perf_counter() - t0 > timeout and not killed:
            killed = True
            for child in ps.children(recursive=True) if ps is not None else []:
                child.kill()
            proc.kill()
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    reader.join(timeout=5)
    peak = max(peak, ru_maxrss_kb * 1024)
    return Run(wall_s=wall, peak_rss_mb=peak / 2**20, returncode=proc.returncode, stderr="".join(err_chunks),
               timed_out=killed, peak_pss_mb=peak_pss / 2**20)


def _pss(process: object) -> int:
    """*process*'s proportional set size in bytes (its RSS where the kernel does not report PSS)."""
    info = process.memory_full_info()  # type: ignore[attr-defined]
    return int(getattr(info, "pss", info.rss))
