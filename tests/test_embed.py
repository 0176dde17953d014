"""Embedding backends: selection by name, guards, determinism, the chiVe reader."""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest
from sklearn.base import clone

from voc.embed import available_embedders, make_embedder
from voc.embed._vectors import _read_key2row, murmurhash64a
from voc.errors import ConfigError, DependencyError

TEXTS = [
    "導入費用が高いため見送り",
    "予算が付かなかった",
    "競合製品の方が安かった",
    "価格が予算オーバー",
    "既存システムとの連携ができない",
    "API連携が弱い",
    "セキュリティ要件を満たさない",
    "SSOに対応していない",
    "決裁者の承認が下りなかった",
    "稟議が通らなかった",
    "",
]
TOKENS = [
    ["導入費用", "導入", "費用", "高い", "見送り"],
    ["予算", "付く"],
    ["競合製品", "競合", "製品", "安い"],
    ["価格", "予算", "オーバー"],
    ["既存システム", "既存", "システム", "連携"],
    ["API", "連携", "弱い"],
    ["セキュリティー", "要件", "満たす"],
    ["SSO", "対応"],
    ["決裁者", "決裁", "承認", "下りる"],
    ["稟議", "通る"],
    [],
]

HAS_CHIVE = importlib.util.find_spec("ja_ginza") is not None
needs_chive = pytest.mark.skipif(not HAS_CHIVE, reason="chiVe vectors absent: pip install --no-deps ja-ginza==5.3.0")


def test_unknown_backend_names_the_choices() -> None:
    with pytest.raises(ConfigError, match="embedding must be one of"):
        make_embedder("word2vec")


@pytest.mark.parametrize("name", ["lsa", "lsa-char"])
def test_lsa_backends_are_deterministic_and_normalized(name: str) -> None:
    a = make_embedder(name, random_state=3).fit_transform(TEXTS, TOKENS)
    b = make_embedder(name, random_state=3).fit_transform(TEXTS, TOKENS)
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.float32 and a.shape[0] == len(TEXTS)
    norms = np.linalg.norm(a, axis=1)
    np.testing.assert_allclose(norms[:-1], 1.0, rtol=1e-5)


def test_lsa_of_a_one_word_vocabulary_is_the_tfidf_itself() -> None:
    # TruncatedSVD needs two features: a column of one repeated word ("関東" in every row after
    # min_df) raised "Found array with 1 feature(s)" instead of embedding the texts
    from voc.embed._lsa import LSAEmbedder

    texts = ["関東"] * 300 + [""] * 10
    tokens = [["関東"]] * 300 + [[]] * 10
    emb = LSAEmbedder(random_state=0).fit_transform(texts, tokens)
    assert emb.shape == (310, 1) and emb.dtype == np.float32
    np.testing.assert_allclose(emb[:300, 0], 1.0) and np.testing.assert_array_equal(emb[300:], 0.0)
    again = LSAEmbedder(random_state=0).fit(texts, tokens).transform(texts[:2], tokens[:2])
    np.testing.assert_array_equal(again, emb[:2])


def test_murmurhash64a_matches_spacy_reference_values() -> None:
    # The values spaCy's documentation shows for nlp.vocab.strings["coffee"] and ["apple"].
    assert murmurhash64a(b"coffee") == 3197928453018144401
    assert murmurhash64a(b"apple") == 8566208034543834098
    assert murmurhash64a("予算".encode()) != murmurhash64a("予算 ".encode())


def test_key2row_reader(tmp_path) -> None:
    # a MessagePack map16 {2**63+5: 3, 17: 70000}: uint64 key and uint32 value, positive fixint and uint8
    body = bytes([0xDE, 0x00, 0x02, 0xCF]) + (2**63 + 5).to_bytes(8, "big") + bytes([0x03])
    body += bytes([0x11, 0xCE]) + (70000).to_bytes(4, "big")
    path = tmp_path / "key2row"
    path.write_bytes(body)
    assert _read_key2row(path) == {2**63 + 5: 3, 17: 70000}


def test_key2row_reader_all_widths_and_bad_bytes(tmp_path) -> None:
    import pytest

    pairs = {0: 127, 200: 255, 65535: 256, 2**32 - 1: 65536, 2**64 - 1: 2**32}
    body = bytearray([0x85])  # fixmap of 5
    for k, v in pairs.items():
        for x in (k, v):
            if x <= 0x7F:
                body.append(x)
            else:
                size = next(s for s in (1, 2, 4, 8) if x < 2 ** (8 * s))
                body += bytes([{1: 0xCC, 2: 0xCD, 4: 0xCE, 8: 0xCF}[size]]) + x.to_bytes(size, "big")
    path = tmp_path / "key2row"
    path.write_bytes(bytes(body))
    assert _read_key2row(path) == pairs
    path.write_bytes(bytes(body[:-2]))
    with pytest.raises(ValueError, match="truncated"):
        _read_key2row(path)
    path.write_bytes(bytes([0x81, 0xA1, 0x61, 0x01]))  # a string key
    with pytest.raises(ValueError, match="0xa1"):
        _read_key2row(path)


def test_missing_chive_names_the_pip_command(monkeypatch) -> None:
    from voc.embed import _vectors

    _vectors.load_chive.cache_clear()
    real = importlib.util.find_spec
    monkeypatch.setattr(
        _vectors.importlib.util, "find_spec", lambda name, *a: None if name == "ja_ginza" else real(name, *a)
    )
    with pytest.raises(DependencyError, match=r"pip install --no-deps ja-ginza==5\.3\.0"):
        make_embedder("lsa+chive").fit_transform(TEXTS, TOKENS)
    monkeypatch.undo()
    _vectors.load_chive.cache_clear()


