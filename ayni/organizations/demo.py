"""Demo schools and servants. The fixed demo people come first; the rest are generated."""

from dataclasses import dataclass
from datetime import date

from ayni.organizations.models import Servant, Unit

DEMO_UGEL_CODE = "150108"  # UGEL 07 San Borja
DEMO_SCHOOLS = [
    ("0321901", "IE 7041 SAN BORJA"),
    ("0321902", "IE 6051 SANTA ROSA"),
    ("0321903", "IE 7057 SURQUILLO"),
]
# (document, apellido paterno, apellido materno, nombres)
FIXED_SERVANTS = [
    ("40000001", "QUISPE", "MAMANI", "ROSA ELENA"),
    ("40000002", "D'ANGELO", "ÑAUPARI", "JOSÉ LUIS"),
    ("40000003", "HUANCA", "APAZA", "TEODORO"),
    ("40000100", "HUAMÁN", "TORRES", "CARMEN ROSA"),
    ("40000101", "FLORES", "CCAHUANA", "MIGUEL ÁNGEL"),
    ("40000102", "ROJAS", "PAREDES", "LUCÍA"),
    ("40000103", "SALAZAR", "VEGA", "JORGE"),
]


@dataclass(frozen=True)
class ServiceFacts:
    """What payroll and escalafón both record about a fixed demo servant: the boletas
    (`ayni.boletas.demo`) and the legajo (`ayni.legajo.demo`) are both drawn from here, so
    one servant has one código modular, one fecha de ingreso and one pension system."""

    codigo_modular: str
    fecha_ingreso: date
    pension: str  # as the planilla writes it: "SNP" or the AFP's name
    cuspp: str = ""
    fecha_cese: date | None = None  # the first day out of service
    motivo_cese: str = ""


SERVICE_FACTS = {
    "40000001": ServiceFacts("1040000001", date(2009, 3, 1), "SNP"),
    "40000002": ServiceFacts("", date(2022, 1, 1), "PRIMA AFP", "123456ABCDE7"),
    # Teodoro left service at 65: boletas up to the month of his cese, legajo not vigente.
    "40000003": ServiceFacts(
        "1040000003", date(1988, 4, 1), "PROFUTURO AFP", "547112THAPA3",
        fecha_cese=date(2024, 6, 16), motivo_cese="Límite de edad (65 años)",
    ),
}  # fmt: skip

SURNAMES = [
    "QUISPE", "MAMANI", "HUAMÁN", "FLORES", "ROJAS", "SÁNCHEZ", "GARCÍA", "CHÁVEZ", "RAMOS",
    "TORRES", "MENDOZA", "VARGAS", "CASTILLO", "CONDORI", "CCAHUANA", "PAREDES", "GUTIÉRREZ",
    "ESPINOZA", "VÁSQUEZ", "TICONA", "APAZA", "ÑAUPARI", "HUANCA", "YUPANQUI", "PÉREZ",
]  # fmt: skip
GIVEN_NAMES = [
    "ROSA", "MARÍA", "JUAN", "JOSÉ", "LUIS", "CARMEN", "ANA", "JORGE", "ELENA", "CARLOS",
    "JULIA", "PEDRO", "LUZ", "MIGUEL", "SONIA", "WILBER", "NANCY", "EDGAR", "MILAGROS", "RAÚL",
]  # fmt: skip
GENERATED_FIRST_DOCUMENT = 41000000
BATCH = 5000


def generated_document(index: int) -> str:
    return str(GENERATED_FIRST_DOCUMENT + index)


def seed(ctx):
    ugel = Unit.objects.get(code=DEMO_UGEL_CODE)
    for code, name in DEMO_SCHOOLS:
        if not Unit.objects.filter(code=code).exists():
            Unit.objects.create(code=code, name=name, kind=Unit.Kind.IE, parent=ugel)
    Servant.objects.bulk_create(
        [
            Servant(
                document_type="DNI",
                document_number=doc,
                apellido_paterno=pat,
                apellido_materno=mat,
                nombres=names,
                unit=ugel,
            )
            for doc, pat, mat, names in FIXED_SERVANTS
        ],  # fmt: skip
        ignore_conflicts=True,
    )
    ugels = list(Unit.objects.filter(kind=Unit.Kind.UGEL).order_by("code"))
    # Half the generated servants work at the demo UGEL, the rest anywhere in the country.
    batch = []
    for index in range(ctx.servants):
        unit = ugel if index % 2 == 0 else ugels[ctx.rng.randrange(len(ugels))]
        batch.append(
            Servant(
                document_type="DNI",
                document_number=generated_document(index),
                apellido_paterno=ctx.rng.choice(SURNAMES),
                apellido_materno=ctx.rng.choice(SURNAMES),
                nombres=f"{ctx.rng.choice(GIVEN_NAMES)} {ctx.rng.choice(GIVEN_NAMES)}",
                unit=unit,
            )
        )
        if len(batch) == BATCH:
            Servant.objects.bulk_create(batch, ignore_conflicts=True)
            batch.clear()
    Servant.objects.bulk_create(batch, ignore_conflicts=True)
    ctx.say(f"Servidores: {Servant.objects.count()}")
