from __future__ import annotations

from pathlib import Path

import pytest

from voc.config import Config, load_config, parse_n_themes
from voc.errors import ConfigError


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "voc.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_load_config_resolves_paths_against_the_file(tmp_path):
    cfg = load_config(
        _write(
            tmp_path,
            '[input]\npath = "data/export.csv"\ntext_columns = "memo"\n'
            '[model]\nn_themes = 8\nseed = 7\n[output]\ndir = "out"\n',
        )
    )
    assert cfg.path == str((tmp_path / "data" / "export.csv").resolve())
    assert cfg.text_columns == ["memo"]
    assert cfg.n_themes == 8 and cfg.seed == 7
    assert cfg.out_dir == str(tmp_path / "out")


@pytest.mark.parametrize(
    "body, message",
    [
        ("[inptu]\npath = 'x'\n", "unknown section [inptu]"),
        ("[input]\ntext_column = 'x'\n", "unknown key 'text_column' in [input]"),
        ("[model]\nn_themes = 'many'\n", "n_themes must be 'auto' or an integer"),
        ("[model\n", "not valid TOML"),
        ("[model]\nclustering = 'hdbscan'\n", "clustering must be one of consensus-em"),
        ("[model]\nreduction = 'tsne'\n", "reduction must be one of none, umap"),
    ],
)
def test_bad_config_names_the_problem(tmp_path, body, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(_write(tmp_path, body))


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize("value, expected", [("auto", "auto"), (None, "auto"), ("12", 12), (3, 3)])
def test_parse_n_themes(value, expected):
    assert parse_n_themes(value) == expected


@pytest.mark.parametrize("value", [1, "0", "x", 2.5j])
def test_parse_n_themes_rejects(value):
    with pytest.raises(ConfigError):
        parse_n_themes(value)


def test_cli_values_override_file_values():
    cfg = Config(text_columns=["a"], seed=1).replace(text_columns=("b", "c"), seed=None, n_themes="5")
    assert cfg.text_columns == ("b", "c") and cfg.seed == 1 and cfg.n_themes == 5


def test_clustering_key(tmp_path):
    cfg = load_config(_write(tmp_path, '[model]\nclustering = "kmeans"\n'))
    assert cfg.clustering == "kmeans"
    assert load_config(_write(tmp_path, "[model]\nseed = 1\n")).clustering == "consensus-em"


def test_consensus_runs_key(tmp_path):
    assert load_config(_write(tmp_path, "[model]\nconsensus_runs = 60\n")).consensus_runs == 60
    assert load_config(_write(tmp_path, "[model]\nseed = 1\n")).consensus_runs == 30
    for bad in ("1", '"many"', "2.5", "true"):
        with pytest.raises(ConfigError, match="consensus_runs must be an integer"):
            load_config(_write(tmp_path, f"[model]\nconsensus_runs = {bad}\n"))
