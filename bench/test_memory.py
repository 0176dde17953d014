"""Memory of the test suite without running it in one process (issue 28).

    python -m bench.test_memory                       # every tests/test_*.py, one process each
    python -m bench.test_memory tests/test_dask.py tests/test_cli.py

Each file runs in its own ``pytest --rss`` process (:mod:`tests.conftest`) after
:mod:`bench._pytest_warm` has loaded what nearly every file loads (imports, chiVe, the MeCab
taggers). Per file it prints the process' peak RSS (``ru_maxrss``) and what the file
added to the warmed process (RSS after its last test minus before its first). The whole suite in
one process (``make test``) then peaks at about

    warm base + sum of what each file adds + the largest transient (peak - after) of one file,

an upper bound as far as files share caches (each file's first use of a shared thing is counted).
A file whose process passes ``--limit-mb`` is killed and reported.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_LINE = re.compile(r"^\s*([+-]\d+) added\s+(\d+) after\s+(\d+) peak\s+(\S+)")


def _watch(proc: subprocess.Popen[str], limit_mb: float, killed: list[bool]) -> None:
    import psutil

    while proc.poll() is None:
        try:
            p = psutil.Process(proc.pid)
            mb = sum(c.memory_info().rss for c in [p, *p.children(recursive=True)]) / 2**20
        except psutil.Error:
            return
        if mb > limit_mb:
            killed.append(True)
            proc.kill()
            return
        time.sleep(0.2)


def run_file(path: str | list[str], limit_mb: float, timeout: float) -> dict[str, object]:
    """One test file (or several, in one process) in a warmed ``pytest --rss`` process: peak,
    base, added, seconds, outcome; ``lines``: the per-file lines of ``--rss``."""
    paths = [path] if isinstance(path, str) else list(path)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "bench._pytest_warm", "--rss", *paths]
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    killed: list[bool] = []
    threading.Thread(target=_watch, args=(proc, limit_mb, killed), daemon=True).start()
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        killed.append(True)
    row: dict[str, object] = {"file": path, "s": round(time.perf_counter() - t0), "rc": proc.returncode,
                              "killed": bool(killed), "added": None, "after": None, "peak": None}
    found = [m for m in map(_LINE.match, out.splitlines()) if m]
    row["lines"] = [m[0].strip() for m in found]
    session = re.search(r"session: (\d+) before the first file, (\d+) after the last, (\d+) peak", out)
    if session:  # the whole process: from before the first file to after the last one
        base, after, peak = (int(x) for x in session.groups())
        row.update(base=base, after=after, peak=peak, added=after - base)
    tail = [ln for ln in out.splitlines() if " passed" in ln or " failed" in ln or "error" in ln.lower()]
    row["result"] = tail[-1].strip("= ") if tail else ""
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.test_memory", description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", help="test files (default: every tests/test_*.py)")
    ap.add_argument("--together", action="store_true", help="run the files in one process (as make test does)")
    ap.add_argument("--limit-mb", type=float, default=8000, help="kill a file's processes above this RSS")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per file")
    args = ap.parse_args(argv)
    files = args.files or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_*.py"))
    if args.together:
        r = run_file(files, args.limit_mb, args.timeout)
        print("\n".join(str(x) for x in r["lines"]))  # type: ignore[union-attr]
        print(f"one process, {len(files)} files: base {r.get('base')} MB, after {r['after']} MB, peak {r['peak']} MB, "
              f"{r['s']} s, {'KILLED' if r['killed'] else r['result']}")
        return 0
    rows = []
    print("| file | peak MB | added MB | transient MB | s | result |\n|---|---|---|---|---|---|", flush=True)
    for f in files:
        r = run_file(f, args.limit_mb, args.timeout)
        rows.append(r)
        trans = (r["peak"] - r["after"]) if r["peak"] is not None else None  # type: ignore[operator]
        res = "KILLED (limit/timeout)" if r["killed"] else r["result"]
        print(f"| {f} | {r['peak']} | {r['added']} | {trans} | {r['s']} | {res} |", flush=True)
    ok = [r for r in rows if r["added"] is not None]
    if ok:
        base = min(r["base"] for r in ok)  # type: ignore[type-var]
        added = sum(max(0, r["added"]) for r in ok)  # type: ignore[type-var,misc]
        trans = max(r["peak"] - r["after"] for r in ok)  # type: ignore[operator]
        print(f"\nwarm base {base} MB + files add {added} MB + largest transient {trans} MB "
              f"= whole suite in one process about {base + added + trans} MB (upper bound; {len(ok)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
