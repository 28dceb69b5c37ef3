"""Demo legajos: Rosa (40000001) with items in every section and requests in every state,
José Luis (40000002) without a legajo, Teodoro (40000003) ceased (legajo not vigente), and
cheap bulk legajos for the generated servants. What payroll also records (código modular,
fecha de ingreso, pension, cese) comes from `SERVICE_FACTS`, as the demo boletas do.

Idempotent: Rosa's legajo is built once; generated servants get a legajo only when they
have none. Deterministic: each generated legajo draws from a generator seeded by its
servant's document number.
"""

import io
import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from reportlab.pdfgen.canvas import Canvas

from ayni.accounts.models import User
from ayni.core.sequences import reserve_numbers
from ayni.legajo import models as m
from ayni.legajo import services
from ayni.legajo.models import ChangeRequest, ItemHistory, Legajo, ProposedChange
from ayni.legajo.sections import get_section
from ayni.organizations.demo import (
    GENERATED_FIRST_DOCUMENT,
    SERVICE_FACTS,
    generated_document,
)
from ayni.organizations.models import Servant, Unit

DEMO_UGEL_CODE = "150108"
BATCH = 2000
SPECIALIST_DOCUMENT = "40000100"
STAFF_DOCUMENTS = [SPECIALIST_DOCUMENT, "40000101", "40000102", "40000103"]
D = date.fromisoformat


def _afiliacion(legajo, facts):
    """The pension affiliation as the planilla names it: "SNP" is the ONP (D. Ley 19990)."""
    if facts.pension == "SNP":
        return m.RetiroPension(legajo=legajo, tipo="afiliacion", regimen_pensionario="dl_19990",
                               fecha=facts.fecha_ingreso)  # fmt: skip
    return m.RetiroPension(legajo=legajo, tipo="afiliacion", regimen_pensionario="spp",
                           entidad=facts.pension, cuspp=facts.cuspp,
                           fecha=facts.fecha_ingreso)  # fmt: skip


