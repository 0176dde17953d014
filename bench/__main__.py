"""``python -m bench`` (``make bench``): tokenizer throughput, end-to-end time and memory per stage,
and the naive BERTopic reference, on synthetic notes from ``corpus/generate.py``.

    python -m bench                                  # everything: 10k, 100k, 1M (long)
    python -m bench --sizes 10000 --naive-sizes 10000 --tokenizer-texts 5000
    python -m bench --only tokenizer

Results go to ``bench/results/`` (Markdown + PNG + JSON); the newest is also ``latest.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _ints(s: str) -> list[int]:
    return [int(float(x)) for x in s.split(",") if x.strip()] if s else []


def _machine(shared: bool) -> dict[str, Any]:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "ram_gb": ram,
        "python": platform.python_version(),
        "load_before": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "shared": shared,
    }


def _write(res: dict[str, Any], out: Path, stamp: str) -> str:
    """Write (or rewrite, after each run) the Markdown, JSON and plot; returns the Markdown."""
    from bench import _report

    res["machine"]["load_after"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    md = _report.markdown(res)
    png = _report.plot(res, out / f"bench-{stamp}.png")
    if png:
        md += f"\n![benchmark plot]({png.name})\n"
    (out / f"bench-{stamp}.md").write_text(md, encoding="utf-8")
    (out / f"bench-{stamp}.json").write_text(json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8")
    (out / "latest.md").write_text(md.replace(png.name, "latest.png") if png else md, encoding="utf-8")
    if png:
        (out / "latest.png").write_bytes(png.read_bytes())
    return md


def _options(items: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` strings as a dict; VALUE as an int or float where it reads as one."""
    out: dict[str, Any] = {}
    for item in items:
        key, eq, value = item.partition("=")
        if not eq or not key.strip() or not value.strip():
            raise ValueError(f"--voc-option wants KEY=VALUE, got {item!r}")
        if key.strip() == "seed":
            raise ValueError("--voc-option seed: the model seed is set per run (42, 0, 1, … with --repeats)")
        v: Any = value.strip()
        for cast in (int, float):
            try:
                v = cast(v)
                break
            except ValueError:
                pass
        out[key.strip()] = v
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000,1000000", help="end-to-end sizes (notes), comma-separated")
    p.add_argument("--naive-sizes", default="10000,100000", help="sizes for the naive BERTopic reference ('' = none)")
    p.add_argument("--tokenizer-texts", type=int, default=20000, help="notes for the tokenizer benchmark")
    p.add_argument("--rounds", type=int, default=5, help="interleaved rounds of the tokenizer benchmark")
    p.add_argument("--block-size", type=int, default=250,
                   help="notes per timed block of the tokenizer benchmark (each keeps its fastest round)")
    p.add_argument("--jobs", type=int, default=2, help="worker processes for the parallel tokenizer")
    p.add_argument("--only", choices=["tokenizer", "e2e", "naive"], action="append",
                   help="run only these parts (repeatable)")
    p.add_argument("--seed", type=int, default=7, help="generator seed")
    p.add_argument("--out", type=Path, default=HERE / "results")
    p.add_argument("--shared", action="store_true", help="note in the results that the machine was shared")
    p.add_argument("--timeout", type=float, default=3600, help="seconds before a child run is killed")
    p.add_argument("--naive-timeout", type=float, default=0,
                   help="seconds before a naive run is killed (its time is then reported as a lower bound)")
    p.add_argument("--threads", type=int, default=1,
                   help="OpenMP/BLAS threads of the voc and naive child runs (0: leave the environment alone); "
                   "1 by default because oversubscribed OpenMP threads on a busy machine slowed k-means 8×")
    p.add_argument("--text-column", default="call_note", choices=["call_note", "lost_reason"],
                   help="column analysed (NMI against its ground-truth theme)")
    p.add_argument("--repeats", type=int, default=1,
                   help="runs per size of voc (model seeds 42, 0, 1, …) and of the naive reference (its UMAP is "
                   "unseeded); the comparison uses the means, since one run's NMI at 40 themes moves with the seed")
    p.add_argument("--voc-option", action="append", default=[], metavar="KEY=VALUE",
                   help="a [model] setting of voc's config for every voc run, e.g. n_themes=60 or "
                   "clustering=kmeans, or another section's as SECTION.KEY=VALUE (units.unit=row) "
                   "(repeatable; default: voc's defaults with themes = auto)")
    p.add_argument("--baseline-src", type=Path, metavar="DIR",
                   help="also run the voc of this source tree (e.g. a `git worktree` of an earlier commit) "
                   "right after each voc run, same export and seed: a before/after table, same run")
    p.add_argument("--distinct-statements", action="store_true",
                   help="mark every statement of the export distinct (bench/_data.py distinct_statements): the "
                   "generator's statements repeat far more than real notes', and voc does repeated work once")
    p.add_argument("--baseline-voc-option", action="append", default=[], metavar="KEY=VALUE",
                   help="a setting for the baseline's runs only, over --voc-option (repeatable): with "
                   "--baseline-src . the same tree twice, e.g. units.unit=row against statements")
    a = p.parse_args(argv)
    if a.baseline_voc_option and a.baseline_src is None:
        p.error("--baseline-voc-option needs --baseline-src (the tree the baseline runs; '.' for this one)")
    if a.baseline_src is not None and not (a.baseline_src / "voc" / "__init__.py").is_file():
        p.error(f"--baseline-src {a.baseline_src}: no voc/__init__.py there (give the root of a voc checkout)")
    try:
        voc_options = _options(a.voc_option)
        baseline_options = {**voc_options, **_options(a.baseline_voc_option)}
    except ValueError as exc:
        p.error(str(exc))
    env = dict(os.environ)
    if a.threads:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(a.threads)
    parts = set(a.only or ["tokenizer", "e2e", "naive"])

    from bench import _data, _e2e, _tokenizer

    _e2e.TEXT_COLUMN = a.text_column
    _e2e.TRUTH_COLUMN = f"{a.text_column}_theme"

    a.out.mkdir(parents=True, exist_ok=True)
    cache = a.out / "data"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    res: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M %Z"),
        "command": "python -m bench " + " ".join(shlex.quote(x) for x in (argv if argv is not None else sys.argv[1:])),
        "machine": {**_machine(a.shared), "threads": a.threads},
        "text_column": a.text_column,
        "voc_options": voc_options,
        "baseline_options": baseline_options if a.baseline_src else {},
        "errors": [],
        "e2e": [],
        "naive": [],
        "baseline": [],
        "baseline_src": str(a.baseline_src) if a.baseline_src else "",
    }

    def say(msg: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    if "tokenizer" in parts and a.tokenizer_texts:
        say(f"tokenizer: {a.tokenizer_texts:,} notes")
        texts = _data.notes(a.tokenizer_texts, a.seed, cache)
        res["tokenizer"] = _tokenizer.run(texts, rounds=a.rounds, jobs=a.jobs, block_size=a.block_size)
        say(f"tokenizer: {res['tokenizer']['ratio_1proc']:.2f}× parse, {res['tokenizer']['speedup_jobs']:.2f}× with {a.jobs} jobs")
        _write(res, a.out, stamp)
    res["e2e"], res["naive"] = [], []
    voc_sizes = _ints(a.sizes) if "e2e" in parts else []
    naive_sizes = _ints(a.naive_sizes) if "naive" in parts else []
    if a.repeats < 1:
        p.error("--repeats must be at least 1")
    seeds = [42, *range(a.repeats - 1)]  # voc's model seed per run: the default config's 42 first
    for kind, sizes in (("voc", voc_sizes), ("naive", naive_sizes)):  # voc first: its failures show early
        for size in sizes:
            export, truth = _data.export(size, a.seed, cache, distinct=a.distinct_statements)
            for rep, model_seed in enumerate(seeds):
                say(f"{kind}: {size:,} notes" + (f" (run {rep + 1} of {a.repeats})" if a.repeats > 1 else ""))
                work = a.out / "runs" / f"{kind}_{size}"
                limit = a.timeout if kind == "voc" else (a.naive_timeout or a.timeout)
                try:
                    if kind == "voc":
                        r = _e2e.run_voc(export, truth, work, extra={**voc_options, "seed": model_seed}, timeout=limit, env=env)
                        r["seed"] = model_seed
                    else:
                        r = _e2e.run_naive(export, truth, work, timeout=limit, env=env)
                except _e2e.TimedOut as exc:
                    r = {"timed_out": True, "wall_s": exc.wall_s, "peak_rss_mb": exc.peak_rss_mb}
                    say(str(exc))
                except RuntimeError as exc:
                    res["errors"].append(str(exc).splitlines()[0])
                    say(str(exc))
                    continue
                res["e2e" if kind == "voc" else "naive"].append({"size": size, "run": rep + 1, **r})
                say(f"{kind}: {size:,} notes in {r['wall_s']:.1f}s, {r['peak_rss_mb']:.0f} MB RSS, {r.get('peak_pss_mb', 0):.0f} MB PSS, "
                    f"NMI {r.get('nmi', float('nan')):.3f}")
                if kind == "voc" and a.baseline_src is not None:
                    say(f"baseline ({a.baseline_src}): {size:,} notes")
                    try:
                        b = _e2e.run_voc(export, truth, a.out / "runs" / f"baseline_{size}",
                                         extra={**baseline_options, "seed": model_seed}, timeout=limit, env=env,
                                         src=a.baseline_src)
                    except (RuntimeError, _e2e.TimedOut) as exc:
                        res["errors"].append(f"baseline: {str(exc).splitlines()[0]}")
                        say(str(exc))
                    else:
                        res["baseline"].append({"size": size, "run": rep + 1, "seed": model_seed, **b})
                        say(f"baseline: {size:,} notes in {b['wall_s']:.1f}s, {b['peak_rss_mb']:.0f} MB")
                _write(res, a.out, stamp)
    md = _write(res, a.out, stamp)
    print(md)
    say(f"written to {a.out / f'bench-{stamp}.md'}")
    return 1 if res["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
