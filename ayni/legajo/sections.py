"""The section registry: the one place that describes the legajo's sections.

Views, templates, change requests, history and PDFs all read `SECTIONS`; a new section is a
model in `models.py` plus one `Section(...)` entry here.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django import forms
from django.db import models as db_models
from django.http import Http404

from ayni.core.formats import date_dmy, money
from ayni.legajo import models
from ayni.legajo.models import Action

ALL_ACTIONS = frozenset(Action.values)
_NOT_EDITABLE = {"id", "legajo", "created_at", "updated_at"}
_LAST = ("resolucion", "fecha_resolucion")


@dataclass(frozen=True)
class Section:
    key: str  # used in URLs, history and requests; never change it once in use
    group_number: str  # the roman numeral of the RM 563-2015-MINEDU group
    group: str
    title: str
    model: type[db_models.Model]
    columns: tuple[str, ...]  # shown in tables and PDFs, in this order
    servant_actions: frozenset = ALL_ACTIONS  # what a servant may request
    single: bool = False  # at most one item (datos personales)
    in_hoja_de_vida: bool = False
    pdf_columns: tuple[str, ...] = field(default=())  # narrower PDF tables; columns if empty

    @cached_property
    def fields(self) -> tuple[str, ...]:
        """Editable fields in form order: the item's own fields, then its resolution."""
        names = [
            f.name
            for f in self.model._meta.concrete_fields
            if f.editable and f.name not in _NOT_EDITABLE
        ]
        own = [n for n in names if n not in _LAST]
        return tuple(own + [n for n in _LAST if n in names])

    @cached_property
    def form_class(self) -> type[forms.ModelForm]:
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in self.fields
            if isinstance(self.model._meta.get_field(name), db_models.DateField)
        }
        return forms.modelform_factory(self.model, fields=self.fields, widgets=widgets)

    @property
    def label(self) -> str:
        return f"{self.group_number}. {self.title}"

    @property
    def verbose_name(self) -> str:
        return self.model._meta.verbose_name

    def items(self, legajo):
        return self.model.objects.filter(legajo=legajo)

    def servant_may(self, action: str) -> bool:
        return action in self.servant_actions

    @property
    def servant_may_request(self) -> bool:
        return bool(self.servant_actions)

    def label_of(self, name: str) -> str:
        """The field's verbose name with a capital first letter (`DNI`, `CUSPP` stay whole)."""
        label = str(self.model._meta.get_field(name).verbose_name)
        return label[:1].upper() + label[1:]

    # --- values: the JSON kept in history and requests, and how they read --------

    def snapshot(self, item) -> dict:
        """The item's editable values as JSON-safe data (dates ISO, money as text)."""
        return {name: self.to_json(name, getattr(item, name)) for name in self.fields}

    def to_json(self, name: str, value):
        model_field = self.model._meta.get_field(name)
        value = model_field.to_python(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return f"{value:.{model_field.decimal_places}f}"
        return value

    def from_snapshot(self, data: dict) -> dict:
        return {
            name: self.model._meta.get_field(name).to_python(value)
            for name, value in data.items()
            if name in self.fields
        }

    def display(self, name: str, value) -> str:
        """How a value reads on screen and on paper (value may be stored JSON or Python)."""
        model_field = self.model._meta.get_field(name)
        value = model_field.to_python(value)
        if value is None or value == "":
            return ""
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, date):
            return date_dmy(value)
        if isinstance(value, Decimal):
            return money(value)
        if isinstance(value, bool):
            return "Sí" if value else "No"
        return str(value)

    def row(self, item, columns=None) -> list[str]:
        return [self.display(name, getattr(item, name)) for name in columns or self.columns]

    def headers(self, columns=None) -> list[str]:
        return [self.label_of(name) for name in columns or self.columns]

    def describe(self, data: dict | None) -> str:
        """A short one-line name of an item from its stored values (first two columns)."""
        if not data:
            return ""
        if self.single:
            return self.title
        return " — ".join(self.display(n, data.get(n)) for n in self.columns[:2] if data.get(n))

    def differences(self, before: dict | None, after: dict | None) -> list[dict]:
        """Field by field: label, value before, value after, and whether it changed."""
        before, after = before or {}, after or {}
        rows = []
        for name in self.fields:
            old, new = before.get(name), after.get(name)
            if old in (None, "") and new in (None, ""):
                continue
            rows.append(
                {
                    "label": self.label_of(name),
                    "before": self.display(name, old),
                    "after": self.display(name, new),
                    "changed": bool(before and after) and old != new,
                }
            )
        return rows