def _rosa_items(legajo):
    """Rosa Elena Quispe Mamani, teacher since 2009 at UGEL 07: one list per section."""
    facts = SERVICE_FACTS["40000001"]
    r = {"legajo": legajo}
    return [
        m.DatosPersonales(**r, codigo_modular=facts.codigo_modular,
                          fecha_nacimiento=D("1978-05-14"),
                          sexo="F", estado_civil="casado",
                          lugar_nacimiento="San Jerónimo, Andahuaylas, Apurímac",
                          direccion="Av. San Luis 2540, San Borja, Lima", telefono="987654321",
                          correo="rosa.quispe.personal@example.pe"),
        m.Familiar(**r, parentesco="conyuge", apellidos_nombres="HUAMANÍ CCOPA JULIO CÉSAR",
                   documento="40000011", fecha_nacimiento=D("1975-09-02")),
        m.Familiar(**r, parentesco="hijo", apellidos_nombres="HUAMANÍ QUISPE ANDREA",
                   documento="72000001", fecha_nacimiento=D("2010-01-12")),
        m.Formacion(**r, nivel="titulo_pedagogico", especialidad="Educación Primaria",
                    institucion="IESPP José María Arguedas", fecha_expedicion=D("2001-12-20"),
                    registro="0123-2001-IESPP"),
        m.Formacion(**r, nivel="bachiller", especialidad="Educación",
                    institucion="Universidad Nacional de Educación Enrique Guzmán y Valle",
                    fecha_expedicion=D("2005-07-08"), registro="B-2005-04411"),
        m.Formacion(**r, nivel="titulo_profesional", especialidad="Licenciada en Educación",
                    institucion="Universidad Nacional de Educación Enrique Guzmán y Valle",
                    fecha_expedicion=D("2006-03-30"), registro="T-2006-01187"),
        m.Capacitacion(**r, nombre="Programa de formación en servicio para docentes de primaria",
                       institucion="MINEDU — PRONAFCAP", horas=200,
                       fecha_inicio=D("2010-03-01"), fecha_fin=D("2010-11-30")),
        m.Capacitacion(**r, nombre="Estrategias de comprensión lectora",
                       institucion="DRE Lima Metropolitana", horas=40,
                       fecha_inicio=D("2015-05-04"), fecha_fin=D("2015-06-12")),
        m.Capacitacion(**r, nombre="Uso pedagógico de herramientas digitales",
                       institucion="PerúEduca", horas=60,
                       fecha_inicio=D("2021-04-05"), fecha_fin=D("2021-06-25")),
        m.Idioma(**r, idioma="Quechua (chanka)", nivel="nativo"),
        m.Idioma(**r, idioma="Inglés", nivel="basico", institucion="ICPNA",
                 fecha_certificado=D("2012-12-15")),
        m.Colegiatura(**r, colegio="Colegio de Profesores del Perú", numero="0412345678",
                      fecha_colegiatura=D("2007-03-10"), habilitado_hasta=D("2026-12-31")),
        m.Ingreso(**r, tipo="ingreso", regimen_laboral="ley_29944", condicion="nombrado",
                  cargo="Profesora de aula", institucion="IE 7041 SAN BORJA",
                  fecha_inicio=facts.fecha_ingreso, resolucion="RD N° 00845-2009-UGEL07",
                  fecha_resolucion=D("2009-02-20")),
        m.Desplazamiento(**r, tipo="reasignacion", cargo="Profesora de aula",
                         institucion="IE 6051 SANTA ROSA", fecha_inicio=D("2012-03-01"),
                         fecha_fin=D("2015-02-28"), resolucion="RD N° 01234-2012-UGEL07",
                         fecha_resolucion=D("2012-02-15")),
        m.Desplazamiento(**r, tipo="ascenso", cargo="Profesora — 4.ª escala magisterial",
                         institucion="IE 7041 SAN BORJA", fecha_inicio=D("2018-08-01"),
                         resolucion="RD N° 05512-2018-UGEL07", fecha_resolucion=D("2018-07-20")),
        m.Desplazamiento(**r, tipo="encargo", cargo="Subdirectora de primaria",
                         institucion="IE 7041 SAN BORJA", fecha_inicio=D("2019-03-01"),
                         fecha_fin=D("2020-12-31"), resolucion="RD N° 00733-2019-UGEL07",
                         fecha_resolucion=D("2019-02-22")),
        m.Asignacion(**r, tipo="asignacion", descripcion="Asignación por encargo de subdirección",
                     monto=Decimal("300.00"), fecha_inicio=D("2019-03-01"),
                     fecha_fin=D("2020-12-31"), resolucion="RD N° 00733-2019-UGEL07"),
        m.Asignacion(**r, tipo="incentivo", descripcion="Bono de incentivo al desempeño escolar",
                     monto=Decimal("1500.00"), fecha_inicio=D("2023-12-01"),
                     fecha_fin=D("2023-12-31"), resolucion="RM N° 456-2023-MINEDU"),
        _afiliacion(legajo, facts),
        m.Merito(**r, tipo="felicitacion",
                 descripcion="Por su destacada labor en los Juegos Florales Escolares 2016",
                 entidad="UGEL 07 San Borja", fecha=D("2016-11-20"),
                 resolucion="RD N° 07781-2016-UGEL07"),
        m.Merito(**r, tipo="agradecimiento",
                 descripcion="Por la campaña de lectura «Leer es crecer»",
                 entidad="DRE Lima Metropolitana", fecha=D("2022-09-30"),
                 resolucion="RD N° 02210-2022-DRELM"),
        m.Demerito(**r, tipo="amonestacion", descripcion="Inasistencia injustificada a una jornada",
                   fecha_inicio=D("2011-06-10"), resolucion="RD N° 03321-2011-UGEL07",
                   fecha_resolucion=D("2011-06-10")),
        m.Licencia(**r, tipo="con_goce", motivo="Maternidad", fecha_inicio=D("2010-01-11"),
                   fecha_fin=D("2010-04-20"), resolucion="RD N° 00120-2010-UGEL07"),
        m.Licencia(**r, tipo="sin_goce", motivo="Asuntos particulares",
                   fecha_inicio=D("2013-02-01"), fecha_fin=D("2013-02-28"),
                   resolucion="RD N° 00398-2013-UGEL07"),
        m.Licencia(**r, tipo="vacaciones", motivo="Vacaciones del periodo 2024",
                   fecha_inicio=D("2024-01-01"), fecha_fin=D("2024-02-29")),
        m.Otro(**r, descripcion="Declaración jurada de bienes y rentas",
               documento="DJ-2024-000415", fecha=D("2024-03-15")),
    ]  # fmt: skip


