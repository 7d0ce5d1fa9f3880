"""Partnership agreements: an `Agreement` judged against the policy's template and principles.

Lier 3.3: agreements «skal ta utgangspunkt i en avtale-mal» with six sections (parties; purpose;
the municipality's duties; the volunteers' duties; cooperation routines; duration, revision and
termination); volunteers «ikke skal erstatte offentlige tjenester»; an association that delivers
a municipal service does so under «ordinær kontrakt». Hemnes and Stange: volunteers «supplere –
og ikke erstatte – offentlige tjenester».
"""

from __future__ import annotations

import abc
from enum import StrEnum
from typing import TYPE_CHECKING

import attrs
from attrs import frozen

from frivillighet.errors import InputError
from frivillighet.model import Agreement, AgreementKind
from frivillighet.rules.common import Judgement, Rule, family, judged, kind, listed, not_empty
from frivillighet.verdict import Finding, Text, Verdict, decide

if TYPE_CHECKING:
    from frivillighet.policy import Policy


__all__ = [
    "AgreementPart",
    "Duration",
    "OrdinaryContract",
    "Partnership",
    "PartnershipRule",
    "Section",
    "Supplement",
    "Template",
    "assess",
]


def assess(policy: Policy, agreement: Agreement) -> Verdict:
    """Whether `agreement` follows the policy's template and principles.

    Where the policy says services are bought under an ordinary contract, an agreement of that
    kind is judged as such a contract only: the partnership template does not apply to it. While
    the kind is unknown, a rule that fails would apply only if it is a partnership: it is then
    undetermined, naming the kind.
    """
    if not isinstance(agreement, Agreement):
        raise InputError(
            f"expected an Agreement, got {type(agreement).__name__}", field="agreement"
        )
    if policy.partnership is None:
        raise InputError(f"policy {policy.id!r} sets no rules for agreements", field="policy")
    criteria = policy.partnership.criteria
    contracts = [rule for rule in criteria if isinstance(rule, OrdinaryContract)]
    if any(agreement.kind is rule.kind for rule in contracts):
        criteria = tuple(contracts)
    open_kind = agreement.kind is None and bool(contracts)
    return decide(
        tuple(
            _routing(rule, agreement)
            if isinstance(rule, OrdinaryContract)
            else judged(
                rule, _if_partnership(rule.judge(agreement)) if open_kind else rule.judge(agreement)
            )
            for rule in criteria
        )
    )


def _if_partnership(judgement: Judgement) -> Judgement:
    """A failing judgement of an agreement that may be a service contract: undetermined."""
    holds, reasons, missing = judgement
    if holds is False:
        return None, _IF_PARTNERSHIP.format(reasons), ("kind", *missing)
    return judgement


_IF_PARTNERSHIP = Text(
    en="If this is a partnership agreement: {0}",
    nb="Hvis dette er en partnerskapsavtale: {0}",
    da="Hvis dette er en partnerskabsaftale: {0}",
)


# --- The rules of an agreement ---------------------------------------------------------------


@family()
@frozen(kw_only=True, cache_hash=True)
class PartnershipRule(Rule, abc.ABC):
    """A rule an agreement between the municipality and volunteers must satisfy."""

    @abc.abstractmethod
    def judge(self, agreement: Agreement) -> Judgement:
        """Whether `agreement` meets the rule."""


@frozen(kw_only=True, cache_hash=True)
class Partnership:
    """What a partnership or cooperation agreement with volunteers must satisfy: every rule in
    `criteria`."""

    criteria: tuple[PartnershipRule, ...] = attrs.field(validator=not_empty)


# --- Each kind of rule -----------------------------------------------------------------------


class AgreementPart(StrEnum):
    """Fields of an `Agreement` that a template section asks for."""

    PARTIES = "parties"
    PURPOSE = "purpose"
    MUNICIPALITY_DUTIES = "municipality_duties"
    VOLUNTEER_DUTIES = "volunteer_duties"
    ROUTINES = "routines"
    STARTS = "starts"
    ENDS = "ends"
    REVISION = "revision"
    TERMINATION = "termination"


@frozen(kw_only=True, cache_hash=True)
class Section:
    """A numbered section of an agreement template and the agreement fields that fill it."""

    number: int
    title: str
    fields: tuple[AgreementPart, ...] = attrs.field(validator=not_empty)

    def __str__(self) -> str:
        return f"{self.number}. {self.title} ({', '.join(self.fields)})"


@kind("template")
@frozen(kw_only=True, cache_hash=True)
class Template(PartnershipRule):
    """Agreements follow the template: every section is filled in. A field left `None` is
    unknown; an empty or whitespace-only text, or empty `parties`, is blank and fails, naming
    the section."""

    sections: tuple[Section, ...] = attrs.field(validator=not_empty)

    def __attrs_post_init__(self) -> None:
        numbers = [section.number for section in self.sections]
        if len(set(numbers)) != len(numbers):
            raise InputError(f"section numbers must differ, got {numbers}", field="sections")

    def judge(self, agreement: Agreement) -> Judgement:
        return _template(self, agreement)


def _blank(value: object) -> bool | None:
    """Whether a template field is empty (`None`: unknown)."""
    if value is None:
        return None
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, tuple):
        return not value or all(not str(item).strip() for item in value)
    return False


def _template(rule: Template, agreement: Agreement) -> Judgement:
    empty: list[Section] = []
    unknown: list[str] = []
    for section in rule.sections:
        states = [_blank(getattr(agreement, field)) for field in section.fields]
        if any(states):
            empty.append(section)
        unknown += [
            str(field) for field, state in zip(section.fields, states, strict=True) if state is None
        ]
    if empty:
        return False, _EMPTY_SECTIONS.format(listed(f"{s.number}. {s.title}" for s in empty)), ()
    if unknown:
        return None, _UNKNOWN_SECTIONS.format(listed(unknown)), tuple(unknown)
    return True, _FULL_TEMPLATE.format(len(rule.sections)), ()


