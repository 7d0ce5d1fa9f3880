"""The edge where outside text comes in: input files, standard input, and characters.

Every file the library and the command line read (policy files, facts, meeting records,
scenario files) is read by `read_text`: a regular file only, never more than its limit, UTF-8.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

from frivillighet.errors import InputError

__all__ = [
    "MAX_FACTS_SIZE",
    "character_problem",
    "parse_json",
    "read_stdin",
    "read_text",
    "unsafe_character",
]

MAX_FACTS_SIZE = 64 * 1024 * 1024
"""The largest facts, meeting records or scenario file read, in bytes (64 MiB)."""

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_text(path: str | Path, limit: int) -> str:
    """The text of the regular file at `path`, at most `limit` bytes of UTF-8 (a leading byte
    order mark dropped). Anything else (no such file, a directory, a FIFO, a device such as
    `/dev/zero`, a larger file, bytes that are not UTF-8) is an `InputError` naming the file.
    The file is opened without blocking and checked before a byte is read."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError("no such file", field=name) from None
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror})", field=name) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((words for test, words in _KINDS if test(mode)), "a special file")
        raise InputError(f"expected a regular file, got {kind}", field=name)
    with os.fdopen(fd, "rb") as file:
        try:
            data = file.read(limit + 1)
        except OSError as error:
            raise InputError(f"cannot read the file ({error.strerror})", field=name) from None
    return _decoded(data, limit, name)


def read_stdin(limit: int) -> str:
    """Standard input as text, read as `read_text` reads a file: at most `limit` bytes."""
    stream = getattr(sys.stdin, "buffer", None)
    try:
        data = (
            stream.read(limit + 1)
            if stream
            else sys.stdin.read(limit + 1).encode("utf-8", "surrogatepass")
        )
    except OSError as error:
        raise InputError(f"cannot read ({error.strerror})", field="standard input") from None
    return _decoded(data, limit, "standard input")


def _decoded(data: bytes, limit: int, name: str) -> str:
    if len(data) > limit:
        raise InputError(f"larger than {limit} bytes", field=name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"cannot read the file as UTF-8 ({error})", field=name) from None


def unsafe_character(text: str) -> str | None:
    """The first character of `text` that must not reach a calendar or a terminal, or `None`:
    a control character other than tab and newline, a bidirectional override or isolate
    (U+202A–U+202E, U+2066–U+2069), or a lone surrogate (which cannot be written as UTF-8)."""
    found = _UNSAFE.search(text)
    return found.group() if found else None


_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def character_problem(char: str) -> str:
    """How an unsafe character is worded, naming its code point."""
    return (
        "expected text without control characters (other than tab and newline), bidirectional"
        f" overrides or lone surrogates, got U+{ord(char):04X}"
    )


_LONG_INTEGER = f"an integer of more than {sys.get_int_max_str_digits()} digits"


def parse_json(text: str, name: str) -> Any:
    """The JSON data of `text`, read from `name`; not JSON, an integer too long to convert or
    nesting too deep to parse is an `InputError` naming it."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON ({error})", field=name) from None
    except ValueError:
        raise InputError(f"not valid JSON ({_LONG_INTEGER})", field=name) from None
    except RecursionError:
        raise InputError("not valid JSON (nested too deeply)", field=name) from None