_PERIOD = ("fecha_inicio", "fecha_fin")
SECTIONS: tuple[Section, ...] = (
    Section(
        "datos_personales", "I", "Filiación e identificación personal", "Datos personales",
        models.DatosPersonales,
        columns=("codigo_modular", "fecha_nacimiento", "sexo", "estado_civil",
                 "lugar_nacimiento", "direccion", "telefono", "correo"),
        servant_actions=frozenset({Action.CREATE, Action.UPDATE}),
        single=True, in_hoja_de_vida=True,
    ),
    Section(
        "familiares", "I", "Filiación e identificación personal", "Datos familiares",
        models.Familiar,
        columns=("parentesco", "apellidos_nombres", "documento", "fecha_nacimiento"),
    ),
    Section(
        "formacion", "II", "Situación académica", "Formación académica", models.Formacion,
        columns=("nivel", "especialidad", "institucion", "fecha_expedicion", "registro"),
        in_hoja_de_vida=True,
    ),
    Section(
        "capacitaciones", "II", "Situación académica", "Capacitaciones", models.Capacitacion,
        columns=("nombre", "institucion", "horas", *_PERIOD),
        in_hoja_de_vida=True,
    ),
    Section(
        "idiomas", "II", "Situación académica", "Idiomas", models.Idioma,
        columns=("idioma", "nivel", "institucion", "fecha_certificado"),
        in_hoja_de_vida=True,
    ),
    Section(
        "colegiatura", "II", "Situación académica", "Colegiatura", models.Colegiatura,
        columns=("colegio", "numero", "fecha_colegiatura", "habilitado_hasta"),
        in_hoja_de_vida=True,
    ),
    Section(
        "ingreso", "III", "Ingreso o reingreso", "Ingreso o reingreso", models.Ingreso,
        columns=("tipo", "regimen_laboral", "condicion", "cargo", "institucion", *_PERIOD,
                 "resolucion"),
        servant_actions=frozenset({Action.CREATE, Action.UPDATE}),
        in_hoja_de_vida=True,
        pdf_columns=("tipo", "condicion", "cargo", "institucion", *_PERIOD, "resolucion"),
    ),
    Section(
        "trayectoria", "IV", "Trayectoria laboral", "Desplazamientos", models.Desplazamiento,
        columns=("tipo", "cargo", "institucion", *_PERIOD, "resolucion"),
        servant_actions=frozenset({Action.CREATE, Action.UPDATE}),
        in_hoja_de_vida=True,
    ),
    Section(
        "asignaciones", "V",
        "Asignaciones e incentivos temporales, retenciones judiciales y pagos indebidos",
        "Asignaciones, incentivos, retenciones y pagos indebidos", models.Asignacion,
        columns=("tipo", "descripcion", "monto", *_PERIOD, "resolucion"),
        # Amounts withheld or owed come from payroll and court orders: only corrections.
        servant_actions=frozenset({Action.UPDATE}),
    ),
    Section(
        "retiro", "VI", "Retiro y régimen pensionario", "Retiro y régimen pensionario",
        models.RetiroPension,
        columns=("tipo", "regimen_pensionario", "entidad", "cuspp", "motivo", "fecha",
                 "resolucion"),
        servant_actions=frozenset({Action.CREATE, Action.UPDATE}),
    ),
    Section(
        "meritos", "VII", "Premios y estímulos", "Méritos", models.Merito,
        columns=("tipo", "descripcion", "entidad", "fecha", "resolucion"),
        in_hoja_de_vida=True,
    ),
    Section(
        "demeritos", "VIII", "Sanciones", "Deméritos", models.Demerito,
        columns=("tipo", "descripcion", *_PERIOD, "resolucion"),
        # A servant may ask to correct a recorded sanction, never to add or drop one.
        servant_actions=frozenset({Action.UPDATE}),
        in_hoja_de_vida=True,
    ),
    Section(
        "licencias", "IX", "Licencias y vacaciones", "Licencias y vacaciones", models.Licencia,
        columns=("tipo", "motivo", *_PERIOD, "resolucion"),
        in_hoja_de_vida=True,
    ),
    Section(
        "otros", "X", "Otros", "Otros", models.Otro,
        columns=("descripcion", "documento", "fecha"),
    ),
)  # fmt: skip
_BY_KEY = {section.key: section for section in SECTIONS}


def get_section(key: str) -> Section:
    """The section for a URL key; an unknown key is a 404, not an error page."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise Http404("No existe esa sección del legajo.") from None


INFORME_LABEL = "Informe escalafonario"


def request_choices() -> list[tuple[str, str]]:
    """What a request can be about: a section of the legajo, or an informe escalafonario."""
    return [*((s.key, s.label) for s in SECTIONS), (models.ChangeRequest.INFORME, INFORME_LABEL)]


def section_title(key: str) -> str:
    if key == models.ChangeRequest.INFORME:
        return INFORME_LABEL
    section = _BY_KEY.get(key)
    return section.label if section else key
