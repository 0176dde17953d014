"""Write the benchmark results as a Markdown table and a PNG plot."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

STAGE_ORDER = ["read", "clean", "tokenize", "embed", "themes.sample", "themes.reduce", "themes.cluster",
               "themes.assign", "themes", "match", "label", "insights", "render", "history"]


def _rest(r: dict) -> float | None:
    """Wall time outside the timed stages: interpreter start-up, imports, the CLI (sub-stages such
    as ``themes.cluster`` are inside ``themes`` and not counted twice)."""
    stages = r.get("stages") or {}
    if not stages:
        return None
    return r["wall_s"] - sum(v for k, v in stages.items() if "." not in k)


TARGETS = {
    "tok_ratio": 0.7,
    "tok_speedup": 1.7,
    100_000: (90.0, 3 * 1024.0),
    1_000_000: (15 * 60.0, 8 * 1024.0),
    "naive_speedup": 5.0,
}


def _ok(cond: bool) -> str:
    return "yes" if cond else "**no**"


def _f(x: float, nd: int = 1) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{nd}f}"


def _by_size(records: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """Runs grouped by size, in order (``--repeats`` gives several per size)."""
    out: dict[int, list[dict[str, Any]]] = {}
    for r in records:
        out.setdefault(r["size"], []).append(r)
    return out


def _mean(runs: list[dict[str, Any]], key: str) -> float:
    return sum(r[key] for r in runs) / len(runs)


def _spread(runs: list[dict[str, Any]], key: str, nd: int) -> str:
    """The mean, with the range when there are several runs."""
    if len(runs) == 1:
        return _f(runs[0][key], nd)
    return f"{_f(_mean(runs, key), nd)} ({_f(min(r[key] for r in runs), nd)}–{_f(max(r[key] for r in runs), nd)})"


def _stage_name(stage: str, runs: list[dict[str, Any]]) -> str:
    # since the clean stage reuses name masking's MeCab parse for the tokens, run.json has no
    # "tokenize" stage: say where that time went
    if stage == "clean" and not any("tokenize" in r.get("stages", {}) for r in runs):
        return "clean (with tokenize)"
    return stage


def markdown(res: dict[str, Any]) -> str:
    m = res["machine"]
    out = [
        f"# voc benchmark — {res['started']}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']:.0f} GB RAM, Python {m['python']}, "
        f"load average {m['load_before']} before / {m['load_after']} after the run"
        + (" (shared with other jobs: compare ratios, not absolute speeds)." if m.get("shared") else ".")
        + (f" Child runs with OMP/BLAS threads = {m['threads']}." if m.get("threads") else ""),
        "",
        f"Command: `{res['command']}`",
        "",
    ]
    tok = res.get("tokenizer")
    if tok:
        out += [
            f"## Tokenizer throughput ({tok['texts']:,} notes, {tok['mean_chars']:.0f} chars on average, "
            + (f"fastest of {tok['rounds']} interleaved rounds per block of {tok['block_size']} notes)"
               if tok.get("block_size") else f"best of {tok['rounds']} interleaved rounds)"),
            "",
            "| method | notes/s | × tagger.parse |",
            "|---|---:|---:|",
            *(f"| {r['name']} | {r['texts_per_s']:,.0f} | {r['vs_parse']:.2f} |" for r in tok["rows"]),
            "",
            f"- voc Tokenizer in one process: **{tok['ratio_1proc']:.2f}×** `tagger.parse` "
            f"(target ≥ {TARGETS['tok_ratio']}: {_ok(tok['ratio_1proc'] >= TARGETS['tok_ratio'])})"
            + (f"; best whole pass against best whole pass: {tok['ratio_1proc_whole']:.2f}×"
               if tok.get("ratio_1proc_whole") else ""),
            f"- with {tok['jobs']} worker processes: **{tok['speedup_jobs']:.2f}×** its one-process speed "
            f"(target ≥ {TARGETS['tok_speedup']}: {_ok(tok['speedup_jobs'] >= TARGETS['tok_speedup'])})",
            "",
        ]
    e2e = res.get("e2e", [])
    if e2e:
        stages = [s for s in STAGE_ORDER if any(s in r.get("stages", {}) for r in e2e)]
        stages += sorted({s for r in e2e for s in r.get("stages", {})} - set(stages))
        repeated = any(r.get("run", 1) > 1 for r in e2e)
        seed_head, seed_rule = ("seed | ", "---:|") if repeated else ("", "")
        opts = res.get("voc_options") or {}
        config = ("config [model] " + ", ".join(f"{k} = {v!r}" for k, v in opts.items())
                  if opts else "themes = auto, default config")
        out += [
            f"## End to end: `voc report` ({res.get('text_column', 'call_note')}, {config})",
            "",
            f"| notes (rows) | {seed_head}texts analysed | wall s | peak RSS GB | peak PSS GB | themes | NMI | "
            + " | ".join(_stage_name(s, e2e) for s in stages)
            + " | start-up and the rest |",
            f"|---:|{seed_rule}---:|---:|---:|---:|---:|---:|" + "---:|" * (len(stages) + 1),
        ]
        for r in e2e:
            seed = f"{r.get('seed', '–')} | " if repeated else ""
            if r.get("timed_out"):
                out.append(f"| {r['size']:,} | {seed}– | > {_f(r['wall_s'])} (killed) | ≥ {r['peak_rss_mb'] / 1024:.2f} "
                           "| – | – | – |" + " – |" * (len(stages) + 1))
                continue
            out.append(
                f"| {r['size']:,} | {seed}{r['texts']:,} | {_f(r['wall_s'])} | {r['peak_rss_mb'] / 1024:.2f} | "
                f"{_gb(r.get('peak_pss_mb'))} | {r['n_themes']} | {_f(r['nmi'], 3)} | "
                + " | ".join(_f(r["stages"].get(s)) for s in stages)
                + f" | {_f(_rest(r))} |"
            )
        out.append("")
        if repeated:
            for size, runs in _by_size(e2e).items():
                done = [r for r in runs if not r.get("timed_out")]
                if len(done) > 1:
                    out.append(f"- {size:,} notes, mean (range) of {len(done)} runs: wall {_spread(done, 'wall_s', 1)} s, "
                               f"NMI {_spread(done, 'nmi', 3)}")
            out.append("")
        for r in e2e:
            if r["size"] in TARGETS and not r.get("timed_out"):
                wall, rss = TARGETS[r["size"]]
                out.append(
                    f"- {r['size']:,} notes: {_f(r['wall_s'])} s (target ≤ {wall:.0f}: {_ok(r['wall_s'] <= wall)}), "
                    f"peak RSS {r['peak_rss_mb'] / 1024:.2f} GB (target ≤ {rss / 1024:.0f}: "
                    f"{_ok(r['peak_rss_mb'] <= rss)})"
                )
        out.append("")
    naive = res.get("naive", [])
    if naive:
        voc_runs = {size: [r for r in runs if not r.get("timed_out")] for size, runs in _by_size(e2e).items()}
        several = any(len(runs) > 1 for runs in [*_by_size(naive).values(), *voc_runs.values()])
        out += [
            "## Against the naive BERTopic reference (same notes, same LSA embeddings)",
            "",
            *(["Means over the runs of each size, ranges in brackets; the speed-up and the NMI verdict "
               "compare the means.", ""] if several else []),
            "| notes | naive wall s | naive peak RSS GB | naive themes (outliers) | naive NMI | voc wall s | voc NMI "
            "| speed-up | NMI ≥ naive |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for size, runs in _by_size(naive).items():
            v = voc_runs.get(size) or None
            done = [r for r in runs if not r.get("timed_out")]
            voc_wall = _spread(v, "wall_s", 1) if v else "–"
            voc_nmi = _spread(v, "nmi", 3) if v else "–"
            if not done:  # every naive run was killed: its time is a lower bound
                r = runs[0]
                speed = r["wall_s"] / _mean(v, "wall_s") if v else float("nan")
                out.append(
                    f"| {size:,} | > {_f(r['wall_s'])} (killed) | ≥ {r['peak_rss_mb'] / 1024:.2f} | – | – | "
                    f"{voc_wall} | {voc_nmi} | ≥ {_f(speed)}× | – |"
                )
                continue
            speed = _mean(done, "wall_s") / _mean(v, "wall_s") if v else float("nan")
            themes = "/".join(str(r["n_themes"]) for r in done)
            outliers = "/".join(f"{r['outliers']:,}" for r in done)
            out.append(
                f"| {size:,} | {_spread(done, 'wall_s', 1)} | {max(r['peak_rss_mb'] for r in done) / 1024:.2f} | "
                f"{themes} ({outliers}) | {_spread(done, 'nmi', 3)} | {voc_wall} | {voc_nmi} | **{_f(speed)}×** "
                f"(target ≥ {TARGETS['naive_speedup']:.0f}: {_ok(speed >= TARGETS['naive_speedup'])}) | "
                f"{_ok(bool(v) and _mean(v, 'nmi') >= _mean(done, 'nmi'))} |"
            )
        out.append("")
    out += _before_after(res)
    for err in res.get("errors", []):
        out.append(f"- error: {err}")
    return "\n".join(out) + "\n"


def _before_after(res: dict[str, Any]) -> list[str]:
    """``--baseline-src``: each voc run against the baseline tree's run of the same export and seed,
    run right after it; the ratio of the means and whether the assignments are byte-identical."""
    base = res.get("baseline", [])
    if not base:
        return []
    out = [
        f"## Before and after (baseline: `{res.get('baseline_src', '')}`, run after each voc run)",
        "",
        *([f"Baseline options: {', '.join(f'{k} = {v!r}' for k, v in res['baseline_options'].items())}", ""]
          if res.get("baseline_options") and res["baseline_options"] != res.get("voc_options") else []),
        "| notes | voc wall s | baseline wall s | voc / baseline (means) | voc peak RSS GB | baseline peak RSS GB "
        "| voc peak PSS GB | baseline peak PSS GB | same assignments.csv |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    now = _by_size(res.get("e2e", []))
    for size, b_runs in _by_size(base).items():
        v = [r for r in now.get(size, []) if not r.get("timed_out")]
        b = [r for r in b_runs if not r.get("timed_out")]
        if not v or not b:
            continue
        pairs = {(r["run"]): r for r in v}
        same = all(pairs.get(r["run"], {}).get("assignments_sha256") == r.get("assignments_sha256") for r in b)
        ratio = _mean(v, "wall_s") / _mean(b, "wall_s")
        out.append(
            f"| {size:,} | {_spread(v, 'wall_s', 1)} | {_spread(b, 'wall_s', 1)} | **{ratio:.2f}** | "
            f"{max(r['peak_rss_mb'] for r in v) / 1024:.2f} | {max(r['peak_rss_mb'] for r in b) / 1024:.2f} | "
            f"{_gb(max(r.get('peak_pss_mb', 0) for r in v))} | {_gb(max(r.get('peak_pss_mb', 0) for r in b))} | "
            f"{'yes' if same else 'no'} |"
        )
    out.append("")
    return out


def plot(res: dict[str, Any], path: Path) -> Path | None:
    # one bar per size: its first run (the default seed with --repeats), and the naive reference's first
    e2e = [runs[0] for runs in _by_size([r for r in res.get("e2e", []) if not r.get("timed_out")]).values()]
    naive, tok = [runs[0] for runs in _by_size(res.get("naive", [])).values()], res.get("tokenizer")
    if not (e2e or tok):
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    ax = axes[0]
    if e2e:
        stages = [s for s in STAGE_ORDER if any(s in r["stages"] for r in e2e)]
        labels = [f"{r['size']:,}" for r in e2e]
        bottom = [0.0] * len(e2e)

        def value(r: dict[str, Any], s: str) -> float:
            st = r["stages"]
            if s == "themes":  # the rest of the theme fit (c-TF-IDF, …): reduce and cluster are stacked apart
                return max(0.0, st.get(s, 0.0) - st.get("themes.reduce", 0.0) - st.get("themes.cluster", 0.0))
            return st.get(s, 0.0)

        for s in stages:
            vals = [value(r, s) for r in e2e]
            ax.bar(labels, vals, bottom=bottom, label=s)
            bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
        ax.plot(labels, [r["wall_s"] for r in e2e], "k_", markersize=30, label="wall (process)")
        for r in naive:
            if f"{r['size']:,}" in labels:
                ax.plot([f"{r['size']:,}"], [r["wall_s"]], "rv", markersize=10,
                        label="naive BERTopic" if r is naive[0] else None)
        ax.set_xlabel("notes")
        ax.set_ylabel("seconds")
        ax.set_title("voc report: time per stage")
        ax.legend(fontsize=7, ncol=2)
    ax = axes[1]
    if tok:
        names = [r["name"].replace(" (", "\n(") for r in tok["rows"]]
        ax.barh(names, [r["vs_parse"] for r in tok["rows"]], color="tab:blue")
        ax.axvline(TARGETS["tok_ratio"], color="r", ls="--", label="target 0.7")
        ax.axvline(1.0, color="k", lw=0.8)
        ax.set_xlabel("throughput × tagger.parse (same texts, same run)")
        ax.set_title("tokenizer")
        ax.tick_params(axis="y", labelsize=7)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _gb(mb: float | None) -> str:
    """*mb* in GB with two decimals; ``–`` when not measured (results written before PSS was)."""
    return f"{mb / 1024:.2f}" if mb else "–"
