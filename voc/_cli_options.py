"""``voc report`` options generated from the config dataclasses (:mod:`voc.config`).

Every key of every section gets an option, with the key's help, its allowed values (``Literal``
types become ``click.Choice``) and its default in the help text, so that nothing is written twice
and a new key cannot lack an option (``tests/test_cli.py`` walks the sections).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any, Literal, Union, get_args, get_origin

import click

from voc.config import SECTIONS

__all__ = ["config_options", "option_names", "OPTION_NAMES"]

#: ``section.key`` → option name, where the name is not ``--<key>`` (INPUT is an argument).
OPTION_NAMES: dict[str, str] = {
    "input.path": "INPUT",
    "input.text_columns": "--text-column",
    "input.segment_columns": "--segment-column",
    "input.won_values": "--won-value",
    "input.lost_values": "--lost-value",
    "input.open_values": "--open-value",
    "output.dir": "--out",
    "clean.mask_pii": "--mask-pii",
    "history.enabled": "--history/--no-history",
    "history.path": "--history-path",
    "taxonomy.path": "--taxonomy",
    "taxonomy.update": "--taxonomy-update/--no-taxonomy-update",
}


def option_names() -> dict[str, str]:
    """``section.key`` → the ``voc report`` option that sets it, for every key of every section."""
    out = {}
    for section, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            dotted = f"{section}.{f.name}"
            out[dotted] = OPTION_NAMES.get(dotted, "--" + f.name.replace("_", "-"))
    return out


def _default_text(f: dataclasses.Field) -> str:
    default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
    if default is None or default == []:
        return ""
    if isinstance(default, bool):
        return f" [default: {'yes' if default else 'no'}]"
    return f" [default: {default}]"


def _click_type(tp: Any) -> tuple[Any, bool]:
    """(click type, multiple) for a config field type."""
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _click_type(args[0])
        return str, False  # n_themes ("auto" or int), sheet (name or index), mask_pii: parsed by the config
    if origin is Literal:
        return click.Choice([str(v) for v in get_args(tp)]), False
    if origin is list:
        (item,) = get_args(tp)
        return _click_type(item)[0], True
    return {int: int, float: float, str: str, bool: bool}.get(tp, str), False


def config_options(fn: Callable[..., Any] | None = None, *, sections: Sequence[str] | None = None) -> Any:
    """Decorate a click command with one option per config key (of *sections* only, when given:
    ``@config_options(sections=["input"])``); the values arrive as keyword arguments named
    ``<section>__<key>`` (``None`` when not given)."""
    if fn is None:
        return lambda f: config_options(f, sections=sections)
    names = option_names()
    for section in reversed([s for s in SECTIONS if sections is None or s in sections]):
        cls = SECTIONS[section]
        hints = typing.get_type_hints(cls)
        for f in reversed(dataclasses.fields(cls)):
            dotted = f"{section}.{f.name}"
            name = names[dotted]
            dest = f"{section}__{f.name}"
            help_text = f.metadata["help"] + _default_text(f) + f"  ([{section}] {f.name})"
            if name == "INPUT":
                fn = click.argument(dest, metavar="INPUT", required=False, type=click.Path(dir_okay=False))(fn)
                continue
            tp, multiple = _click_type(hints[f.name])
            if tp is bool:
                if "/" not in name:
                    name = f"{name}/--no-{name[2:]}"
                fn = click.option(name, dest, default=None, help=help_text)(fn)
            elif multiple:
                fn = click.option(name, dest, type=tp, multiple=True, help=help_text + " Repeat for several.")(fn)
            else:
                fn = click.option(name, dest, type=tp, default=None, help=help_text)(fn)
    return fn


def overrides(values: dict[str, Any]) -> dict[str, Any]:
    """``{"section.key": value}`` from the command's ``<section>__<key>`` keyword arguments, with
    the strings of union-typed keys parsed (``--sheet 2``, ``--mask-pii`` kinds)."""
    out: dict[str, Any] = {}
    for dest, value in values.items():
        if "__" not in dest or value is None or value == ():
            continue
        section, key = dest.split("__", 1)
        if (section, key) == ("input", "sheet") and isinstance(value, str) and value.lstrip("-").isdigit():
            value = int(value)
        if (section, key) == ("clean", "mask_pii") and isinstance(value, str):
            word = value.strip().lower()
            value = True if word in ("all", "true", "yes") else False if word in ("none", "false", "no") else [
                v.strip() for v in value.split(",") if v.strip()]
        out[f"{section}.{key}"] = value
    return out
