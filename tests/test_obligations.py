"""Obligations: schedules of the seed policies, compliance from records, and properties."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import frivillighet as fv
from frivillighet import dates
from frivillighet.policy import PolicyStatus, parse_policy
from frivillighet.rules.obligations import Annual, State, compliance, schedule

D = dt.date
POLICIES = ("hemnes", "lier", "nn", "stange", "vesthimmerland")
policies = st.sampled_from(POLICIES).map(fv.load_policy)
days = st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31))


def keys(policy_id: str, start: dt.date, end: dt.date) -> list[str]:
    return [o.key for o in schedule(fv.load_policy(policy_id), start, end)]


def states(
    policy_id: str, records: list[tuple[str, dt.date]], as_of: dt.date, **kw
) -> dict[str, State]:
    meetings = [fv.Meeting(obligation=o, held=h) for o, h in records]
    return {
        s.occurrence.key: s.state
        for s in compliance(fv.load_policy(policy_id), meetings, as_of, **kw)
    }


# --- Schedules of the seeds ----------------------------------------------------------------------


def test_hemnes_2024_has_the_june_meeting_and_three_yearly_dialogues() -> None:
    occurrences = schedule(fv.load_policy("hemnes"), D(2024, 1, 1), D(2024, 12, 31))
    assert [(o.key, o.window_start, o.due) for o in occurrences] == [
        ("hemnes.obligation.june_status@2024", D(2024, 6, 1), D(2024, 6, 30)),
        ("hemnes.obligation.council_dialogue@2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("hemnes.obligation.sports_council_dialogue@2024", D(2024, 1, 1), D(2024, 12, 31)),
        # punkt 3: support to the bygdeutvalg, in each year's budget work
        ("hemnes.obligation.village_committee_support@2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("hemnes.obligation.volunteer_centre_dialogue@2024", D(2024, 1, 1), D(2024, 12, 31)),
    ]
    june, council, *_ = occurrences
    assert june.titles.get("nb").startswith("Kommunestyret behandler status")
    assert june.responsible == "kommunestyret"
    assert council.convenes == "kommunen" and council.counterpart == "Frivillighetsrådet"
    assert june.source.quote.startswith("Kommunestyret skal hvert år – i junimøtet")


def test_hemnes_revises_once_in_every_election_period_after_adoption() -> None:
    revisions = [
        o
        for o in schedule(fv.load_policy("hemnes"), D(2015, 1, 1), D(2032, 1, 1))
        if "revision" in o.key
    ]
    assert [(o.key, o.window_start, o.due) for o in revisions] == [
        ("hemnes.obligation.revision@2015-2019", D(2015, 10, 31), D(2019, 10, 30)),
        ("hemnes.obligation.revision@2019-2023", D(2019, 10, 31), D(2023, 10, 30)),
        ("hemnes.obligation.revision@2023-2027", D(2023, 10, 31), D(2027, 10, 30)),
        ("hemnes.obligation.revision@2027-2031", D(2027, 10, 31), D(2031, 10, 30)),
    ]


def test_hemnes_unit_action_plans_are_due_by_the_end_of_q1_2016_once() -> None:
    found = [k for k in keys("hemnes", D(2010, 1, 1), D(2040, 1, 1)) if "unit_action_plans" in k]
    assert found == ["hemnes.obligation.unit_action_plans@once"]
    (plans,) = list(schedule(fv.load_policy("hemnes"), D(2016, 3, 31), D(2016, 3, 31)))
    assert (plans.window_start, plans.due) == (D(2015, 1, 1), D(2016, 3, 31))


def test_nn_budget_follow_up_yearly_and_report_every_fourth_year() -> None:
    found = keys("nn", D(2018, 1, 1), D(2030, 12, 31))
    assert "nn.obligation.case_by_april_2018@once" in found
    # «rulleres hvert 4. år» from a first report the source never dates (1.3: never made)
    assert not [k for k in found if "report_rolling" in k]
    assert len([k for k in found if "budget_follow_up" in k]) == 13
    assert not [k for k in found if "mapping" in k or "cafe_dialogue" in k]  # masked dates


def test_stange_showcase_every_year_and_a_new_strategy_by_end_of_2023() -> None:
    found = keys("stange", D(2020, 1, 1), D(2024, 12, 31))
    assert [k for k in found if "showcase" in k] == [
        f"stange.obligation.annual_showcase@{year}" for year in range(2020, 2025)
    ]
    assert "stange.obligation.revision@once" in found
    assert keys("stange", D(2019, 1, 1), D(2019, 12, 31)) == []  # before the strategy period


def test_vesthimmerland_annual_dialogue_and_revision_in_2009() -> None:
    found = keys("vesthimmerland", D(2007, 1, 1), D(2009, 12, 31))
    assert found == [
        "DK.obligation.section_18_budget@2008",  # serviceloven § 18, stk. 2: the national layer
        "vesthimmerland.obligation.annual_dialogue@2008",
        "DK.obligation.section_18_budget@2009",
        "vesthimmerland.obligation.annual_dialogue@2009",
        "vesthimmerland.obligation.revision@once",
    ]
    revision = schedule(fv.load_policy("vesthimmerland"), D(2009, 1, 1), D(2009, 12, 31))[-1]
    assert revision.window_start == D(2007, 12, 11)  # adopted 11 December 2007


def test_lier_annual_dialogue_from_the_first_year_after_adoption() -> None:
    # adopted 2017-03-07: the 2017 window had opened already, so the first year is 2018
    assert keys("lier", D(2016, 1, 1), D(2019, 12, 31)) == [
        "lier.obligation.annual_dialogue@2018",
        "lier.obligation.annual_dialogue@2019",
    ]


def test_nothing_recurs_after_an_explicit_end() -> None:
    lier = attrs.evolve(fv.load_policy("lier"), ends=D(2020, 12, 31))
    assert [o.key for o in schedule(lier, D(2020, 1, 1), D(2030, 1, 1))] == [
        "lier.obligation.annual_dialogue@2020"
    ]


def test_an_inverted_range_is_an_input_error() -> None:
    with pytest.raises(fv.InputError, match="end: must not be before start"):
        schedule(fv.load_policy("lier"), D(2020, 1, 1), D(2019, 1, 1))
    with pytest.raises(fv.InputError, match="start: expected a date"):
        schedule(fv.load_policy("lier"), "2020-01-01", D(2021, 1, 1))  # type: ignore[arg-type]


# --- Compliance ----------------------------------------------------------------------------------


def test_hemnes_june_meeting_met_in_june_not_in_may() -> None:
    met = states(
        "hemnes",
        [("hemnes.obligation.june_status", D(2024, 6, 18))],
        D(2024, 7, 1),
        since=D(2024, 1, 1),
    )
    assert met["hemnes.obligation.june_status@2024"] is State.MET
    late = states(
        "hemnes",
        [("hemnes.obligation.june_status", D(2024, 5, 30))],
        D(2024, 7, 1),
        since=D(2024, 1, 1),
    )
    assert late["hemnes.obligation.june_status@2024"] is State.OVERDUE


def test_hemnes_states_on_one_day() -> None:
    found = states(
        "hemnes",
        [
            ("hemnes.obligation.council_dialogue", D(2024, 2, 1)),
            ("hemnes.obligation.revision", D(2021, 5, 1)),
        ],
        D(2024, 3, 1),
        since=D(2023, 1, 1),
    )
    assert found == {
        "hemnes.obligation.june_status@2023": State.OVERDUE,
        "hemnes.obligation.revision@2019-2023": State.MET,
        "hemnes.obligation.council_dialogue@2023": State.OVERDUE,
        "hemnes.obligation.sports_council_dialogue@2023": State.OVERDUE,
        "hemnes.obligation.village_committee_support@2023": State.OVERDUE,
        "hemnes.obligation.volunteer_centre_dialogue@2023": State.OVERDUE,
        "hemnes.obligation.june_status@2024": State.UPCOMING,
        "hemnes.obligation.council_dialogue@2024": State.MET,
        "hemnes.obligation.sports_council_dialogue@2024": State.DUE,
        "hemnes.obligation.village_committee_support@2024": State.DUE,
        "hemnes.obligation.volunteer_centre_dialogue@2024": State.DUE,
        "hemnes.obligation.revision@2023-2027": State.DUE,
        # Tiltaksplan punkt 2, 9, 10 and 11: tasks without a date
        "hemnes.obligation.village_committee_mandate@undated": State.UNDATED,
        "hemnes.obligation.volunteer_coordinator@undated": State.UNDATED,
        "hemnes.obligation.rental_review@undated": State.UNDATED,
        "hemnes.obligation.grant_review@undated": State.UNDATED,
    }


def test_the_one_off_unit_plans() -> None:
    assert (
        states("hemnes", [("hemnes.obligation.unit_action_plans", D(2016, 2, 1))], D(2016, 4, 1))[
            "hemnes.obligation.unit_action_plans@once"
        ]
        is State.MET
    )
    assert (
        states("hemnes", [], D(2016, 4, 1))["hemnes.obligation.unit_action_plans@once"]
        is State.OVERDUE
    )


def test_vesthimmerland_revision_in_2009() -> None:
    done = states(
        "vesthimmerland", [("vesthimmerland.obligation.revision", D(2009, 11, 15))], D(2010, 1, 1)
    )
    assert done["vesthimmerland.obligation.revision@once"] is State.MET
    missed = states("vesthimmerland", [], D(2010, 1, 1))
    assert missed["vesthimmerland.obligation.revision@once"] is State.OVERDUE
    assert missed["vesthimmerland.obligation.annual_dialogue@2010"] is State.DUE


def test_nn_is_a_proposal_so_nothing_is_overdue_and_undated_tasks_are_shown() -> None:
    """«Rådmannens forslag til vedtak»: a proposal's items are not duties; the mapping and the
    café dialogue, the heart of it, have no date and are shown as such."""
    found = states(
        "nn",
        [("nn.obligation.budget_follow_up", D(2022, 10, 3))],
        D(2023, 1, 1),
        since=D(2022, 1, 1),
    )
    assert found["nn.obligation.budget_follow_up@2022"] is State.MET
    assert found["nn.obligation.budget_follow_up@2023"] is State.PROPOSED
    assert State.OVERDUE not in found.values() and State.DUE not in found.values()
    assert {key: state for key, state in found.items() if key.endswith("@undated")} == {
        "nn.obligation.mapping@undated": State.UNDATED,
        "nn.obligation.cafe_dialogue@undated": State.UNDATED,
        "nn.obligation.draft_policy@undated": State.UNDATED,
        "nn.obligation.report_rolling@undated": State.UNDATED,
    }
    done = states("nn", [("nn.obligation.mapping", D(2016, 3, 1))], D(2023, 1, 1))
    assert done["nn.obligation.mapping@undated"] is State.MET
    assert (
        states("nn", [("nn.obligation.mapping", D(2024, 3, 1))], D(2023, 1, 1))[
            "nn.obligation.mapping@undated"
        ]
        is State.UNDATED
    )  # a record after the as-of day does not count


def test_an_adopted_policy_stays_overdue_where_its_proposal_is_not() -> None:
    nn = fv.load_policy("nn")
    adopted = attrs.evolve(nn, status="adopted")
    key = "nn.obligation.budget_follow_up@2018"
    (proposed,) = [s for s in compliance(nn, [], D(2019, 1, 1)) if s.occurrence.key == key]
    (duty,) = [s for s in compliance(adopted, [], D(2019, 1, 1)) if s.occurrence.key == key]
    assert (proposed.state, duty.state) == (State.PROPOSED, State.OVERDUE)


def test_a_decision_a_proposal_quotes_as_adopted_is_a_duty() -> None:
    """NN 1.2. Tidligere vedtak: «Vedtak i KS 00.00.18» is the council's decision, not the
    proposal's, so its four-yearly report stays an undated duty, and the case «innen april 2018»
    is met, as the next decision quoted (formannskapet's, on a masked date) records; the
    proposal's own punkt 4 stays a proposal."""
    found = {s.occurrence.key: s for s in compliance(fv.load_policy("nn"), [], D(2019, 1, 1))}
    case = found["nn.obligation.case_by_april_2018@once"]
    report = found["nn.obligation.report_rolling@undated"]
    budget = found["nn.obligation.budget_follow_up@2018"]
    assert (case.state, case.occurrence.proposed, case.meeting) == (State.MET, False, None)
    assert case.occurrence.met_in_source is not None
    assert "tas til orientering" in case.occurrence.met_in_source.quote
    assert (report.state, report.occurrence.proposed) == (State.UNDATED, False)
    assert (budget.state, budget.occurrence.proposed) == (State.PROPOSED, True)


def test_an_obligation_of_its_own_status_overrides_the_policys_either_way() -> None:
    hemnes = fv.load_policy("hemnes")
    first, *others = hemnes.obligations
    assert first.id == "hemnes.obligation.june_status"
    changed = attrs.evolve(
        hemnes, obligations=(attrs.evolve(first, status=PolicyStatus.PROPOSED), *others)
    )
    found = {s.occurrence.key: s.state for s in compliance(changed, [], D(2017, 1, 1))}
    assert found["hemnes.obligation.june_status@2016"] is State.PROPOSED
    assert found["hemnes.obligation.council_dialogue@2016"] is State.OVERDUE


def test_a_proposal_never_makes_a_national_duty_optional() -> None:
    """Serviceloven § 18, stk. 2 («Kommunalbestyrelsen skal årligt afsætte et beløb») binds every
    Danish municipality: were Vesthimmerland's policy only proposed, its own dialogue would be
    `proposed`, the law's budget duty still `overdue`."""
    proposal = attrs.evolve(fv.load_policy("vesthimmerland"), status=PolicyStatus.PROPOSED)
    found = {s.occurrence.key: s for s in compliance(proposal, [], D(2010, 1, 1))}
    dialogue = found["vesthimmerland.obligation.annual_dialogue@2009"]
    law = found["DK.obligation.section_18_budget@2009"]
    assert (dialogue.state, dialogue.occurrence.proposed) == (State.PROPOSED, True)
    assert (law.state, law.occurrence.proposed) == (State.OVERDUE, False)


def test_stange_and_lier_annual_events() -> None:
    assert (
        states("stange", [("stange.obligation.annual_showcase", D(2021, 9, 4))], D(2022, 1, 1))[
            "stange.obligation.annual_showcase@2021"
        ]
        is State.MET
    )
    assert (
        states("lier", [], D(2019, 1, 1))["lier.obligation.annual_dialogue@2018"] is State.OVERDUE
    )


def test_several_records_in_one_window_count_once() -> None:
    records = [("lier.obligation.annual_dialogue", D(2018, m, 1)) for m in (3, 6, 9)]
    found = compliance(
        fv.load_policy("lier"),
        [fv.Meeting(obligation=o, held=h) for o, h in records],
        D(2019, 1, 1),
    )
    met = [s for s in found if s.state is State.MET]
    assert [s.occurrence.key for s in met] == ["lier.obligation.annual_dialogue@2018"]
    assert met[0].meeting == fv.Meeting(
        obligation="lier.obligation.annual_dialogue", held=D(2018, 3, 1)
    )


def test_a_record_satisfies_only_the_occurrence_whose_window_holds_it() -> None:
    found = states(
        "lier",
        [("lier.obligation.annual_dialogue", D(2018, 12, 31))],
        D(2019, 12, 31),
        since=D(2018, 1, 1),
    )
    assert found["lier.obligation.annual_dialogue@2018"] is State.MET
    assert found["lier.obligation.annual_dialogue@2019"] is State.DUE


def test_a_record_after_as_of_is_not_counted() -> None:
    found = states(
        "lier",
        [("lier.obligation.annual_dialogue", D(2024, 9, 1))],
        D(2024, 6, 1),
        since=D(2024, 1, 1),
    )
    assert found["lier.obligation.annual_dialogue@2024"] is State.DUE


def test_a_record_for_an_unknown_obligation_is_an_input_error() -> None:
    with pytest.raises(fv.InputError) as raised:
        states(
            "lier",
            [
                ("lier.obligation.annual_dialogue", D(2024, 1, 1)),
                ("lier.obligation.gala", D(2024, 1, 1)),
            ],
            D(2024, 6, 1),
        )
    assert raised.value.field == "meetings[1].obligation"
    assert "policy 'lier' has no obligation 'lier.obligation.gala'" in str(raised.value)


def test_a_record_without_a_date_is_an_input_error() -> None:
    with pytest.raises(fv.InputError, match=r"meetings\[0\]\.held"):
        compliance(
            fv.load_policy("lier"),
            [fv.Meeting(obligation="lier.obligation.annual_dialogue")],
            D(2024, 1, 1),
        )


# --- Properties ----------------------------------------------------------------------------------


@given(policies, days, st.integers(min_value=0, max_value=3000))
def test_every_window_starts_no_later_than_it_is_due(
    policy: fv.Policy, start: dt.date, length: int
) -> None:
    found = schedule(policy, start, start + dt.timedelta(days=length))
    for occurrence in found:
        assert occurrence.window_start <= occurrence.due
        assert start <= occurrence.due <= start + dt.timedelta(days=length)
    assert [o.due for o in found] == sorted(o.due for o in found)
    assert len({o.key for o in found}) == len(found)


@given(
    policies, st.integers(min_value=2000, max_value=2060), st.integers(min_value=0, max_value=12)
)
def test_annual_obligations_occur_once_a_year(policy: fv.Policy, first: int, years: int) -> None:
    found = schedule(policy, D(first, 1, 1), D(first + years, 12, 31))
    for obligation in policy.obligations:
        recurrence = obligation.recurrence
        if not isinstance(recurrence, Annual):
            continue
        mine = sorted(o.due.year for o in found if o.obligation == obligation.id)
        expected = [
            year
            for year in range(first, first + years + 1)
            if policy.start is None or _window_start(recurrence, year) >= policy.start
        ]
        assert mine == expected


def _window_start(recurrence: Annual, year: int) -> dt.date:
    if recurrence.month:
        return dates.month_span(year, recurrence.month).start
    if recurrence.quarter:
        return dates.quarter_span(year, recurrence.quarter).start
    return dates.year_span(year).start


@given(
    policies,
    days,
    st.integers(min_value=0, max_value=2000),
    st.integers(min_value=0, max_value=2000),
)
def test_schedules_split_at_any_day(policy: fv.Policy, a: dt.date, first: int, second: int) -> None:
    b = a + dt.timedelta(days=first)
    c = b + dt.timedelta(days=second)
    whole = schedule(policy, a, c)
    parts = schedule(policy, a, b) + (
        schedule(policy, b + dt.timedelta(days=1), c) if b < c else []
    )
    assert whole == parts


@given(policies, days, st.lists(st.tuples(st.integers(min_value=0), days), max_size=8), st.data())
def test_met_exactly_when_a_record_lies_in_the_window(
    policy: fv.Policy, as_of: dt.date, raw, data
) -> None:
    ids = [o.id for o in policy.obligations]
    meetings = [fv.Meeting(obligation=ids[i % len(ids)], held=held) for i, held in raw]
    since = data.draw(st.dates(min_value=as_of - dt.timedelta(days=3000), max_value=as_of))
    for status in compliance(policy, meetings, as_of, since=since):
        occurrence = status.occurrence
        first = occurrence.window_start or dt.date.min
        last = min(occurrence.due or as_of, as_of)
        inside = [
            m
            for m in meetings
            if m.obligation == occurrence.obligation and m.held and first <= m.held <= last
        ]
        assert (status.state is State.MET) == bool(inside or occurrence.met_in_source)
        if status.state is State.MET and not inside:
            assert status.meeting is None  # the source records it met (NN 1.2.)
        if status.state is not State.MET:
            assert status.meeting is None
            if occurrence.due is None or occurrence.window_start is None:
                expected = State.UNDATED
            elif occurrence.proposed:
                expected = State.PROPOSED
            else:
                expected = (
                    State.OVERDUE
                    if occurrence.due < as_of
                    else State.DUE
                    if occurrence.window_start <= as_of
                    else State.UPCOMING
                )
            assert status.state is expected
        elif inside:
            assert status.meeting in inside


@given(policies, days, days)
def test_no_recurring_window_opens_before_the_policy_starts(policy, start, end) -> None:
    start, end = min(start, end), max(start, end)
    for occurrence in schedule(policy, start, end):
        if not occurrence.key.endswith("@once") and policy.start:
            assert occurrence.window_start >= policy.start


def test_a_danish_election_period_far_ahead_does_not_overflow() -> None:
    rules = fv.load_policy("hemnes").obligations[1]
    dk = attrs.evolve(
        fv.load_policy("vesthimmerland"),
        obligations=(attrs.evolve(rules, id="vesthimmerland.obligation.term_revision"),),
    )
    statuses = compliance(dk, [], D(2030, 1, 1))
    assert statuses[-1].occurrence.key == "vesthimmerland.obligation.term_revision@2029-2033"
    last = schedule(dk, D(2190, 1, 1), dates.LAST_DAY)[-1]
    assert last.key == "vesthimmerland.obligation.term_revision@2193-2197"
    with pytest.raises(fv.InputError, match="end: expected a date from 1900-01-01 to 2199-12-31"):
        schedule(dk, D(2020, 1, 1), D(9999, 12, 31))


def test_only_a_one_off_can_be_met_in_the_source() -> None:
    text = (Path(fv.__file__).parent / "policies" / "nn.toml").read_text("utf-8")
    annual = text.replace(
        'recurrence = { kind = "annual" }\n',
        'recurrence = { kind = "annual" }\nmet_in_source = { section = "S", quote = "Q" }\n',
        1,
    )
    assert annual != text
    with pytest.raises(fv.PolicyError) as raised:
        parse_policy(annual, "nn.toml")
    assert "met_in_source" in str(raised.value) and "one-off" in str(raised.value)


def test_an_obligations_status_is_one_of_the_words() -> None:
    (first, *_) = fv.load_policy("hemnes").obligations
    with pytest.raises(fv.InputError) as raised:
        attrs.evolve(first, status="maybe")
    assert raised.value.field == "status" and "adopted, proposed" in raised.value.problem
