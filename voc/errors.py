"""Domain errors, in one place.

Every error voc raises on purpose is a :class:`VocError`. The CLI maps them to exit codes:
:class:`InputError` and :class:`ConfigError` exit with 2 (bad input or configuration, the message says
which file, row or column and how to fix it), anything else exits with 1.
"""

from __future__ import annotations

__all__ = ["VocError", "InputError", "OutcomeError", "ConfigError", "DependencyError", "NotFittedError"]


class VocError(Exception):
    """Base class of every error voc raises on purpose."""

    exit_code = 1


class InputError(VocError):
    """The input export cannot be used as given (missing file or column, undecodable bytes...)."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message, self.path, self.row, self.column, self.hint = message, path, row, column, hint
        where = []
        if path is not None:
            where.append(f"file {path}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        text = message if not where else f"{', '.join(where)}: {message}"
        if hint:
            text += f"\n  hint: {hint}"
        super().__init__(text)

    def located(self, path: str | None, column: str | None = None) -> InputError:
        """This error naming *path* (and *column*) where it names no file: a stage that works on
        texts, not files, raises it and the pipeline says which export it came from."""
        if self.path is not None:
            return self
        return type(self)(self.message, path=path, row=self.row, column=self.column or column, hint=self.hint)


class OutcomeError(InputError):
    """The configured outcome column has no value that maps to won or lost (see :mod:`voc.read.outcomes`).

    ``values`` holds the column's most common values with their counts, most common first.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        column: str | None = None,
        values: list[tuple[str, int]] | None = None,
        hint: str | None = None,
    ) -> None:
        self.values = list(values or [])
        super().__init__(message, path=path, column=column, hint=hint)


class ConfigError(VocError):
    """A configuration file or option is invalid."""

    exit_code = 2


class DependencyError(VocError, ModuleNotFoundError):
    """An optional dependency is missing; the message names the install command."""

    exit_code = 2


class NotFittedError(VocError, ValueError):
    """A model was used before ``fit``."""
