"""The naive reference: what a first BERTopic pipeline for Japanese looks like.

``CountVectorizer(tokenizer=<fugashi function>)`` inside BERTopic, so every stage that needs words
re-tokenizes (the embedding's TF-IDF, BERTopic's c-TF-IDF and its topic representations); BERTopic's
default UMAP and HDBSCAN; the same offline LSA embeddings voc uses (no torch).

    python -m bench._naive EXPORT.csv TEXT_COLUMN OUT.json
"""

from __future__ import annotations

import json
import sys
import time
import unicodedata

#: Longest string handed to fugashi at once. BERTopic's c-TF-IDF joins each topic's documents
#: into one string (hundreds of kilobytes for a large topic of call notes at 100k), and fugashi's
#: node iterator segfaulted on such strings (600,000 characters did, 300,000 did not), which
#: killed the reference on 100k call notes. Cutting at a space before this length changes no
#: token: BERTopic joins the documents with spaces.
MAX_PIECE = 50_000


def _pieces(text: str) -> list[str]:
    """*text* cut at spaces into pieces of at most about ``MAX_PIECE`` characters."""
    if len(text) <= MAX_PIECE:
        return [text]
    pieces, start = [], 0
    while start < len(text):
        end = start + MAX_PIECE
        if end < len(text):
            cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        pieces.append(text[start:end])
        start = end
    return pieces


def main(argv: list[str]) -> None:
    export, column, out = argv
    import fugashi
    import pandas as pd
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer

    from voc.embed._lsa import LSAEmbedder

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    frame = pd.read_csv(export, dtype=str, keep_default_na=False)
    frame = frame[frame[column].str.strip() != ""]
    rows = frame.index.to_list()  # 0-based data rows, like voc's "row"
    texts = [unicodedata.normalize("NFKC", t) for t in frame[column]]
    timings["read+clean"] = time.perf_counter() - t0

    tagger = fugashi.Tagger()

    def tokenize(text: str) -> list[str]:
        out = []
        for piece in _pieces(text):
            for node in tagger(piece):
                f = node.feature
                if f.pos1 in ("名詞", "動詞", "形容詞"):
                    out.append(f.lemma if f.lemma and f.lemma != "*" else node.surface)
        return out

    t0 = time.perf_counter()
    embedder = LSAEmbedder(random_state=42)
    embeddings = embedder.fit_transform(texts, [tokenize(t) for t in texts])
    timings["tokenize+embed"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    model = BERTopic(
        language="multilingual",
        vectorizer_model=CountVectorizer(tokenizer=tokenize, token_pattern=None, lowercase=False),
    )
    topics, _ = model.fit_transform(texts, embeddings=embeddings)
    timings["bertopic.fit"] = time.perf_counter() - t0
    info = {
        "stages": timings,
        "texts": len(texts),
        "n_themes": int(len(set(topics) - {-1})),
        "outliers": int(sum(1 for t in topics if t == -1)),
        "labels": {str(r): int(t) for r, t in zip(rows, topics, strict=True)},
    }
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(info, fh)


if __name__ == "__main__":
    main(sys.argv[1:])
