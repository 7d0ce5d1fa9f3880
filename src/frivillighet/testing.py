"""Hypothesis strategies for every fact type, and for the built-in policies.

    from hypothesis import given
    import frivillighet as fv
    from frivillighet.testing import activities, policies

    @given(policies(), activities())
    def test_something(policy: fv.Policy, activity: fv.Activity) -> None: ...

Each strategy generates the whole space its constructor accepts: every field is `None`
(unknown) or a valid value, every enum member turns up, text includes odd Unicode, and a
generated fact never makes its constructor raise `InputError`. Nested facts come from the other
strategies. Text fields that name something in a policy (a council kind, an obligation, a grant
scheme, an elector, a municipality) also draw the names the built-in policies use, so that a rule
is reached as well as refused.

The strategies are registered for `st.from_type` when this module is imported, and by the
`hypothesis` entry point as soon as Hypothesis is imported in an environment where `frivillighet`
is installed: `st.from_type(fv.Activity)` is `activities()`, and `st.from_type(fv.Policy)` is
`policies()`. Importing this module needs Hypothesis, which `frivillighet` does not depend on.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar, cast

import attrs

from frivillighet.dates import FIRST_DAY, LAST_DAY
from frivillighet.model import (
    Activity,
    Agreement,
    AgreementKind,
    Area,
    Beneficiary,
    Body,
    BodyKind,
    Booking,
    Compulsion,
    Council,
    GrantApplication,
    Hearing,
    Meeting,
    Member,
    Organisation,
    Organiser,
    Participation,
    Pay,
    Premises,
    PremisesKind,
    Purpose,
    Review,
    SchemeChange,
    Tariff,
)
from frivillighet.policy import Policy, builtin_policies, load_policy
from frivillighet.rules.checklists import Checklist
from frivillighet.rules.council import ElectedBy
from frivillighet.rules.grants import Grants


def _hypothesis_setup_hook() -> None:
    """Register every strategy for `st.from_type`; doing it again is harmless.

    This is the `hypothesis` entry point, which Hypothesis runs while it is being imported. It is
    defined before this module imports Hypothesis: when that import is the one that runs it, this
    module is only partly loaded and registers the strategies itself once it is complete.
    """
    if "_register" in globals():
        _register()


from hypothesis import assume  # noqa: E402  (after the entry point: see above)
from hypothesis import strategies as st  # noqa: E402

__all__ = [
    "activities",
    "agreements",
    "bodies",
    "bookings",
    "councils",
    "forgetting",
    "grant_applications",
    "hearings",
    "meetings",
    "members",
    "organisations",
    "policies",
    "premises",
    "reviews",
    "scheme_changes",
    "tariffs",
]

T = TypeVar("T")

_ODD_TEXT = (
    "",
    " ",
    "Røde Kors Aars",
    "Å",  # NFC
    "A\u030a",  # the same letter, NFD
    "Ærø og Æbelø",
    "İı ß ẞ ǅ ﬁ",
    "\u202eavtale\u202c",  # right-to-left override
    "zero\u200bwidth",
    "nul\x00byte",
    "line\nbreak\r\ntab\t",
    "👨\u200d👩\u200d👧",
    "ሰላም עברית العربية",
)
_TEXT: st.SearchStrategy[str] = st.text() | st.sampled_from(_ODD_TEXT)
_CURRENCIES = ("NOK", "DKK", "SEK", "EUR", "ISK")
_MAX_AMOUNT = Decimal(10) ** 9
_NO_GRANTS = Grants()
# Dates span the supported range; a booking, which may last ten years, starts early enough to
# end inside it.
_DATES = st.dates(FIRST_DAY, LAST_DAY)
_EARLIEST = dt.datetime.combine(FIRST_DAY, dt.time())
_LATEST = dt.datetime(LAST_DAY.year - 11, 12, 31)


def _maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


@functools.cache
def _builtin() -> tuple[Policy, ...]:
    return tuple(load_policy(policy_id) for policy_id in builtin_policies())


def _names(used: Callable[[Policy], Iterable[str]]) -> st.SearchStrategy[str]:
    """Any text, or a name the built-in policies use (they are loaded on the first draw)."""
    return _TEXT | st.deferred(
        lambda: st.sampled_from(sorted({name for policy in _builtin() for name in used(policy)}))
    )


def _electors(policy: Policy) -> Iterable[str]:
    for council in policy.councils:
        for rule in council.criteria:
            if isinstance(rule, ElectedBy):
                yield from rule.electors


def _amounts() -> st.SearchStrategy[Decimal]:
    """Finite amounts of at least 0, in whole units, to the øre, or finer."""
    return st.one_of(
        [st.decimals(min_value=0, max_value=_MAX_AMOUNT, places=places) for places in (0, 2, 4)]
    )


def _zones() -> st.SearchStrategy[dt.tzinfo]:
    fixed = st.timedeltas(
        min_value=dt.timedelta(hours=-23, minutes=-59), max_value=dt.timedelta(hours=23, minutes=59)
    ).map(dt.timezone)
    return st.just(dt.UTC) | fixed | st.timezones()


def _exists(moment: dt.datetime) -> bool:
    """Whether an aware wall-clock time exists (is not skipped by a change to summer time)."""
    if moment.tzinfo is None:
        return True
    back = moment.astimezone(dt.UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def _before(start: dt.datetime, end: dt.datetime) -> bool:
    """`start < end` both on the wall clock and, when aware, as instants."""
    if start.tzinfo is None:
        return start < end
    return start < end and start.astimezone(dt.UTC) < end.astimezone(dt.UTC)


@st.composite
def _span(draw: st.DrawFn) -> tuple[dt.datetime | None, dt.datetime | None]:
    """A booking's start and end: both naive, or both aware in the same time zone; start < end."""
    start = draw(
        st.datetimes(_EARLIEST, _LATEST)
        | st.datetimes(_EARLIEST, _LATEST, timezones=_zones(), allow_imaginary=False)
    )
    length = draw(
        st.timedeltas(min_value=dt.timedelta(minutes=15), max_value=dt.timedelta(hours=12))
        | st.timedeltas(min_value=dt.timedelta(microseconds=1), max_value=dt.timedelta(days=3653))
    )
    end = start + length
    assume(_exists(end) and _before(start, end))
    return draw(_maybe(st.just(start))), draw(_maybe(st.just(end)))


