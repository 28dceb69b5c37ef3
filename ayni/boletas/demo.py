"""Demo boletas: every demo servant from 2020-05 to last month, through the real import.

Each servant gets a profile (regime, position, salary, pension system) drawn from a random
generator seeded by their document number, so the data do not depend on how many servants
there are or on the order of runs. Regular planillas every month, Aguinaldo in July and
December, the escolaridad bonus in January, a raise every March. The March 2023 planilla
was first loaded without the raise for some servants and then corrected, so those boletas
appear "Anulado" and replaced. Running it again finds everything unchanged.

Large demo sizes (more than FULL_HISTORY_SERVANTS servants) get only the last 12 months.
"""

import csv
import random
import tempfile
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db.models import Q

from ayni.boletas.imports import PlanillaSource, current_month, import_planilla
from ayni.boletas.models import Boleta, PlanillaImport
from ayni.boletas.planilla import COLUMNS, FIRST_PERIOD
from ayni.core.validators import ruc_check_digit
from ayni.organizations.demo import (
    DEMO_SCHOOLS,
    DEMO_UGEL_CODE,
    FIXED_SERVANTS,
    SERVICE_FACTS,
)
from ayni.organizations.models import Servant

FULL_HISTORY_SERVANTS = 2000
CORRECTED_PERIOD = date(2023, 3, 1)
CENT = Decimal("0.01")
SAMPLE_RUC = "20990000078"  # the made-up RUC of the documented sample planilla
# June 2022 of the two demo servants is exactly the documented sample planilla.
SAMPLE_JUNE_2022 = {
    "40000001": [
        ("+rim", "REMUNERACION INTEGRA MENSUAL", "INGRESO", "2780.00"),
        ("+asigjer", "ASIGNACION POR JORNADA", "INGRESO", "150.12"),
        ("-snp", "SISTEMA NACIONAL DE PENSIONES", "DESCUENTO", "380.42"),
        ("-derrama", "DERRAMA MAGISTERIAL", "DESCUENTO", "27.80"),
        ("essalud", "ESSALUD 9%", "APORTE", "263.71"),
    ],
    "40000002": [
        ("+remunbas", "REMUNERACION BASICA", "INGRESO", "2420.22"),
        ("-afpfon", "AFP FONDO", "DESCUENTO", "242.02"),
        ("-afpseg", "AFP SEGURO", "DESCUENTO", "7.38"),
    ],
}
# Their 2020 base salary grows 5% every March: 2,780.00 and 2,420.22 in 2022, as in the sample.
# Código modular, fecha de ingreso, pension and cese come from SERVICE_FACTS, as the legajo's.
FIXED_PROFILES = {
    "40000001": {
        "regime": "Ley N° 29944", "servant_type": "Docente Nombrado", "position": "PROFESOR",
        "workplace": "IE 7041 SAN BORJA", "base": Decimal("2521.54"),
        "jornada": Decimal("150.12"), "union": False, "judicial": False,
    },
    "40000002": {
        "regime": "D.Leg. N° 276", "servant_type": "Administrativo Contratado",
        "position": "PROC.SIS. PAD", "workplace": "SEDE UGEL 07",
        "base": Decimal("2195.21"), "jornada": Decimal(0), "union": False, "judicial": False,
    },
    "40000003": {
        "regime": "Ley N° 29944", "servant_type": "Docente Nombrado", "position": "PROFESOR",
        "workplace": "IE 6051 SANTA ROSA", "base": Decimal("3618.40"),
        "jornada": Decimal("150.12"), "union": True, "judicial": False,
    },
}  # fmt: skip


def fixed_profile(document: str) -> dict:
    facts = SERVICE_FACTS[document]
    return {
        **FIXED_PROFILES[document],
        "modular": facts.codigo_modular, "hire_date": facts.fecha_ingreso,
        "pension": facts.pension, "cuspp": facts.cuspp,
        "last_period": facts.fecha_cese.replace(day=1) if facts.fecha_cese else None,
    }  # fmt: skip


