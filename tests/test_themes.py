"""ThemeModel follows scikit-learn's conventions and is deterministic."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from voc.clean import normalize_text
from voc.errors import ConfigError, InputError, NotFittedError
from voc.themes import ThemeModel
from voc.tokenize import Tokenizer

from .conftest import SAMPLE_CSV


@pytest.fixture(scope="module")
def texts() -> list[str]:
    df = pd.read_csv(SAMPLE_CSV, dtype=str, keep_default_na=False)
    reasons = [normalize_text(t) for t in df["lost_reason"] if len(t.strip()) > 6]
    return reasons[:400]


@pytest.fixture(scope="module")
def fitted(texts) -> ThemeModel:
    return ThemeModel(n_themes=6, random_state=3).fit(texts)


def test_fit_sets_fitted_attributes(fitted, texts):
    assert fitted.labels_.shape == (len(texts),)
    assert fitted.n_themes_ == 6
    assert set(fitted.keywords_) == set(range(6))
    for words in fitted.keywords_.values():
        assert words and all(isinstance(w, str) and w for w, _ in words)
    assert set(fitted.timings_) >= {"embed", "reduce", "cluster"}


def test_keywords_are_japanese_not_stripped_to_ascii(fitted):
    words = [w for ws in fitted.keywords_.values() for w, _ in ws]
    assert sum(any("\u3040" <= ch <= "\u9fff" for ch in w) for w in words) > len(words) / 2


def test_same_seed_same_themes(fitted, texts):
    again = ThemeModel(n_themes=6, random_state=3).fit(texts)
    np.testing.assert_array_equal(again.labels_, fitted.labels_)
    assert again.keywords_ == fitted.keywords_


def test_init_stores_params_and_clone_round_trips(fitted):
    params = fitted.get_params()
    assert params["n_themes"] == 6 and params["random_state"] == 3
    copy = clone(fitted)
    assert copy.get_params() == params
    assert not hasattr(copy, "topic_model_") and not hasattr(copy, "labels_")


def test_transform_of_training_texts_matches_labels(fitted, texts):
    labels = fitted.transform(texts[:100])
    assert (labels == fitted.labels_[:100]).mean() > 0.95


def test_save_load_round_trip(fitted, texts, tmp_path):
    path = tmp_path / "model.pkl"
    fitted.save(path)
    loaded = ThemeModel.load(path)
    assert "_tagger" not in loaded.tokenizer_.__dict__  # the MeCab tagger is not pickled
    np.testing.assert_array_equal(loaded.transform(texts[:50]), fitted.transform(texts[:50]))


def test_tokenizer_pickles_after_use():
    tok = Tokenizer()
    assert tok("価格が高い") == pickle.loads(pickle.dumps(tok))("価格が高い")


def test_transform_before_fit_raises():
    with pytest.raises(NotFittedError, match="fit"):
        ThemeModel().transform(["価格が高い"])


def test_too_few_texts_is_a_clear_error():
    with pytest.raises(InputError, match="at least 10"):
        ThemeModel(n_themes=2).fit(["価格が高い", "予算がない", "。"])


def test_unknown_reduction_is_a_config_error(texts):
    with pytest.raises(ConfigError, match="reduction must be one of"):
        ThemeModel(n_themes=3, reduction="tsne").fit(texts[:50])


def test_auto_mode_on_a_small_corpus_gives_several_themes(texts):
    model = ThemeModel(n_themes="auto", random_state=0).fit(texts[:60])
    assert 2 <= model.n_themes_ <= 20
    assert (model.labels_ >= 0).mean() >= 0.9
    assert np.bincount(model.labels_[model.labels_ >= 0]).max() < 0.8 * len(model.labels_)


def test_unknown_clustering_is_a_config_error(texts):
    with pytest.raises(ConfigError, match="clustering must be one of"):
        ThemeModel(n_themes=3, clustering="hdbscan").fit(texts[:50])  # type: ignore[arg-type]


@pytest.mark.parametrize("clustering", ["kmeans", "consensus", "em", "consensus-em"])
def test_every_clustering_fits_and_assigns_consistently(texts, clustering):
    model = ThemeModel(n_themes=5, clustering=clustering, random_state=0)
    labels = model.fit_transform(texts[:200])
    assert model.n_themes_ == 5
    assert set(labels[labels >= 0]) == set(range(5))  # BERTopic's ids 0..k-1, by size
    again = model.transform(texts[:200])
    assert np.mean(again == labels) > 0.95


@pytest.mark.parametrize("fit_sample", [0, 150])  # everything in one fit, or a sample then assignment
def test_the_configured_clustering_reaches_the_model(texts, fit_sample):
    from voc.config import Config, ModelConfig, ScaleConfig
    from voc.pipeline import theme_model

    config = Config(model=ModelConfig(n_themes=4, clustering="kmeans"), scale=ScaleConfig(fit_sample=fit_sample, n_jobs=1))
    model = theme_model(config).fit(texts[:300])
    assert (len(model.sample_) < 300) == bool(fit_sample)  # the path this case is meant to take
    assert model.clustering == "kmeans" and model.clusterer_.method == "kmeans"
    assert model.clusterer_.vocabulary_ == {}  # no word model is built for plain k-means
    assert len(model.labels_) == 300 and set(model.labels_[model.labels_ >= 0]) == set(range(4))


@pytest.mark.parametrize("fit_sample", [0, 150])
def test_configured_consensus_runs_reach_the_clusterer(texts, fit_sample):
    from voc.config import Config, ModelConfig, ScaleConfig
    from voc.pipeline import theme_model

    config = Config(model=ModelConfig(n_themes=4, clustering="consensus", consensus_runs=5),
                    scale=ScaleConfig(fit_sample=fit_sample, n_jobs=1))
    model = theme_model(config).fit(texts[:300])
    assert (len(model.sample_) < 300) == bool(fit_sample)
    assert model.consensus_runs == 5 and model.clusterer_.n_runs == 5
    assert model.n_jobs == 1 and model.clusterer_.n_jobs == 1  # [scale] n_jobs reaches the k-means runs


def test_auto_k_and_themes_do_not_depend_on_n_jobs(texts):
    tok = Tokenizer()
    tokens = tok.tokenize_many(texts)
    one = ThemeModel(n_themes="auto", random_state=5, tokenizer=tok, n_jobs=1).fit(texts, tokens=tokens)
    two = ThemeModel(n_themes="auto", random_state=5, tokenizer=tok, n_jobs=2).fit(texts, tokens=tokens)
    assert len(one.k_stability_) > 1 and one.k_stability_ == two.k_stability_
    np.testing.assert_array_equal(one.labels_, two.labels_)


@pytest.mark.parametrize("fit_sample", [0, 150])
def test_report_progress_reaches_the_consensus_runs(monkeypatch, texts, fit_sample):
    # voc report shows progress bars when stderr is a terminal; the clustering's k-means runs,
    # most of the theme fit's time, get one on both fit paths.
    import tqdm.auto

    from voc.config import Config, ModelConfig, ScaleConfig
    from voc.pipeline import theme_model

    descs: list[str] = []
    real = tqdm.auto.tqdm

    def recording(*args, **kwargs):
        descs.append(kwargs.get("desc", ""))
        return real(*args, **{**kwargs, "disable": True})

    monkeypatch.setattr(tqdm.auto, "tqdm", recording)
    config = Config(model=ModelConfig(n_themes=4, consensus_runs=3), scale=ScaleConfig(fit_sample=fit_sample, n_jobs=1))
    theme_model(config).fit(texts[:300], progress=True)
    assert "themes (k-means runs)" in descs
