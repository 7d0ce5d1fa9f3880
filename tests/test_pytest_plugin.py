"""The scenario-file plugin, run through pytest itself (pytester)."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

INSTALLED = any(ep.name == "frivillighet" for ep in entry_points(group="pytest11"))
PLUGIN = [] if INSTALLED else ["-p", "frivillighet.pytest_plugin"]

CASE = "policy = 'stange'\n[[cases]]\nname='x'\ncheck='volunteer-work'\nfacts={}\n"
GOOD = """
policy = "stange"

[[cases]]
name = "unpaid help is volunteer work"
check = "volunteer-work"
expect = "yes"
[cases.facts.activity]
pay = "none"
beneficiary = "others"
participation = "active"
compulsion = "none"

[[cases]]
name = "a wage is not"
check = "volunteer-work"
facts = { activity = { pay = "wage" } }
expect = "no"
fails = ["stange.volunteer.unpaid"]
"""


def test_each_case_is_a_test_item(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenarios.toml", stange=GOOD)
    result = pytester.runpytest("-v", *PLUGIN)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*stange.scenarios.toml::unpaid help is volunteer work PASSED*"])


def test_a_failing_case_shows_expected_got_and_the_explanation(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenarios.toml", stange=GOOD.replace('expect = "yes"', 'expect = "no"', 1))
    result = pytester.runpytest(*PLUGIN)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*stange.scenarios.toml: unpaid help is volunteer work",
            "expected no, got yes",
            "Outcome: YES",
            "*stange.volunteer.unpaid: The activity is unpaid.",
        ]
    )


def test_a_wrong_price_is_reported(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".scenarios.toml",
        lier="""
policy = "lier"
[[cases]]
name = "saturday"
check = "rental"
price = "0.00"
facts.tariff = { currency = "NOK", hourly = { school = "200" } }
[cases.facts.booking]
premises = { kind = "school" }
purpose = "training"
start = 2024-03-09T18:00:00
end = 2024-03-09T20:00:00
""",
    )
    result = pytester.runpytest(*PLUGIN)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["expected price 0.00, got 400.00 (list price 400.00)"])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("policy = 'stange'\ncases = = 1", "cannot read it as TOML"),
        (
            "policy = 'oslo'\n[[cases]]\nname='x'\ncheck='volunteer-work'\nfacts={}\nexpect='yes'",
            "policy: unknown policy id 'oslo'",
        ),
        ("policy = 'stange'\nkommune = 1", "kommune: unknown key; expected: policy, cases"),
        ("policy = 'stange'", "cases: expected an array of tables"),
        (
            "policy = 'stange'\n[[cases]]\nname='x'\ncheck='payroll'\nfacts={}\nexpect='yes'",
            "cases[0].check: unknown check",
        ),
        (
            "policy = 'stange'\n[[cases]]\nname='x'\ncheck='volunteer-work'\nfacts={}",
            "cases[0].expect: missing key",
        ),
        (
            CASE + "expect='maybe'",
            "cases[0].expect: expected one of yes, no, undetermined",
        ),
        (
            CASE + "expect='yes'\nprice='1'",
            "cases[0].price: only a rental case has a price",
        ),
        (
            CASE + "expect='yes'\nwhy='x'",
            "cases[0].why: unknown key",
        ),
    ],
)
def test_a_malformed_file_is_a_collection_error_naming_file_and_key(
    pytester: pytest.Pytester, text: str, words: str
) -> None:
    path = pytester.makefile(".scenarios.toml", broken=text)
    result = pytester.runpytest(*PLUGIN)
    assert result.ret != 0
    out = result.stdout.str()
    assert f"{path}: " in out and words in out
    assert "Traceback" not in out


def test_bad_facts_fail_the_case_with_the_key_named(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenarios.toml", stange=GOOD.replace('pay = "none"', 'pay = "lots"', 1))
    result = pytester.runpytest(*PLUGIN)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["activity.pay: expected one of none, expenses, honorarium, wage, got 'lots' (str)"]
    )


@pytest.mark.skipif(
    not INSTALLED, reason="the pytest11 entry point exists only in an installed package"
)
def test_the_plugin_is_loaded_from_the_installed_entry_point(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenarios.toml", stange=GOOD)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