ROLES = [
    # (weight, regime, servant type, positions, base salary range in 2020)
    (45, "Ley N° 29944", "Docente Nombrado", ["PROFESOR", "PROFESOR", "DIRECTOR"], (2200, 3900)),
    (15, "Ley N° 29944", "Docente Contratado", ["PROFESOR"], (2000, 2600)),
    (10, "Ley N° 30493", "Auxiliar de Educación", ["AUXILIAR DE EDUCACION"], (1300, 1700)),
    (18, "D.Leg. N° 276", "Administrativo Nombrado",
     ["TECNICO ADMINISTRATIVO", "ESPECIALISTA EN ESCALAFON", "SECRETARIA"], (1500, 2900)),
    (12, "D.Leg. N° 1057", "Administrativo CAS", ["ASISTENTE ADMINISTRATIVO", "PROC.SIS. PAD"],
     (1400, 3200)),
]  # fmt: skip
AFPS = ["PRIMA AFP", "AFP INTEGRA", "PROFUTURO AFP", "AFP HABITAT"]


def seed(ctx):
    fixed = [document for document, *_ in FIXED_SERVANTS]
    servants = list(
        Servant.objects.filter(document_type="DNI", unit__isnull=False)
        .filter(
            Q(document_number__in=fixed)
            | Q(document_number__gte="41000000", document_number__lt="42000000")
        )
        .select_related("unit")
        .order_by("document_number")
    )
    last = _previous_month(current_month())
    first = FIRST_PERIOD if len(servants) <= FULL_HISTORY_SERVANTS else _months_before(last, 11)
    periods = list(_months(first, last))
    if not periods:
        return
    profiles = {s.document_number: _profile(s) for s in servants}
    with tempfile.TemporaryDirectory(prefix="ayni-demo-") as folder:
        if (
            first <= CORRECTED_PERIOD <= last
            and not Boleta.objects.filter(period=CORRECTED_PERIOD).exists()
        ):
            # The first, uncorrected March 2023 planilla (only on the first run).
            _import(Path(folder) / "planilla-2023-03-original.csv", servants, profiles,
                    [CORRECTED_PERIOD], original=True)  # fmt: skip
        result = _import(Path(folder) / "planillas-demo.csv", servants, profiles, periods)
    ctx.say(
        f"Boletas: {result.created} nuevas, {result.replaced} reemplazadas, "
        f"{result.unchanged} sin cambios ({len(periods)} meses)."
    )


def _import(path: Path, servants, profiles, periods, original=False):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for period in periods:
            for servant in servants:
                for row in _rows(servant, profiles[servant.document_number], period, original):
                    writer.writerow(row)
    result = import_planilla(PlanillaSource.from_path(path), origin=PlanillaImport.Origin.DEMO)
    if not result.ok:
        raise RuntimeError(f"Planilla de demostración inválida: {result.problems[:3]}")
    return result


def _profile(servant: Servant) -> dict:
    unit = servant.unit
    entity = {"entity_code": unit.code, "entity_name": unit.name,
              "entity_ruc": unit.ruc or _demo_ruc(unit.code)}  # fmt: skip
    if servant.document_number in FIXED_PROFILES:
        return {**fixed_profile(servant.document_number), **entity}
    rng = random.Random(int(servant.document_number))
    _, regime, servant_type, positions, (low, high) = rng.choices(ROLES, [r[0] for r in ROLES])[0]
    teacher = servant_type.startswith(("Docente", "Auxiliar"))
    pension = "SNP" if rng.random() < 0.45 else rng.choice(AFPS)
    if unit.code == DEMO_UGEL_CODE:
        school = rng.choice(DEMO_SCHOOLS)[1]
    else:
        school = f"IE N° {rng.randint(100, 9999)}"
    return {
        **entity,
        "regime": regime,
        "servant_type": servant_type,
        "position": rng.choice(positions),
        "workplace": school if teacher else f"SEDE {unit.name}"[:200],
        "pension": pension,
        "cuspp": "" if pension == "SNP" else f"{rng.randint(100000, 999999)}AB{rng.randint(0, 9)}",
        "hire_date": date(rng.randint(1992, 2019), rng.randint(1, 12), 1),
        "modular": f"10{servant.document_number}" if teacher else "",
        "base": Decimal(rng.randint(low * 100, high * 100)) / 100,
        "jornada": Decimal(rng.randint(0, 20000)) / 100 if teacher else Decimal(0),
        "union": rng.random() < 0.3,
        "judicial": rng.random() < 0.05,
    }


