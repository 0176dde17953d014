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
    assert cfg.input.path == str((tmp_path / "data" / "export.csv").resolve())
    assert cfg.input.text_columns == ["memo"]
    assert cfg.model.n_themes == 8 and cfg.model.seed == 7
    assert cfg.output.dir == str(tmp_path / "out")


@pytest.mark.parametrize(
    "body, message",
    [
        ("[inptu]\npath = 'x'\n", "unknown section [inptu]"),
        ("[input]\ntext_column = 'x'\n", "unknown key 'text_column' in [input]"),
        ("[model]\nn_themes = 'many'\n", "n_themes must be 'auto' or an integer"),
        ("[model\n", "not valid TOML"),
        ("[model]\nclustering = 'hdbscan'\n",
         "[model] clustering must be one of {'consensus-em', 'consensus', 'em', 'kmeans'}, got 'hdbscan'"),
        ("[model]\nreduction = 'tsne'\n", "[model] reduction must be one of {'none', 'umap'}, got 'tsne'"),
        ("[model]\nseed = 'x'\n", "[model] seed must be an integer, got 'x'"),
        ("[input]\nsegment_columns = 3\n", "[input] segment_columns must be a list of strings, got 3"),
        ("[clean]\nmask_pii = ['email', 'iban']\n", "[clean] mask_pii must be true or false or a list of"),
        ("[history]\nmatch_threshold = 1.5\n", "[history] match_threshold must be a number between 0 and 1, got 1.5"),
        ("[scale]\nfit_sample = -5\n", "[scale] fit_sample must be an integer ≥ 0, got -5"),
        ("[history]\nenabled = 'yes'\n", "[history] enabled must be true or false, got 'yes'"),
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
    cfg = Config.from_dict({"input": {"text_columns": ["a"]}, "model": {"seed": 1}})
    cfg = cfg.override({"input.text_columns": ("b", "c"), "model.seed": None, "model.n_themes": "5"})
    assert cfg.input.text_columns == ["b", "c"] and cfg.model.seed == 1 and cfg.model.n_themes == 5


def test_overrides_are_validated_too():
    with pytest.raises(ConfigError, match=r"command line: \[model\] clustering must be one of"):
        Config().override({"model.clustering": "hdbscan"})


def test_the_error_names_the_file(tmp_path):
    path = _write(tmp_path, "[model]\nclustering = 'x'\n")
    with pytest.raises(ConfigError, match=f"config file {path}"):
        load_config(path)


def test_sections_mirror_the_toml_file(tmp_path):
    """Every section's dataclass round-trips through a TOML file written from its defaults."""
    from voc.config import SECTIONS

    cfg = Config()
    assert list(cfg.to_dict()) == list(SECTIONS)
    assert Config.from_dict(cfg.to_dict()) == cfg


def test_the_configuration_reference_is_current():
    """docs/configuration.md is generated from the dataclasses: `python -m voc.config > docs/configuration.md`."""
    from voc.config import reference_markdown

    path = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
    assert path.read_text(encoding="utf-8") == reference_markdown(), "regenerate: python -m voc.config > docs/configuration.md"


def test_allowed_values_come_from_the_types():
    from voc.config import reference_markdown
    from voc.types import Clustering, choices

    assert "'consensus-em', 'consensus', 'em', 'kmeans'" in reference_markdown()
    assert choices(Clustering) == ("consensus-em", "consensus", "em", "kmeans")


def test_clustering_key(tmp_path):
    cfg = load_config(_write(tmp_path, '[model]\nclustering = "kmeans"\n'))
    assert cfg.model.clustering == "kmeans"
    assert load_config(_write(tmp_path, "[model]\nseed = 1\n")).model.clustering == "consensus-em"


def test_consensus_runs_key(tmp_path):
    assert load_config(_write(tmp_path, "[model]\nconsensus_runs = 60\n")).model.consensus_runs == 60
    assert load_config(_write(tmp_path, "[model]\nseed = 1\n")).model.consensus_runs == 30
    for bad in ("1", '"many"', "2.5", "true"):
        with pytest.raises(ConfigError, match="consensus_runs must be an integer"):
            load_config(_write(tmp_path, f"[model]\nconsensus_runs = {bad}\n"))