def _demo_pdf(title: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.drawString(72, 760, title)
    canvas.drawString(72, 740, "Documento de demostración.")
    canvas.save()
    return buffer.getvalue()


def _seed_rosa(ctx, ugel, specialist):
    rosa = Servant.objects.get(document_type="DNI", document_number="40000001")
    if Legajo.objects.filter(servant=rosa).exists():
        return
    rosa_user = User.objects.get(username="40000001")
    with transaction.atomic():
        legajo = services.open_legajo(rosa, specialist)
        for item in _rosa_items(legajo):
            item.full_clean()
            item.save()
    section = get_section

    # Atendido: a new maestría, applied to the legajo by the specialist.
    services.propose_new(legajo, section("formacion"), {
        "nivel": "maestria", "especialidad": "Educación con mención en Gestión Educativa",
        "institucion": "Universidad Nacional Mayor de San Marcos",
        "fecha_expedicion": D("2019-07-15"), "registro": "M-2019-00871"})  # fmt: skip
    approved = _submit(legajo, "formacion", "Adjunto el diploma de maestría.", rosa_user)
    services.decide(approved, specialist, True, "Se verificó el grado en el registro de SUNEDU.")

    # Rechazado: more hours than the certificate shows.
    course = m.Capacitacion.objects.get(legajo=legajo, nombre__startswith="Estrategias")
    services.propose_update(legajo, section("capacitaciones"), course.pk, {"horas": 120})
    rejected = _submit(legajo, "capacitaciones", "Fueron 120 horas.", rosa_user)
    services.decide(rejected, specialist, False, "El certificado registrado indica 40 horas.")

    # Anulado by the servant.
    services.propose_new(legajo, section("idiomas"), {"idioma": "Inglés", "nivel": "intermedio",
                         "institucion": "ICPNA", "fecha_certificado": D("2016-08-20")})  # fmt: skip
    services.annul(_submit(legajo, "idiomas", "", rosa_user), rosa_user)

    # En solicitud, with a supporting document.
    personal = m.DatosPersonales.objects.get(legajo=legajo)
    services.propose_update(legajo, section("datos_personales"), personal.pk, {
        "direccion": "Jr. Las Begonias 415, San Borja, Lima", "telefono": "912345678"})  # fmt: skip
    receipt = SimpleUploadedFile("recibo-luz.pdf", _demo_pdf("Recibo de luz — Jr. Las Begonias"))
    services.attach(legajo, section("datos_personales"), receipt)
    _submit(legajo, "datos_personales", "Me mudé en marzo.", rosa_user)

    # Borrador: saved, not sent.
    services.propose_new(legajo, section("familiares"), {
        "parentesco": "hijo", "apellidos_nombres": "HUAMANÍ QUISPE MATEO",
        "documento": "79000002", "fecha_nacimiento": D("2014-10-03")})  # fmt: skip
    ctx.say("Legajo de 40000001 con solicitudes en todos los estados.")


def _seed_ceased(ctx, specialist):
    """Teodoro Huanca Apaza, teacher from 1988 until his cese at 65: his legajo is kept, not
    vigente, and a correction he asked for before the cese is still en solicitud."""
    teodoro = Servant.objects.get(document_type="DNI", document_number="40000003")
    if Legajo.objects.filter(servant=teodoro).exists():
        return
    facts = SERVICE_FACTS["40000003"]
    with transaction.atomic():
        legajo = services.open_legajo(teodoro, specialist)
        r = {"legajo": legajo}
        items = [
            m.DatosPersonales(**r, codigo_modular=facts.codigo_modular,
                              fecha_nacimiento=D("1959-06-15"), sexo="M", estado_civil="casado",
                              lugar_nacimiento="Ilave, El Collao, Puno",
                              direccion="Jr. Tacna 318, Surquillo, Lima", telefono="956123478"),
            m.Formacion(**r, nivel="titulo_pedagogico", especialidad="Educación Secundaria — "
                        "Matemática", institucion="ISP Puno", fecha_expedicion=D("1986-12-18")),
            m.Ingreso(**r, tipo="ingreso", regimen_laboral="ley_29944", condicion="nombrado",
                      cargo="Profesor de aula", institucion="IE 6051 SANTA ROSA",
                      fecha_inicio=facts.fecha_ingreso, resolucion="RD N° 00311-1988-USE07",
                      fecha_resolucion=D("1988-03-21")),
            _afiliacion(legajo, facts),
            m.RetiroPension(**r, tipo="cese", motivo=facts.motivo_cese, fecha=facts.fecha_cese,
                            resolucion="RD N° 03907-2024-UGEL07",
                            fecha_resolucion=D("2024-06-10")),
            m.Merito(**r, tipo="felicitacion", descripcion="Por 30 años de servicio docente",
                     entidad="UGEL 07 San Borja", fecha=D("2018-07-06"),
                     resolucion="RD N° 04410-2018-UGEL07"),
        ]  # fmt: skip
        for item in items:
            item.full_clean()
            item.save()
    teodoro_user = User.objects.get(username="40000003")
    personal = m.DatosPersonales.objects.get(legajo=legajo)
    services.propose_update(legajo, get_section("datos_personales"), personal.pk,
                            {"telefono": "987001122"})  # fmt: skip
    _submit(legajo, "datos_personales", "Cambié de número de celular.", teodoro_user)
    services.set_vigente(legajo, False, specialist)
    ctx.say("Legajo de 40000003 cerrado por cese.")


def _submit(legajo, section_key, comment, user):
    draft = ChangeRequest.objects.get(legajo=legajo, section=section_key, state="borrador")
    return services.submit(draft, comment, user)


def _seed_staff():
    """The staff demo accounts are servants too: they get a plain legajo, so only 40000002
    sees the notice of a servant without one."""
    staff = Servant.objects.filter(document_number__in=STAFF_DOCUMENTS, legajo__isnull=True)
    for servant in staff.select_related("unit").order_by("document_number"):
        with transaction.atomic():
            legajo = services.open_legajo(servant, None)
            rng = random.Random(int(servant.document_number))
            for item in _generated_items(legajo, servant, rng, cargo="Especialista en educación"):
                item.save()
            if servant.document_number == SPECIALIST_DOCUMENT:
                # Something a specialist would like gone from their own legajo: the attack
                # replay (ops/replay_attacks.py) tries to delete it from the escalafón pages.
                m.Demerito.objects.create(
                    legajo=legajo, tipo="amonestacion", fecha_inicio=date(2018, 4, 9),
                    descripcion="Tardanzas reiteradas (demostración)",
                )  # fmt: skip


def _generated_items(legajo, servant, rng, cargo="Profesor(a) de aula"):
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(35 * 365))
    start = date(1985, 3, 1) + timedelta(days=rng.randrange(35 * 365))
    r = {"legajo": legajo}
    items = [
        m.DatosPersonales(**r, fecha_nacimiento=born, sexo=rng.choice("FM"),
                          estado_civil=rng.choice(["soltero", "casado", "conviviente"]),
                          lugar_nacimiento="Lima, Lima, Lima",
                          direccion=f"Calle {rng.randrange(1, 90)} N° {rng.randrange(100, 999)}"),
        m.Formacion(**r, nivel=rng.choice(["titulo_pedagogico", "titulo_profesional",
                                           "bachiller"]),
                    especialidad=rng.choice(["Educación Inicial", "Educación Primaria",
                                             "Matemática", "Comunicación"]),
                    institucion=rng.choice(["UNE Enrique Guzmán y Valle", "UNMSM",
                                            "IESPP Chimbote"]),
                    fecha_expedicion=start - timedelta(days=rng.randrange(60, 700))),
        m.Ingreso(**r, tipo="ingreso", regimen_laboral="ley_29944",
                  condicion=rng.choice(["nombrado", "contratado"]),
                  cargo=cargo, institucion=servant.unit.name, fecha_inicio=start,
                  resolucion=f"RD N° {rng.randrange(1, 9999):05d}-{start.year}-UGEL"),
        m.Capacitacion(**r, nombre="Curso virtual de evaluación formativa",
                       institucion="PerúEduca", horas=rng.choice([30, 40, 60, 120]),
                       fecha_inicio=date(2022, 4, 4), fecha_fin=date(2022, 6, 30)),
    ]  # fmt: skip
    if rng.random() < 0.3:
        unpaid_leave = m.Licencia(
            **r, tipo="sin_goce", motivo="Asuntos particulares",
            fecha_inicio=date(2019, 2, 1), fecha_fin=date(2019, 2, 28),
        )  # fmt: skip
        items.append(unpaid_leave)
    return items


