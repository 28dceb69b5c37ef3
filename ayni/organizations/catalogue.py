"""The catalogue of regional directorates and UGELs shipped with the platform.

Source: `data/dre_ugel.csv`, 26 DRE/GRE and 224 UGELs with the sector's codes, taken
from a public list (May 2024) as provided in the project's reference data. RUCs are
left empty where unknown; MINEDU's own RUC is 20131370998.
"""

import csv
from pathlib import Path

CATALOGUE_CSV = Path(__file__).parent / "data" / "dre_ugel.csv"
MINEDU = {"code": "000000", "name": "MINISTERIO DE EDUCACIÓN", "kind": "MINEDU",
          "ruc": "20131370998"}  # fmt: skip


def regional_kind(name: str) -> str:
    return "GRE" if name.upper().startswith("GRE") else "DRE"


def catalogue_rows():
    """Yield (dre_code, dre_name, ugel_code, ugel_name) from the shipped CSV."""
    with CATALOGUE_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield row["codigo_dre"], row["nombre_dre"], row["codigo_ugel"], row["nombre_ugel"]


def load_catalogue(unit_model) -> int:
    """Create the units that are missing (idempotent); works with historical models too."""
    created = 0

    def ensure(code, name, kind, parent, ruc=""):
        nonlocal created
        unit = unit_model.objects.filter(code=code).first()
        if unit is None:
            path = f"{parent.path if parent else '/'}{code}/"
            unit = unit_model.objects.create(
                code=code, name=name, kind=kind, parent=parent, ruc=ruc, path=path
            )
            created += 1
        return unit

    root = ensure(MINEDU["code"], MINEDU["name"], MINEDU["kind"], None, MINEDU["ruc"])
    regions = {}
    for dre_code, dre_name, ugel_code, ugel_name in catalogue_rows():
        if dre_code not in regions:
            regions[dre_code] = ensure(dre_code, dre_name, regional_kind(dre_name), root)
        ensure(ugel_code, ugel_name, "UGEL", regions[dre_code])
    return created