def activities() -> st.SearchStrategy[Activity]:
    """`Activity` facts: any description, pay, beneficiary, organiser, participation and area."""
    return st.builds(
        Activity,
        description=_maybe(_TEXT),
        pay=_maybe(st.sampled_from(Pay)),
        beneficiary=_maybe(st.sampled_from(Beneficiary)),
        organised_by=_maybe(st.sampled_from(Organiser)),
        participation=_maybe(st.sampled_from(Participation)),
        compulsion=_maybe(st.sampled_from(Compulsion)),
        area=_maybe(st.sampled_from(Area)),
    )


def organisations() -> st.SearchStrategy[Organisation]:
    """`Organisation` facts; `municipality` is any text or a built-in policy's municipality."""
    return st.builds(
        Organisation,
        name=_maybe(_TEXT),
        non_profit=_maybe(st.booleans()),
        volunteer_based=_maybe(st.booleans()),
        municipality=_maybe(_names(lambda policy: [policy.municipality])),
        area=_maybe(st.sampled_from(Area)),
        registered=_maybe(st.booleans()),
    )


def bodies() -> st.SearchStrategy[Body]:
    """`Body` facts: any body kind and name; `municipality` is any text or a built-in policy's
    municipality."""
    return st.builds(
        Body,
        kind=_maybe(st.sampled_from(BodyKind)),
        name=_maybe(_TEXT),
        municipality=_maybe(_names(lambda policy: [policy.municipality])),
    )


def members() -> st.SearchStrategy[Member]:
    """`Member` facts sitting for a body from `bodies()`; `elected_by` is any text or an elector
    a built-in council names."""
    return st.builds(
        Member,
        name=_maybe(_TEXT),
        represents=_maybe(bodies()),
        elected_by=_maybe(_names(_electors)),
    )