_EMPTY_SECTIONS = Text(
    en="Template sections missing or empty: {0}.",
    nb="Avtalemalens punkter mangler eller er tomme: {0}.",
    da="Skabelonens afsnit mangler eller er tomme: {0}.",
)


_UNKNOWN_SECTIONS = Text(
    en="Unknown whether the agreement fills in: {0}.",
    nb="Ukjent om avtalen fyller ut: {0}.",
    da="Ukendt om aftalen udfylder: {0}.",
)


_FULL_TEMPLATE = Text(
    en="All {0} sections of the template are filled in.",
    nb="Alle {0} punktene i avtalemalen er fylt ut.",
    da="Alle {0} afsnit i skabelonen er udfyldt.",
)


@kind("supplement")
@frozen(kw_only=True, cache_hash=True)
class Supplement(PartnershipRule):
    """Volunteers supplement public services and replace none
    (`Agreement.replaces_public_service` is `false`)."""

    def judge(self, agreement: Agreement) -> Judgement:
        return _supplement(agreement)


def _supplement(agreement: Agreement) -> Judgement:
    if agreement.replaces_public_service is None:
        return None, _SUPPLEMENT_UNKNOWN, ("replaces_public_service",)
    if agreement.replaces_public_service:
        return False, _REPLACES, ()
    return True, _SUPPLEMENTS, ()


_SUPPLEMENT_UNKNOWN = Text(
    en="Unknown whether the volunteers would replace a public service.",
    nb="Ukjent om de frivillige ville erstatte en offentlig tjeneste.",
    da="Ukendt om de frivillige ville erstatte en offentlig ydelse.",
)


_REPLACES = Text(
    en="The volunteers would replace a public service; they may only add to it.",
    nb="De frivillige ville erstatte en offentlig tjeneste; de skal bare supplere.",
    da="De frivillige ville erstatte en offentlig ydelse; de må kun supplere.",
)


_SUPPLEMENTS = Text(
    en="The volunteers add to public services and replace none.",
    nb="De frivillige supplerer offentlige tjenester og erstatter ingen.",
    da="De frivillige supplerer offentlige ydelser og erstatter ingen.",
)


@kind("ordinary_contract")
@frozen(kw_only=True, cache_hash=True)
class OrdinaryContract(PartnershipRule):
    """A body that delivers a municipal service does so under an ordinary contract, not a
    partnership agreement: an agreement of kind `kind` is judged by this rule only (the others
    do not apply to it). The rule says which rules apply and does not decide itself; unknown
    when `Agreement.kind` is `None`."""

    kind: AgreementKind = AgreementKind.SERVICE_CONTRACT

    def judge(self, agreement: Agreement) -> Judgement:
        return _contract(self, agreement)


def _routing(rule: OrdinaryContract, agreement: Agreement) -> Finding:
    return judged(rule, rule.judge(agreement), decides=False)


def _contract(rule: OrdinaryContract, agreement: Agreement) -> Judgement:
    if agreement.kind is None:
        return None, _KIND_UNKNOWN, ("kind",)
    if agreement.kind is rule.kind:
        return True, _ORDINARY, ()
    return True, _PARTNERSHIP, ()


_KIND_UNKNOWN = Text(
    en="Unknown whether this is a partnership agreement or a service contract.",
    nb="Ukjent om dette er en partnerskapsavtale eller en tjenestekontrakt.",
    da="Ukendt om dette er en partnerskabsaftale eller en tjenestekontrakt.",
)


_ORDINARY = Text(
    en="A service delivered to the municipality is an ordinary contract; the partnership "
    "template does not apply.",
    nb="En tjeneste levert til kommunen er en ordinær kontrakt; avtalemalen for partnerskap "
    "gjelder ikke.",
    da="En ydelse leveret til kommunen er en almindelig kontrakt; partnerskabsskabelonen gælder "
    "ikke.",
)


_PARTNERSHIP = Text(
    en="A partnership agreement, not a contract for a municipal service.",
    nb="En partnerskapsavtale, ikke en kontrakt om en kommunal tjeneste.",
    da="En partnerskabsaftale, ikke en kontrakt om en kommunal ydelse.",
)


@kind("duration")
@frozen(kw_only=True, cache_hash=True)
class Duration(PartnershipRule):
    """The agreement ends after it starts (`ends` later than `starts`)."""

    def judge(self, agreement: Agreement) -> Judgement:
        return _duration(agreement)


def _duration(agreement: Agreement) -> Judgement:
    missing = tuple(name for name in ("starts", "ends") if getattr(agreement, name) is None)
    if agreement.starts is None or agreement.ends is None:
        return None, _DATES_UNKNOWN, missing
    holds = agreement.ends > agreement.starts
    return holds, (_RUNS if holds else _ENDS_FIRST).format(agreement.starts, agreement.ends), ()


_DATES_UNKNOWN = Text(
    en="Unknown when the agreement starts or ends.",
    nb="Ukjent når avtalen starter eller slutter.",
    da="Ukendt hvornår aftalen starter eller slutter.",
)


_RUNS = Text(
    en="The agreement runs from {0} to {1}.",
    nb="Avtalen gjelder fra {0} til {1}.",
    da="Aftalen gælder fra {0} til {1}.",
)


_ENDS_FIRST = Text(
    en="The agreement does not end ({1}) after it starts ({0}).",
    nb="Avtalen slutter ({1}) ikke etter at den starter ({0}).",
    da="Aftalen slutter ({1}) ikke efter, at den starter ({0}).",
)
