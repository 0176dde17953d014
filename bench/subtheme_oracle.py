"""Where do two levels lose against one? voc's sub-theme split applied to the gold top-level groups.

``voc evaluate --sublabel-column`` scores voc's (theme, sub-theme) pairs against leaf labels next to
a flat fit at the number of leaves (docs/quality.md, "Names and sub-themes"). A pair can be wrong
because its theme is (a text in the wrong theme is in no right pair), or because the split of a
right theme is. This script separates the two: per seed it splits the *gold* top-level groups with
the same :func:`voc.subthemes.find_subthemes` call ``voc evaluate`` makes (same embedding, tokens
and phrase names) and prints NMI / ARI / pairs of those pairs against the leaves, and of the gold
groups alone. When the gold groups split well, the deficit is in the top level.

    python -m bench.subtheme_oracle ../shared/data/asdc_food_subtopics.csv --text-column text \\
        --label-column top --sublabel-column label
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> None:
    import numpy as np

    from bench._labeled import parser
    from voc.clean import normalize_text
    from voc.embed import make_embedder
    from voc.evaluate import read_labels
    from voc.evaluate.metrics import pair_scores
    from voc.naming import PhraseNamer
    from voc.subthemes import find_subthemes
    from voc.tokenize import Tokenizer

    p = parser("python -m bench.subtheme_oracle", __doc__.splitlines()[0])
    p.add_argument("--sublabel-column", required=True)
    p.add_argument("--embedding", default="lsa+chive")
    a = p.parse_args(argv)
    texts, (top, leaf) = read_labels(
        a.input, text_column=a.text_column, label_columns=[a.label_column, a.sublabel_column],
        label_file=a.label_file, ignore_labels=a.ignore_label,
    )
    rows = [(normalize_text(t), y, s) for t, y, s in zip(texts, top, leaf, strict=True)]
    rows = [r for r in rows if r[0] and r[2]]
    texts = [r[0] for r in rows]
    _, groups = np.unique([r[1] for r in rows], return_inverse=True)
    leaves = [r[2] for r in rows]
    tokens = Tokenizer().tokenize_many(texts)
    whole = pair_scores(groups, np.full(len(groups), -1), leaves)
    print(f"{len(texts):,} texts, {groups.max() + 1} groups, {len(set(leaves))} leaves")
    print("| seed | gold groups split: NMI / ARI / pairs | gold groups alone: NMI / ARI |")
    print("|---|---|---|")
    for seed in [int(s) for s in a.seeds.split(",")]:
        emb = make_embedder(a.embedding, random_state=seed).fit_transform(texts, tokens)
        namer = PhraseNamer(random_state=seed)
        names = {g: n.phrases for g, n in namer.name(texts, groups).items()}
        subs = find_subthemes(texts, tokens, emb, groups, theme_names=names, namer=namer, random_state=seed).assignments
        s = pair_scores(groups, subs, leaves)
        print(f"| {seed} | {s['nmi']:.3f} / {s['ari']:.3f} / {s['n_pairs']} | {whole['nmi']:.3f} / {whole['ari']:.3f} |",
              flush=True)


if __name__ == "__main__":
    main()