def councils() -> st.SearchStrategy[Council]:
    """`Council` facts: `kind` is any text or a council kind of a built-in policy; up to 20
    members from `members()`; a secretary from `bodies()`."""
    return st.builds(
        Council,
        kind=_maybe(_names(lambda policy: (council.kind for council in policy.councils))),
        members=_maybe(st.lists(members(), max_size=20).map(tuple)),
        secretary=_maybe(bodies()),
    )


def meetings() -> st.SearchStrategy[Meeting]:
    """`Meeting` records: `obligation` is any text or an obligation id of a built-in policy;
    `held` any date in the supported range (`frivillighet.dates.FIRST_DAY` to `LAST_DAY`)."""
    return st.builds(
        Meeting,
        obligation=_maybe(_names(lambda policy: (rule.id for rule in policy.obligations))),
        held=_maybe(_DATES),
    )


def premises() -> st.SearchStrategy[Premises]:
    """`Premises` facts: any name and premises kind."""
    return st.builds(Premises, name=_maybe(_TEXT), kind=_maybe(st.sampled_from(PremisesKind)))


@st.composite
def _bookings(draw: st.DrawFn) -> Booking:
    start, end = draw(_span())
    return Booking(
        premises=draw(_maybe(premises())),
        organisation=draw(_maybe(organisations())),
        purpose=draw(_maybe(st.sampled_from(Purpose))),
        start=start,
        end=end,
    )


def bookings() -> st.SearchStrategy[Booking]:
    """`Booking` facts of `premises()` by `organisations()` for any purpose. `start` is before
    `end`, both naive or both aware in one time zone (fixed offsets and IANA zones, including
    times that occur twice when summer time ends, never ones it skips), usually a quarter of an
    hour to twelve hours apart, but anything from a microsecond to ten years; either may be
    `None`."""
    return _bookings()


def tariffs() -> st.SearchStrategy[Tariff]:
    """`Tariff` facts: `currency` is any text or a Nordic ISO 4217 code; `hourly` maps any
    premises kinds (possibly none) to amounts of at least 0."""
    return st.builds(
        Tariff,
        currency=_maybe(_TEXT | st.sampled_from(_CURRENCIES)),
        hourly=_maybe(st.dictionaries(st.sampled_from(PremisesKind), _amounts())),
    )


def grant_applications() -> st.SearchStrategy[GrantApplication]:
    """`GrantApplication` facts by `organisations()`: `scheme` is any text or a scheme id of a
    built-in policy; `amount` at least 0; any area and date."""
    return st.builds(
        GrantApplication,
        applicant=_maybe(organisations()),
        scheme=_maybe(
            _names(lambda policy: [scheme.id for scheme in (policy.grants or _NO_GRANTS).schemes])
        ),
        amount=_maybe(_amounts()),
        purpose=_maybe(_TEXT),
        area=_maybe(st.sampled_from(Area)),
        submitted=_maybe(_DATES),
    )


def scheme_changes() -> st.SearchStrategy[SchemeChange]:
    """`SchemeChange` facts: any description and dates, in either order."""
    return st.builds(
        SchemeChange,
        description=_maybe(_TEXT),
        discussed=_maybe(_DATES),
        decided=_maybe(_DATES),
    )


@st.composite
def _agreements(draw: st.DrawFn) -> Agreement:
    open_ended = draw(_maybe(st.booleans()))
    return Agreement(
        kind=draw(_maybe(st.sampled_from(AgreementKind))),
        parties=draw(_maybe(st.lists(_TEXT, max_size=5).map(tuple))),
        purpose=draw(_maybe(_TEXT)),
        municipality_duties=draw(_maybe(_TEXT)),
        volunteer_duties=draw(_maybe(_TEXT)),
        routines=draw(_maybe(_TEXT)),
        starts=draw(_maybe(_DATES)),
        ends=None if open_ended else draw(_maybe(_DATES)),
        open_ended=open_ended,
        revision=draw(_maybe(_TEXT)),
        termination=draw(_maybe(_TEXT)),
        replaces_public_service=draw(_maybe(st.booleans())),
    )


