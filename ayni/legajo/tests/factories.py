from datetime import date
from decimal import Decimal

import factory

from ayni.legajo.models import Legajo
from ayni.legajo.sections import SECTIONS
from ayni.organizations.models import Unit
from ayni.organizations.tests.factories import ServantFactory

# One valid item per section, as Python values (the registry must cover every section).
SAMPLES = {
    "datos_personales": {
        "codigo_modular": "1040000017", "fecha_nacimiento": date(1978, 5, 14), "sexo": "F",
        "estado_civil": "casado", "lugar_nacimiento": "Andahuaylas, Apurímac",
        "direccion": "Av. San Luis 2540, San Borja", "telefono": "987654321",
        "correo": "rosa@example.pe",
    },
    "familiares": {
        "parentesco": "hijo", "apellidos_nombres": "HUAMANÍ QUISPE ANDREA",
        "documento": "72000001", "fecha_nacimiento": date(2008, 1, 12),
    },
    "formacion": {
        "nivel": "titulo_pedagogico", "especialidad": "Educación Primaria",
        "institucion": "IESPP José María Arguedas", "fecha_expedicion": date(2001, 12, 20),
        "registro": "0123-2001",
    },
    "capacitaciones": {
        "nombre": "Estrategias de comprensión lectora", "institucion": "DRE Lima",
        "horas": 40, "fecha_inicio": date(2015, 5, 4), "fecha_fin": date(2015, 6, 12),
    },
    "idiomas": {"idioma": "Quechua", "nivel": "nativo"},
    "colegiatura": {
        "colegio": "Colegio de Profesores del Perú", "numero": "0412345678",
        "fecha_colegiatura": date(2007, 3, 10), "habilitado_hasta": date(2026, 12, 31),
    },
    "ingreso": {
        "tipo": "ingreso", "regimen_laboral": "ley_29944", "condicion": "nombrado",
        "cargo": "Profesora de aula", "institucion": "IE 7041", "fecha_inicio": date(2002, 4, 1),
        "resolucion": "RD N° 00845-2002-USE07", "fecha_resolucion": date(2002, 3, 25),
    },
    "trayectoria": {
        "tipo": "reasignacion", "cargo": "Profesora de aula", "institucion": "IE 6051",
        "fecha_inicio": date(2008, 3, 1), "fecha_fin": date(2015, 2, 28),
        "resolucion": "RD N° 01234-2008-UGEL07",
    },
    "asignaciones": {
        "tipo": "retencion", "descripcion": "Pensión de alimentos, Exp. 0123-2017",
        "monto": Decimal("450.50"), "fecha_inicio": date(2017, 6, 1),
    },
    "retiro": {
        "tipo": "afiliacion", "regimen_pensionario": "spp", "entidad": "AFP Integra",
        "cuspp": "583021RQMIA1", "fecha": date(2002, 5, 1),
    },
    "meritos": {
        "tipo": "felicitacion", "descripcion": "Juegos Florales 2016",
        "entidad": "UGEL 07", "fecha": date(2016, 11, 20),
    },
    "demeritos": {
        "tipo": "amonestacion", "descripcion": "Inasistencia injustificada",
        "fecha_inicio": date(2011, 6, 10),
    },
    "licencias": {
        "tipo": "sin_goce", "motivo": "Asuntos particulares",
        "fecha_inicio": date(2013, 2, 1), "fecha_fin": date(2013, 2, 28),
    },
    "otros": {"descripcion": "Declaración jurada de bienes y rentas", "fecha": date(2024, 3, 15)},
}  # fmt: skip
assert set(SAMPLES) == {s.key for s in SECTIONS}


def form_data(values: dict) -> dict:
    """The POST body a browser would send for these values."""
    return {k: v.isoformat() if isinstance(v, date) else str(v) for k, v in values.items()}


class LegajoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Legajo

    servant = factory.SubFactory(ServantFactory)
    unit = factory.LazyFunction(lambda: Unit.objects.get(code="150108"))


def add_item(legajo, section_key: str, **overrides):
    from ayni.legajo.sections import get_section

    section = get_section(section_key)
    item = section.model(legajo=legajo, **{**SAMPLES[section_key], **overrides})
    item.full_clean()
    item.save()
    return item


def full_legajo(**kwargs) -> Legajo:
    """A legajo with one item in every section."""
    legajo = LegajoFactory(**kwargs)
    for section in SECTIONS:
        add_item(legajo, section.key)
    return legajo
