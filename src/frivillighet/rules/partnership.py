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

from frivillighet import dates
from frivillighet.errors import InputError
from frivillighet.model import Agreement, AgreementKind
from frivillighet.rules.common import Judgement, Rule, family, judged, kind, listed, not_empty
from frivillighet.verdict import Finding, Text, Verdict, decide

if TYPE_CHECKING:
    from collections.abc import Iterable

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
    """Two parties at least: Lier's «mellom foreningen xx og virksomheten yy»."""
    PURPOSE = "purpose"
    MUNICIPALITY_DUTIES = "municipality_duties"
    VOLUNTEER_DUTIES = "volunteer_duties"
    ROUTINES = "routines"
    STARTS = "starts"
    ENDS = "ends"
    """How the agreement ends: on its end date (`ends`), or, when it is `open_ended`, as its
    termination clause says."""
    REVISION = "revision"
    TERMINATION = "termination"


_PART_NAMES = {
    AgreementPart.PARTIES: Text(en="parties", nb="avtalepartnere", da="aftaleparter"),
    AgreementPart.PURPOSE: Text(en="purpose", nb="formål", da="formål"),
    AgreementPart.MUNICIPALITY_DUTIES: Text(
        en="the municipality's duties",
        nb="kommunens ansvar og oppgaver",
        da="kommunens ansvar og opgaver",
    ),
    AgreementPart.VOLUNTEER_DUTIES: Text(
        en="the volunteers' duties",
        nb="de frivilliges ansvar og oppgaver",
        da="de frivilliges ansvar og opgaver",
    ),
    AgreementPart.ROUTINES: Text(
        en="cooperation routines", nb="samarbeidsrutiner", da="samarbejdsrutiner"
    ),
    AgreementPart.STARTS: Text(en="start date", nb="startdato", da="startdato"),
    AgreementPart.ENDS: Text(en="end date", nb="sluttdato", da="slutdato"),
    AgreementPart.REVISION: Text(en="revision", nb="revisjon", da="revision"),
    AgreementPart.TERMINATION: Text(en="termination", nb="oppsigelse", da="opsigelse"),
}


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
    unknown; an empty or whitespace-only text is blank and fails, naming the section. `parties`
    needs two non-blank names (Lier, section 1: «mellom foreningen xx og virksomheten yy»); `ends`
    is filled by an end date, or by `open_ended` with a written `termination` clause (section 6:
    «Varighet, revisjon og oppsigelse»)."""

    sections: tuple[Section, ...] = attrs.field(validator=not_empty)

    def __attrs_post_init__(self) -> None:
        numbers = [section.number for section in self.sections]
        if len(set(numbers)) != len(numbers):
            raise InputError(f"section numbers must differ, got {numbers}", field="sections")

    def judge(self, agreement: Agreement) -> Judgement:
        return _template(self, agreement)


def _named(parties: tuple[str, ...]) -> int:
    """How many different parties `parties` names: blank strings are not parties, and a name
    given twice is one party."""
    return len({" ".join(party.casefold().split()) for party in parties if party.strip()})


def _filled(agreement: Agreement, part: AgreementPart) -> tuple[bool | None, tuple[str, ...]]:
    """Whether `part` of `agreement` is filled in (`None`: unknown), and the facts it waits for."""
    if part is AgreementPart.ENDS and agreement.ends is None:
        if agreement.open_ended:
            return _filled(agreement, AgreementPart.TERMINATION)
        return None, (("ends",) if agreement.open_ended is False else ("ends", "open_ended"))
    value = getattr(agreement, part)
    if value is None:
        return None, (str(part),)
    if part is AgreementPart.PARTIES:
        return _named(value) >= 2, ()
    return not isinstance(value, str) or bool(value.strip()), ()


def _template(rule: Template, agreement: Agreement) -> Judgement:
    empty: list[str] = []
    wrong: list[Text] = []
    unknown: list[Text] = []
    open_terms: list[Text] = []
    missing: list[str] = []
    for section in rule.sections:
        label = f"{section.number}. {section.title}"
        blank = False
        for part in section.fields:
            state, waits = _filled(agreement, part)
            if state is None:
                missing += waits
                if waits[0] == "ends":
                    term = _END_UNKNOWN if len(waits) == 1 else _TERM_UNKNOWN
                    open_terms.append(term.format(label))
                else:
                    unknown.append(_PART_NAMES[AgreementPart(waits[0])])
            elif state is False and part is AgreementPart.PARTIES:
                if _named(agreement.parties or ()) == 1:
                    wrong.append(_ONE_PARTY.format(label))
                else:
                    blank = True
            elif state is False:
                blank = True
                if part is AgreementPart.ENDS:
                    wrong.append(_NO_TERMINATION)
        if blank:
            empty.append(label)
    if empty or wrong:
        said = [_EMPTY_SECTIONS.format(listed(empty))] if empty else []
        return False, _sentences(*said, *wrong), ()
    if missing:
        said = [_UNKNOWN_SECTIONS.format(_joined(dict.fromkeys(unknown)))] if unknown else []
        return None, _sentences(*said, *open_terms), tuple(dict.fromkeys(missing))
    return True, _FULL_TEMPLATE.format(len(rule.sections)), ()


def _joined(texts: Iterable[Text], separator: str = ", ") -> Text:
    """`texts` joined with `separator`, language by language."""
    items = list(texts)
    return Text(**{lang: separator.join(t.get(lang) for t in items) for lang in _LANGUAGES})


def _sentences(*texts: Text) -> Text:
    """`texts` as one text, sentence after sentence."""
    return _joined(texts, " ")


_LANGUAGES = ("nb", "da", "en")


_EMPTY_SECTIONS = Text(
    en="Template sections missing or empty: {0}.",
    nb="Avtalemalens punkter mangler eller er tomme: {0}.",
    da="Skabelonens afsnit mangler eller er tomme: {0}.",
)


_ONE_PARTY = Text(
    en="{0}: the template names two parties, the association and the municipal unit; the "
    "agreement names only one.",
    nb="{0}: malen nevner to avtalepartnere, foreningen og den kommunale virksomheten; avtalen "
    "nevner bare én.",
    da="{0}: skabelonen nævner to aftaleparter, foreningen og den kommunale enhed; aftalen "
    "nævner kun én.",
)


_NO_TERMINATION = Text(
    en="An agreement without an end date runs until it is terminated, so it needs terms of "
    "termination.",
    nb="En avtale uten sluttdato gjelder til den sies opp, og må derfor ha regler for oppsigelse.",
    da="En aftale uden slutdato gælder, indtil den opsiges, og skal derfor have regler for "
    "opsigelse.",
)


_UNKNOWN_SECTIONS = Text(
    en="Unknown whether the agreement fills in: {0}.",
    nb="Ukjent om avtalen fyller ut: {0}.",
    da="Ukendt om aftalen udfylder: {0}.",
)


_TERM_UNKNOWN = Text(
    en="{0}: unknown whether the agreement ends on a date or runs until it is terminated.",
    nb="{0}: ukjent om avtalen slutter på en dato eller gjelder til den sies opp.",
    da="{0}: ukendt om aftalen slutter på en dato eller gælder, indtil den opsiges.",
)


_END_UNKNOWN = Text(
    en="{0}: unknown on which date the agreement ends.",
    nb="{0}: ukjent hvilken dato avtalen slutter.",
    da="{0}: ukendt på hvilken dato aftalen slutter.",
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
    """The agreement ends after it starts (`ends` later than `starts`), or it runs until it is
    terminated (`open_ended`, with no end date): Lier, section 6, «Varighet»."""

    def judge(self, agreement: Agreement) -> Judgement:
        return _duration(agreement)


def _duration(agreement: Agreement) -> Judgement:
    starts, ends = agreement.starts, agreement.ends
    if agreement.open_ended:
        if starts is None:
            return True, _OPEN_ENDED, ()
        return True, _UNTIL_TERMINATED.format(dates.in_words(starts)), ()
    if starts is not None and ends is not None:
        holds = ends > starts
        return (
            holds,
            (_RUNS if holds else _ENDS_FIRST).format(dates.in_words(starts), dates.in_words(ends)),
            (),
        )
    missing = tuple(name for name in ("starts", "ends") if getattr(agreement, name) is None)
    if ends is None and agreement.open_ended is None:
        return None, _TERM_UNKNOWN_WHEN, (*missing, "open_ended")
    return None, _DATES_UNKNOWN[missing], missing


_DATES_UNKNOWN = {
    ("starts",): Text(
        en="Unknown when the agreement starts.",
        nb="Ukjent når avtalen starter.",
        da="Ukendt hvornår aftalen starter.",
    ),
    ("ends",): Text(
        en="Unknown when the agreement ends.",
        nb="Ukjent når avtalen slutter.",
        da="Ukendt hvornår aftalen slutter.",
    ),
    ("starts", "ends"): Text(
        en="Unknown when the agreement starts or ends.",
        nb="Ukjent når avtalen starter eller slutter.",
        da="Ukendt hvornår aftalen starter eller slutter.",
    ),
}


_TERM_UNKNOWN_WHEN = Text(
    en="Unknown when the agreement ends, or whether it runs until it is terminated.",
    nb="Ukjent når avtalen slutter, eller om den gjelder til den sies opp.",
    da="Ukendt hvornår aftalen slutter, eller om den gælder, indtil den opsiges.",
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


_UNTIL_TERMINATED = Text(
    en="The agreement runs from {0} until it is terminated.",
    nb="Avtalen gjelder fra {0} til den sies opp.",
    da="Aftalen gælder fra {0}, indtil den opsiges.",
)


_OPEN_ENDED = Text(
    en="The agreement has no end date: it runs until it is terminated.",
    nb="Avtalen har ingen sluttdato: den gjelder til den sies opp.",
    da="Aftalen har ingen slutdato: den gælder, indtil den opsiges.",
)
