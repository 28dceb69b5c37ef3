"""Planilla files for the tests, written as the payroll system would."""

import csv
import io
from pathlib import Path

from ayni.boletas.imports import PlanillaSource
from ayni.boletas.planilla import COLUMNS

SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "planilla-ejemplo.csv"

ROSA = {
    "periodo": "2022-06", "entidad_codigo": "150108", "entidad_nombre": "UGEL 07 SAN BORJA",
    "entidad_ruc": "20990000078", "tipo_planilla": "Ley N° 29944", "tipo_documento": "DNI",
    "numero_documento": "40000001", "apellido_paterno": "QUISPE", "apellido_materno": "MAMANI",
    "nombres": "ROSA ELENA", "codigo_modular": "1040000001", "tipo_servidor": "Docente Nombrado",
    "cargo": "PROFESOR", "establecimiento": "IE 7041 SAN BORJA", "regimen_pensionario": "SNP",
    "cuspp": "", "fecha_ingreso": "2009-03-01", "dias_laborados": "30",
}  # fmt: skip
ROSA_LINES = [
    ("+rim", "REMUNERACION INTEGRA MENSUAL", "INGRESO", "2780.00"),
    ("+asigjer", "ASIGNACION POR JORNADA", "INGRESO", "150.12"),
    ("-snp", "SISTEMA NACIONAL DE PENSIONES", "DESCUENTO", "380.42"),
    ("-derrama", "DERRAMA MAGISTERIAL", "DESCUENTO", "27.80"),
    ("essalud", "ESSALUD 9%", "APORTE", "263.71"),
]


def boleta_rows(head=None, lines=ROSA_LINES, **changes) -> list[dict]:
    """The rows of one boleta: Rosa's June 2022 unless told otherwise."""
    base = {**(head or ROSA), **changes}
    return [
        {**base, "concepto_codigo": code, "concepto_descripcion": description,
         "tipo_concepto": kind, "monto": amount}
        for code, description, kind, amount in lines
    ]  # fmt: skip


def servant_rows(index: int, amount="2500.00", period="2022-06", **changes) -> list[dict]:
    """A generated servant's boleta with one earning and one deduction."""
    head = {**ROSA, "numero_documento": f"{45000000 + index}", "apellido_paterno": "PRUEBA",
            "nombres": f"N{index}", "periodo": period, "codigo_modular": ""}  # fmt: skip
    lines = [("+rem", "REMUNERACION", "INGRESO", amount), ("-snp", "SNP", "DESCUENTO", "100.00")]
    return boleta_rows(head, lines, **changes)


def planilla_bytes(rows: list[dict], columns=COLUMNS, newline="\n") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode()


def source(rows_or_bytes, name="planilla.csv") -> PlanillaSource:
    data = rows_or_bytes if isinstance(rows_or_bytes, bytes) else planilla_bytes(rows_or_bytes)
    return PlanillaSource.from_bytes(name, data)