def agreements() -> st.SearchStrategy[Agreement]:
    """`Agreement` facts: any kind, up to 5 parties, any texts, start and end dates in either
    order, open-ended (then with no end date) or not, and whether it replaces a public
    service."""
    return _agreements()


def hearings() -> st.SearchStrategy[Hearing]:
    """`Hearing` facts: in a planning process or not, sent to any texts and to the names and
    kinds of the built-in policies' councils (with and without «quotation marks»)."""
    named = _names(_council_names) | _names(_council_names).map("«{}»".format)
    return st.builds(
        Hearing,
        subject=_maybe(_TEXT),
        planning=_maybe(st.booleans()),
        consultees=_maybe(st.lists(named, max_size=4).map(tuple)),
    )


def reviews(checklist: Checklist | None = None) -> st.SearchStrategy[Review]:
    """`Review` facts of `checklist` (by default, of any of the built-in policies' checklists,
    loaded on the first draw): each item present, absent or unknown, with any subject."""
    if checklist is not None:
        return _review(checklist)
    return st.deferred(
        lambda: st.sampled_from(
            [checklist for policy in _builtin() for checklist in policy.checklists]
        )
    ).flatmap(_review)


def _review(checklist: Checklist) -> st.SearchStrategy[Review]:
    items = [item.id for item in checklist.items]
    found = st.lists(st.sampled_from((True, False, None)), min_size=len(items), max_size=len(items))
    return st.builds(
        lambda subject, states: Review(
            subject=subject,
            present=_known(item for item, state in zip(items, states, strict=True) if state),
            absent=_known(
                item for item, state in zip(items, states, strict=True) if state is False
            ),
        ),
        _maybe(_TEXT),
        found,
    )


def _known(items: Iterable[str]) -> tuple[str, ...] | None:
    """The items, or `None` (unknown) where there are none: an empty list says no more."""
    return tuple(items) or None


def _council_names(policy: Policy) -> Iterable[str]:
    for council in policy.councils:
        yield council.kind
        yield from (council.name.get(lang) for lang in ("nb", "da", "en"))


def forgetting(fact: T) -> st.SearchStrategy[T]:
    """`fact` with some of what it says forgotten: any known field may become `None`, and nested
    facts (a booking's organisation, a council's members) forget in turn.

    A rule is sound when what it says of such a fact it says of `fact` too, unless it says it
    cannot tell (`UNDETERMINED`): filling in a missing fact never turns NO into YES or YES into
    NO. `frivillighet verify` proves this by enumeration where the facts are finite."""
    return st.composite(lambda draw: _forget(draw, fact))()


def _forget(draw: st.DrawFn, value: T) -> T:
    if not attrs.has(type(value)):
        return value
    changes: dict[str, Any] = {}
    for field in attrs.fields(cast(Any, type(value))):
        known = getattr(value, field.name)
        if known is None or field.default is not None:
            continue
        if draw(st.booleans()):
            changes[field.name] = None
        elif attrs.has(type(known)):
            changes[field.name] = _forget(draw, known)
        elif isinstance(known, tuple) and any(attrs.has(type(item)) for item in known):
            changes[field.name] = tuple(_forget(draw, item) for item in known)
    return cast(T, attrs.evolve(cast(Any, value), **changes))


def policies() -> st.SearchStrategy[Policy]:
    """The built-in policies (`frivillighet.builtin_policies()`), loaded with `load_policy`."""
    return st.sampled_from(builtin_policies()).map(load_policy)


_BY_TYPE: dict[type[Any], Callable[[], st.SearchStrategy[Any]]] = {
    Activity: activities,
    Organisation: organisations,
    Body: bodies,
    Member: members,
    Council: councils,
    Meeting: meetings,
    Premises: premises,
    Booking: bookings,
    Tariff: tariffs,
    GrantApplication: grant_applications,
    SchemeChange: scheme_changes,
    Agreement: agreements,
    Hearing: hearings,
    Review: reviews,
    Policy: policies,
}


def _register() -> None:
    for kind, strategy in _BY_TYPE.items():
        st.register_type_strategy(kind, strategy())


_register()