@needs_chive
def test_chive_lookup_and_sif_embeddings() -> None:
    from voc.embed._vectors import load_chive

    table = load_chive()
    assert table.vectors.shape == (20000, 300)
    for word in ("予算", "見積もり", "価格", "競合"):
        assert table.row(word) >= 0, word
    assert table.row("導入費用ではない語") == -1
    # Latin-letter words are found whatever their case: chiVe keys csv and saml in lower case but
    # SSO and iPhone as written (a plain lookup missed CSV, SAML, Slack, Watch, Xperia, GALAXY)
    key = table.key2row.get
    assert key(murmurhash64a(b"CSV")) is None and key(murmurhash64a(b"SAML")) is None
    assert table.row("CSV") == table.row("csv") >= 0 and table.row("SAML") == table.row("saml") >= 0
    assert table.row("sso") == table.row("SSO") >= 0 and table.row("Slack") == table.row("slack") >= 0
    assert table.row("Csv2") == -1  # no made-up matches
    sif = make_embedder("chive", random_state=0)
    X = sif.fit_transform(TEXTS, TOKENS)
    assert X.shape == (len(TEXTS), 300)
    assert np.linalg.norm(X[-1]) == 0  # nothing to embed stays zero
    # budget texts are closer to each other than to a security text
    assert X[1] @ X[3] > X[1] @ X[6]


@needs_chive
def test_sif_average_is_the_weighted_mean_of_each_documents_vectors() -> None:
    # _average builds one sparse (documents × table rows) product: check it against the plain
    # per-document definition, with repeated tokens, tokens without a vector and empty documents.
    from voc.embed._sif import SIFEmbedder

    docs = [["予算", "予算", "見積もり"], [], ["導入費用ではない語"], ["価格", "導入費用ではない語", "競合"], ["予算"]]
    sif = SIFEmbedder().fit(None, docs)
    table = sif._table()
    got = sif._average(docs)
    assert got.dtype == np.float32 and got.shape == (len(docs), 300)
    for i, doc in enumerate(docs):
        known = [t for t in doc if table.row(t) >= 0]
        if not known:
            assert not got[i].any()
            continue
        w = np.array([sif.weights_[t] for t in known], dtype=np.float64)
        vecs = table.vectors[[table.row(t) for t in known]].astype(np.float64)
        np.testing.assert_allclose(got[i], (w[:, None] * vecs).sum(axis=0) / len(known), rtol=1e-5, atol=1e-7)


@needs_chive
def test_combined_backend_clone_and_determinism() -> None:
    emb = make_embedder("lsa+chive", random_state=1)
    assert available_embedders()[0] == "lsa"
    twin = clone(emb)
    assert twin.get_params()["weights"] == emb.get_params()["weights"]
    a = emb.fit_transform(TEXTS, TOKENS)
    b = twin.fit_transform(TEXTS, TOKENS)
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(emb.transform(TEXTS, TOKENS), a, rtol=1e-5, atol=1e-6)
    assert a.shape[1] > 300


def test_sentence_transformers_guard_names_the_extra(monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.startswith("sentence_transformers"):
            raise ImportError("No module named 'sentence_transformers'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    emb = make_embedder("sentence-transformers:/nonexistent/model")
    with pytest.raises(DependencyError, match=r"voc\[transformers\]"):
        emb.fit(TEXTS, TOKENS)


# `make test` runs these in .venv-transformers with VOC_REQUIRE_TRANSFORMERS=1: there a missing
# extra fails instead of skipping.
_NO_EXTRA = importlib.util.find_spec("sentence_transformers") is None and not os.environ.get("VOC_REQUIRE_TRANSFORMERS")


@pytest.mark.skipif(_NO_EXTRA, reason="optional extra not installed: pip install 'voc[transformers]' (needs torch)")
def test_sentence_transformers_tiny_local_model_and_cache(tmp_path) -> None:
    from sentence_transformers import SentenceTransformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    try:  # sentence-transformers ≥ 6; `models` is the older (deprecated) home of the same modules
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:  # pragma: no cover - sentence-transformers 3–5
        from sentence_transformers.models import Pooling, Transformer

    # A tiny random BERT built and saved by the test itself: the real loading code runs, offline.
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted({c for t in TEXTS for c in t})]
    (tmp_path / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(tmp_path / "vocab.txt"), do_lower_case=False, tokenize_chinese_chars=True)
    bert = BertModel(
        BertConfig(
            vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32
        )
    )
    raw = tmp_path / "raw"
    bert.save_pretrained(raw)
    tok.save_pretrained(raw)
    word = Transformer(str(raw))
    dim = word.get_embedding_dimension() if hasattr(word, "get_embedding_dimension") else word.get_word_embedding_dimension()
    model = SentenceTransformer(modules=[word, Pooling(dim)])
    model.save(str(tmp_path / "st"))
    from voc.embed._st import SentenceTransformerEmbedder

    emb = SentenceTransformerEmbedder(str(tmp_path / "st"), cache_dir=str(tmp_path / "cache"))
    a = emb.fit_transform(TEXTS, TOKENS)
    assert a.shape == (len(TEXTS), 16) and np.linalg.norm(a[-1]) == 0
    assert list((tmp_path / "cache").glob("st-*.npz"))
    b = SentenceTransformerEmbedder(str(tmp_path / "st"), cache_dir=str(tmp_path / "cache")).fit_transform(
        TEXTS, TOKENS
    )
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.skipif(_NO_EXTRA, reason="optional extra not installed: pip install 'voc[transformers]' (needs torch)")
def test_sentence_transformers_never_downloads(tmp_path) -> None:
    with pytest.raises(ConfigError, match="never downloads"):
        make_embedder(f"sentence-transformers:{tmp_path / 'missing'}").fit(TEXTS, TOKENS)
