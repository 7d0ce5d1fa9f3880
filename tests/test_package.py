"""The installed package: public names, type marker, and no heavy imports at import time."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import frivillighet as fv


def test_importing_frivillighet_loads_neither_icalendar_nor_holidays() -> None:
    code = (
        "import sys, frivillighet\n"
        "from frivillighet.rules import volunteer_work\n"
        "volunteer_work.assess(frivillighet.load_policy('hemnes'), frivillighet.Activity())\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('icalendar', 'holidays'))\n"
        "print(heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_package_is_typed() -> None:
    assert (resources.files("frivillighet") / "py.typed").is_file()


def test_the_public_names_are_exported() -> None:
    for name in fv.__all__:
        assert hasattr(fv, name), name
    assert issubclass(fv.PolicyError, fv.Error)
    assert issubclass(fv.InputError, fv.Error) and issubclass(fv.InputError, ValueError)
