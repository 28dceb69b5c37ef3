"""«Mis descuentos»: the deductions of each boleta grouped by kind, and per month the net
pay against the floor of DS 010-2014-EF.

The floor. DS 010-2014-EF (rules on deductions from the pay of public servants) lets
deductions other than statutory and court-ordered ones take at most half of what remains
after those: the servant keeps at least 50% of their pay net of statutory and judicial
deductions. Per month, over the servant's current boletas of that month:

    base  = bruto (the boletas' ingresos) − descuentos de ley − descuentos judiciales
    floor = 50% of base, to the cent (half-up)
    below = neto (what is paid) < floor

The base is the bruto of the boleta because that is the «total de ingresos» the rule
speaks of and what the boleta prints; employer contributions (aportes) are not pay and are
left out. Statutory and judicial deductions are taken from the base because the rule
excludes them from the 50% limit. Deductions nobody has classified yet («Otros») count as
subject to the limit: a warning may then point an operator to a code to classify, never
hide a month that is below. A month is the unit because pay, and the limit, are monthly.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fnmatch import fnmatchcase

from ayni.boletas.models import (
    Boleta,
    ConceptClassification,
    ConceptKind,
    Concepto,
    DamagedConceptos,
)

OTHERS = "otros"
GROUPS = [*ConceptClassification.Group.choices, (OTHERS, "Otros (sin clasificar)")]
EXEMPT = {ConceptClassification.Group.LEY, ConceptClassification.Group.JUDICIAL}
CENT = Decimal("0.01")


class Classifier:
    """The operators' rules, read once: a code's exact rule, else its longest pattern."""

    def __init__(self, rules=None):
        rules = rules if rules is not None else ConceptClassification.objects.all()
        self.exact = {}
        self.patterns = []
        for rule in rules:
            pattern = rule.pattern.strip().lower()
            if "*" in pattern:
                self.patterns.append((pattern, rule.group))
            else:
                self.exact[pattern] = rule.group
        self.patterns.sort(key=lambda item: len(item[0].replace("*", "")), reverse=True)

    def group_of(self, code: str) -> str:
        code = code.strip().lower()
        if code in self.exact:
            return self.exact[code]
        return next((group for pattern, group in self.patterns if fnmatchcase(code, pattern)),
                    OTHERS)  # fmt: skip


@dataclass
class BoletaDeductions:
    boleta: Boleta
    groups: list[tuple[str, str, list[Concepto], Decimal]]  # key, label, lines, subtotal
    damaged: bool = False  # its conceptos cannot be read: no groups


@dataclass
class Month:
    period: date
    boletas: list[BoletaDeductions] = field(default_factory=list)
    gross: Decimal = Decimal(0)
    exempt: Decimal = Decimal(0)  # de ley and judiciales
    net: Decimal = Decimal(0)
    damaged: bool = False  # a boleta of the month cannot be read: no floor check

    @property
    def base(self) -> Decimal:
        return self.gross - self.exempt

    @property
    def floor(self) -> Decimal:
        return (self.base / 2).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def below(self) -> bool:
        return not self.damaged and self.net < self.floor


def grouped(boleta: Boleta, classifier: Classifier) -> BoletaDeductions:
    """The boleta's deduction lines by group, in the order of GROUPS; empty groups left out."""
    try:
        lines = boleta.concept_lines
    except DamagedConceptos:
        return BoletaDeductions(boleta, [], damaged=True)
    by_group: dict[str, list[Concepto]] = {}
    for line in lines:
        if line.kind == ConceptKind.DEDUCTION:
            by_group.setdefault(classifier.group_of(line.code), []).append(line)
    return BoletaDeductions(
        boleta,
        [(key, label, by_group[key], sum((line.amount for line in by_group[key]), Decimal(0)))
         for key, label in GROUPS if key in by_group],
    )  # fmt: skip


def months(boletas, classifier: Classifier | None = None) -> list[Month]:
    """The current boletas given, month by month (newest first), with the floor check."""
    classifier = classifier or Classifier()
    result: dict[date, Month] = {}
    for boleta in boletas.filter(state=Boleta.State.CURRENT).order_by("-period", "payroll_type"):
        month = result.setdefault(boleta.period, Month(boleta.period))
        deductions = grouped(boleta, classifier)
        month.boletas.append(deductions)
        month.damaged = month.damaged or deductions.damaged
        month.gross += boleta.gross
        month.net += boleta.net
        month.exempt += sum(total for key, _, _, total in deductions.groups if key in EXEMPT)
    return list(result.values())