def _seed_generated(ctx, ugel):
    """Three of every four generated servants get a legajo (vigente but every tenth);
    some of the demo UGEL's open a request so the specialist's tray is full."""
    servants = (
        Servant.objects.filter(
            document_number__gte=generated_document(0),
            document_number__lt=generated_document(ctx.servants),
            legajo__isnull=True,
        )
        .select_related("unit")
        .order_by("document_number")
    )
    created = 0
    keepers: dict[int, Unit] = {}
    batch = []
    for servant in servants.iterator(chunk_size=BATCH):
        index = int(servant.document_number) - GENERATED_FIRST_DOCUMENT
        if index % 4 == 3 or servant.unit_id is None:
            continue
        batch.append(servant)
        if len(batch) == BATCH:
            created += _create_generated(batch, keepers, ugel)
            batch = []
    created += _create_generated(batch, keepers, ugel)
    if created:
        ctx.say(f"Legajos generados: {created}")


def _create_generated(servants, keepers, ugel) -> int:
    if not servants:
        return 0
    with transaction.atomic():
        legajos = []
        for servant in servants:
            if servant.unit_id not in keepers:
                keepers[servant.unit_id] = services.keeping_unit(servant.unit)
            index = int(servant.document_number) - GENERATED_FIRST_DOCUMENT
            legajos.append(Legajo(servant=servant, unit=keepers[servant.unit_id],
                                  vigente=index % 10 != 5))  # fmt: skip
        Legajo.objects.bulk_create(legajos)
        items: dict[type, list] = {}
        history = []
        for legajo in legajos:
            rng = random.Random(int(legajo.servant.document_number))
            for item in _generated_items(legajo, legajo.servant, rng):
                items.setdefault(type(item), []).append(item)
            opened = {"unidad": legajo.unit.code, "vigente": legajo.vigente}
            history.append(ItemHistory(legajo=legajo, section=ItemHistory.LEGAJO_SECTION,
                                       item_id=legajo.pk, action="alta", after=opened))  # fmt: skip
        for model, objects in items.items():
            model.objects.bulk_create(objects)
        ItemHistory.objects.bulk_create(history)
        _create_generated_requests(legajos, items[m.DatosPersonales], ugel)
    return len(legajos)


