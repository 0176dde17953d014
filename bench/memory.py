"""Memory of repeated reports in one process (issue 28): ``voc.pipeline.run_report`` N times.

    python -m bench.memory                      # 5 runs of corpus/voc.toml, RSS after each
    python -m bench.memory --runs 3 --tracemalloc --top 15   # and the Python objects that grew

Each run writes to a fresh temporary folder (its own run history too, so every run is a first run
and does the same work). After each run the result is dropped and ``gc.collect()`` runs; the line
printed is the resident set size of this process (``/proc/self/statm``; forked workers have exited
by then; ``--trim`` first gives freed heap back to the system, to tell fragmentation from leaks). What a long-lived process (a notebook, a scheduler, the test suite) keeps per report is
the growth per run after the first: ``(RSS after run N - RSS after run 1) / (N - 1)``. The target
is at most 20 MB (docs/performance.md, "Memory").

``--tracemalloc`` traces Python allocations (slower) and, at the end, lists the source lines whose
live allocations grew most from run 1 to run N; memory that grows in RSS but not there is native
(MeCab, BLAS, DuckDB, malloc arenas).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    """Resident set size of this process in MB (Linux ``/proc/self/statm``; else the peak)."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # pragma: no cover - not Linux
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def growth_per_run(rss: list[float]) -> float:
    """MB kept per run after the first: ``(rss[-1] - rss[0]) / (len(rss) - 1)`` (0 for one run)."""
    return (rss[-1] - rss[0]) / (len(rss) - 1) if len(rss) > 1 else 0.0


def _trim() -> None:
    """Give freed heap back to the system (glibc ``malloc_trim``), so RSS shows what is still held."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _watch_stages(kept: dict[str, float]) -> None:
    """Wrap ``voc.pipeline._Timer.stage`` to add each stage's RSS change (after ``gc.collect()``)
    to *kept*."""
    from contextlib import contextmanager

    from voc import pipeline

    timed = pipeline._Timer.stage

    @contextmanager
    def stage(self, name):  # type: ignore[no-untyped-def]
        before = rss_mb()
        with timed(self, name):
            yield
        gc.collect()
        kept[name] = kept.get(name, 0.0) + rss_mb() - before

    pipeline._Timer.stage = stage  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.split("\n")[0])
    ap.add_argument("--config", default=str(ROOT / "corpus" / "voc.toml"), help="voc config (default: the sample's)")
    ap.add_argument("--runs", type=int, default=5, help="reports in this process (default 5)")
    ap.add_argument("--tracemalloc", action="store_true", help="trace Python allocations and list the top growers")
    ap.add_argument("--top", type=int, default=12, help="source lines to list with --tracemalloc")
    ap.add_argument("--stages", action="store_true", help="RSS kept by each pipeline stage, per run")
    ap.add_argument("--trim", action="store_true", help="call malloc_trim(0) before reading RSS (freed heap not counted)")
    args = ap.parse_args(argv)

    from voc.config import load_config
    from voc.pipeline import run_report

    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start(8)
    base = load_config(args.config)
    stages: dict[str, float] = {}
    if args.stages:
        _watch_stages(stages)
    rss: list[float] = []
    snaps = []
    print(f"# python -m bench.memory --runs {args.runs} --config {args.config}  (pid {os.getpid()})")
    print(f"start: {rss_mb():.0f} MB RSS")
    with tempfile.TemporaryDirectory(prefix="voc-memory-") as tmp:
        for i in range(args.runs):
            t0 = time.perf_counter()
            out = Path(tmp) / f"run{i}" / "latest"
            result = run_report(base.override({"output.dir": str(out)}))
            del result
            gc.collect()
            if args.trim:
                _trim()
            rss.append(rss_mb())
            extra = ""
            if args.tracemalloc:
                import tracemalloc

                snaps.append(tracemalloc.take_snapshot())
                extra = f", Python objects {tracemalloc.get_traced_memory()[0] / 2**20:.0f} MB"
            delta = f" (+{rss[-1] - rss[-2]:.0f})" if i else ""
            print(f"run {i + 1}: {rss[-1]:.0f} MB RSS{delta}{extra}, {time.perf_counter() - t0:.1f} s", flush=True)
            if stages:
                print("  RSS kept by stage (MB): " + ", ".join(f"{k} {v:+.0f}" for k, v in stages.items()))
                stages.clear()
    print(f"growth per run after the first: {growth_per_run(rss):.1f} MB (target <= 20)")
    if args.tracemalloc and len(snaps) > 1:
        print(f"\ntop growers, run 1 -> run {len(snaps)} (Python allocations):")
        for stat in snaps[-1].compare_to(snaps[0], "traceback")[: args.top]:
            print(f"  {stat.size_diff / 2**20:+.2f} MB  {stat.count_diff:+d} blocks")
            for line in stat.traceback.format()[-6:]:
                print("    " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
