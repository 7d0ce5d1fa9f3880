"""The errors the library raises on purpose: all subclass `Error`."""

from __future__ import annotations

__all__ = ["Error", "InputError", "PolicyError"]


class Error(Exception):
    """Base class of every error `frivillighet` raises on purpose."""


class PolicyError(Error):
    """A policy file or policy id is wrong: names the file, the key path and what was expected."""

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None) -> None:
        self.file = file
        self.key = key
        self.problem = message
        where = ": ".join(part for part in (file, key) if part)
        super().__init__(f"{where}: {message}" if where else message)


class InputError(Error, ValueError):
    """A fact or argument is wrong: names the field and says why."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        self.problem = message
        super().__init__(f"{field}: {message}" if field else message)
