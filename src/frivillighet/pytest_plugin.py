"""A pytest plugin that runs scenario files (`*.scenarios.toml`): policy rules as test cases.

```toml
policy = "hemnes"                 # a built-in id, or a policy file relative to this file

[[cases]]
name = "an unpaid coach in a lag is a volunteer"
check = "volunteer-work"          # volunteer-work, council, grant, rental, agreement, compliance
facts.activity = { pay = "none", beneficiary = "others", participation = "active" }
expect = "yes"                    # yes | no | undetermined; for compliance a table key -> state
fails = []                        # optional: the rule ids that must fail, exactly
price = "0.00"                    # rental only: the price to expect
```

Installed with the package (entry point `pytest11`), so a municipality's own test suite picks
up its scenario files without configuration. Each case is one test item; a failure shows the
expected and the actual result and the verdict's explanation.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest

from frivillighet import checks
from frivillighet.errors import Error, InputError
from frivillighet.inputs import MAX_FACTS_SIZE, read_text
from frivillighet.policy import Policy, load_policy
from frivillighet.rules.obligations import Status
from frivillighet.rules.rental import Quote
from frivillighet.verdict import Outcome, Verdict

__all__ = ["ScenarioFile", "ScenarioItem", "pytest_collect_file"]

_SUFFIX = ".scenarios.toml"
_FILE_KEYS = {"policy", "cases"}
_CASE_KEYS = {"name", "check", "facts", "expect", "fails", "price"}


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> ScenarioFile | None:
    """Collect `*.scenarios.toml` files."""
    if file_path.name.endswith(_SUFFIX):
        scenario: ScenarioFile = ScenarioFile.from_parent(parent, path=file_path)
        return scenario
    return None


class ScenarioFile(pytest.File):
    """A scenario file: one policy and its cases."""

    def collect(self) -> Iterator[ScenarioItem]:
        try:
            data = tomllib.loads(read_text(self.path, MAX_FACTS_SIZE))
        except InputError as error:
            raise self._bad(None, error.problem) from None
        except tomllib.TOMLDecodeError as error:
            raise self._bad(None, f"cannot read it as TOML ({error})") from None
        except ValueError:
            digits = sys.get_int_max_str_digits()
            raise self._bad(
                None, f"cannot read it as TOML (an integer of more than {digits} digits)"
            ) from None
        except RecursionError:
            raise self._bad(None, "cannot read it as TOML (nested too deeply)") from None
        unknown = sorted(set(data) - _FILE_KEYS)
        if unknown:
            raise self._bad(unknown[0], "unknown key; expected: policy, cases")
        policy = self._policy(data.get("policy"))
        cases = data.get("cases")
        if not isinstance(cases, list) or not cases:
            raise self._bad("cases", "expected an array of tables [[cases]] with at least one case")
        names: set[str] = set()
        for index, case in enumerate(cases):
            where = f"cases[{index}]"
            if not isinstance(case, dict):
                raise self._bad(where, "expected a table")
            unknown = sorted(set(case) - _CASE_KEYS)
            if unknown:
                raise self._bad(
                    f"{where}.{unknown[0]}",
                    f"unknown key; expected: {', '.join(sorted(_CASE_KEYS))}",
                )
            for key in ("name", "check", "facts", "expect"):
                if key not in case and not (key == "expect" and "price" in case):
                    raise self._bad(f"{where}.{key}", "missing key")
            name = case["name"]
            if not isinstance(name, str) or not name.strip() or name in names:
                raise self._bad(
                    f"{where}.name", "expected a name of its own, not empty or repeated"
                )
            names.add(name)
            if not isinstance(case["check"], str) or case["check"] not in set(checks.Check):
                raise self._bad(
                    f"{where}.check", f"unknown check; expected one of {', '.join(checks.Check)}"
                )
            self._check_expectation(case, where)
            yield ScenarioItem.from_parent(self, name=name, policy=policy, case=case)

    def _policy(self, name: object) -> Policy:
        if not isinstance(name, str):
            raise self._bad("policy", "expected a built-in policy id or a .toml file")
        target = str(self.path.parent / name) if name.endswith(".toml") else name
        try:
            return load_policy(target)
        except Error as error:
            raise self._bad("policy", str(error)) from None

    def _check_expectation(self, case: dict[str, Any], where: str) -> None:
        expect = case.get("expect")
        if case["check"] == checks.Check.COMPLIANCE:
            if not isinstance(expect, dict) or not expect:
                raise self._bad(f"{where}.expect", "expected a table of occurrence key = state")
        elif expect is not None and (not isinstance(expect, str) or expect not in set(Outcome)):
            raise self._bad(f"{where}.expect", f"expected one of {', '.join(Outcome)}")
        fails = case.get("fails", [])
        if not isinstance(fails, list) or not all(isinstance(rule, str) for rule in fails):
            raise self._bad(f"{where}.fails", "expected an array of rule ids")
        if "price" in case:
            if case["check"] != checks.Check.RENTAL:
                raise self._bad(f"{where}.price", "only a rental case has a price")
            try:
                Decimal(str(case["price"]))
            except InvalidOperation:
                raise self._bad(
                    f"{where}.price", 'expected a decimal string such as "120.00"'
                ) from None

    def _bad(self, key: str | None, message: str) -> pytest.Collector.CollectError:
        where = f"{self.path}: {key}" if key else str(self.path)
        return self.CollectError(f"{where}: {message}")


class ScenarioFailure(AssertionError):
    """A case whose result differs from what the scenario expects."""


class ScenarioItem(pytest.Item):
    """One case of a scenario file."""

    def __init__(self, *, policy: Policy, case: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.policy = policy
        self.case = case

    def runtest(self) -> None:
        result = checks.run(self.policy, self.case["check"], self.case["facts"])
        problems = list(_mismatches(self.case, result))
        if problems:
            raise ScenarioFailure("\n".join([*problems, "", *_explained(result)]))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailure | Error):
            return f"{self.path}: {self.name}\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"scenario: {self.name}"


def _mismatches(case: dict[str, Any], result: checks.Result) -> Iterator[str]:
    expect = case.get("expect")
    if isinstance(result, list):
        got = {status.occurrence.key: str(status.state) for status in result}
        for key, state in dict(expect or {}).items():
            if got.get(key) != state:
                yield f"{key}: expected {state}, got {got.get(key, 'no such occurrence')}"
        return
    verdict = result.verdict if isinstance(result, Quote) else result
    if expect is not None and verdict.outcome != expect:
        yield f"expected {expect}, got {verdict.outcome}"
    if "fails" in case:
        failing = sorted({f.rule for f in verdict.findings if f.holds is False})
        if failing != sorted(set(case["fails"])):
            yield f"expected failing rules {sorted(set(case['fails']))}, got {failing}"
    if "price" in case and isinstance(result, Quote):
        price = Decimal(str(case["price"]))
        if result.price != price:
            yield f"expected price {price}, got {result.price} (list price {result.list_price})"


def _explained(result: checks.Result) -> list[str]:
    if isinstance(result, list):
        return [f"{s.occurrence.key}: {s.state}" for s in result if isinstance(s, Status)]
    verdict: Verdict = result.verdict if isinstance(result, Quote) else result
    return verdict.explain().splitlines()