def _create_generated_requests(legajos, personal_items, ugel):
    """A pending phone update for every 7th legajo of the demo UGEL, a rejected one every 13th."""
    section = get_section("datos_personales")
    personal_by_legajo = {p.legajo_id: p for p in personal_items}
    chosen = []
    for legajo in legajos:
        index = int(legajo.servant.document_number) - GENERATED_FIRST_DOCUMENT
        if legajo.unit_id == ugel.pk and (index % 7 == 0 or index % 13 == 0):
            chosen.append((legajo, index % 7 == 0))
    if not chosen:
        return
    now = timezone.now().replace(microsecond=0)
    year = timezone.localdate(now).year
    first = reserve_numbers(services.REQUEST_PREFIX, year, len(chosen))
    requests = []
    for offset, (legajo, pending) in enumerate(chosen):
        number = first + offset
        # Submitted over the last weeks, so the tray's oldest-first order shows.
        submitted = now - timedelta(hours=len(chosen) - offset)
        requests.append(
            ChangeRequest(
                legajo=legajo, section=section.key, year=year, number=number,
                code=services.request_code(year, number), created_at=submitted,
                submitted_at=submitted, comment="Actualizo mi número de celular.",
                state="en_solicitud" if pending else "rechazado",
                decided_at=None if pending else now,
                observation="" if pending else "Falta el documento que sustente el cambio.",
            )
        )  # fmt: skip
    ChangeRequest.objects.bulk_create(requests)
    changes = []
    for request, (legajo, _) in zip(requests, chosen, strict=True):
        personal = personal_by_legajo[legajo.pk]
        before = section.snapshot(personal)
        phone = f"9{int(legajo.servant.document_number) % 100000000:08d}"
        changes.append(ProposedChange(change_request=request, action="modificacion",
                                      item_id=personal.pk, before=before,
                                      after={**before, "telefono": phone}))  # fmt: skip
    ProposedChange.objects.bulk_create(changes)


def seed(ctx):
    ugel = Unit.objects.get(code=DEMO_UGEL_CODE)
    specialist = User.objects.get(username=SPECIALIST_DOCUMENT)
    _seed_rosa(ctx, ugel, specialist)
    _seed_ceased(ctx, specialist)
    _seed_staff()
    _seed_generated(ctx, ugel)
    ctx.say(f"Legajos: {Legajo.objects.count()}")