def _demo_ruc(code: str) -> str:
    if code == DEMO_UGEL_CODE:
        return SAMPLE_RUC
    first_ten = f"2099{int(code) % 1_000_000:06d}"
    return f"{first_ten}{ruc_check_digit(first_ten)}"


def _rows(servant: Servant, profile: dict, period: date, original: bool):
    if period < profile["hire_date"].replace(day=1):
        return
    if profile.get("last_period") and period > profile["last_period"]:
        return  # no pay after the month of the cese

    def row(payroll_type, line):
        return [
            f"{period:%Y-%m}", profile["entity_code"], profile["entity_name"],
            profile["entity_ruc"], payroll_type, "DNI", servant.document_number,
            servant.apellido_paterno, servant.apellido_materno, servant.nombres,
            profile["modular"], profile["servant_type"], profile["position"],
            profile["workplace"], profile["pension"], profile["cuspp"],
            profile["hire_date"].isoformat(), "30", *line,
        ]  # fmt: skip

    for line in _regular_lines(servant, profile, period, original):
        yield row(profile["regime"], line)
    if period.month in (7, 12):
        name = "FIESTAS PATRIAS" if period.month == 7 else "NAVIDAD"
        yield row("Aguinaldo", ("+aguinaldo", f"AGUINALDO POR {name}", "INGRESO", "300.00"))


def _regular_lines(servant: Servant, profile: dict, period: date, original: bool):
    if period == date(2022, 6, 1) and servant.document_number in SAMPLE_JUNE_2022:
        return SAMPLE_JUNE_2022[servant.document_number]
    # A raise every March; the uncorrected March 2023 planilla missed it for some servants.
    raises = period.year - 2020 - (1 if period.month < 3 else 0)
    if original and (
        servant.document_number == "40000001" or int(servant.document_number) % 7 == 0
    ):
        raises -= 1
    base = _cents(profile["base"] * Decimal("1.05") ** max(raises, 0))
    teacher = profile["regime"] in ("Ley N° 29944", "Ley N° 30493")
    if teacher:
        earnings = [("+rim", "REMUNERACION INTEGRA MENSUAL", base)]
    else:
        earnings = [("+remunbas", "REMUNERACION BASICA", base)]
    if profile["jornada"] > 0:
        earnings.append(("+asigjer", "ASIGNACION POR JORNADA", profile["jornada"]))
    if period.month == 1:
        earnings.append(("+escolar", "BONIFICACION POR ESCOLARIDAD", Decimal("400.00")))
    gross = sum(amount for _, _, amount in earnings)
    deductions = []
    if profile["pension"] == "SNP":
        deductions.append(
            ("-snp", "SISTEMA NACIONAL DE PENSIONES", _cents(gross * Decimal("0.13")))
        )
    else:
        deductions += [
            ("-afpfon", "AFP FONDO", _cents(gross * Decimal("0.10"))),
            ("-afpseg", "AFP SEGURO", _cents(gross * Decimal("0.0137"))),
            ("-afpcom", "AFP COMISION", _cents(gross * Decimal("0.0155"))),
        ]
    if teacher:
        deductions.append(("-derrama", "DERRAMA MAGISTERIAL", _cents(base * Decimal("0.01"))))
    if profile["union"]:
        deductions.append(("-sindic", "CUOTA SINDICAL", _cents(base * Decimal("0.01"))))
    if gross * 14 > 7 * 5150:  # income tax beyond 7 UIT a year, roughly
        taxable = (gross * 14 - 7 * 5150) / 12
        deductions.append(("-5ta", "RENTA DE QUINTA CATEGORIA", _cents(taxable * Decimal("0.08"))))
    if profile["judicial"]:
        deductions.append(("-judic", "DESCUENTO JUDICIAL", _cents(gross * Decimal("0.10"))))
    lines = [(code, name, "INGRESO", f"{amount:.2f}") for code, name, amount in earnings]
    lines += [(code, name, "DESCUENTO", f"{amount:.2f}") for code, name, amount in deductions]
    lines.append(("essalud", "ESSALUD 9%", "APORTE", f"{_cents(gross * Decimal('0.09')):.2f}"))
    return lines


def _cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _months(first: date, last: date):
    month = first
    while month <= last:
        yield month
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def _months_before(month: date, count: int) -> date:
    for _ in range(count):
        month = _previous_month(month)
    return month
