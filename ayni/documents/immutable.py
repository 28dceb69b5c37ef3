"""Official records never change in place (boletas, planilla imports, issued documents).

A corrected boleta is a new one that annuls the old (the planilla import's own path); an
issued document only goes from "Válido" to "Anulado". The model layer enforces it: a model
built on `OfficialRecord` refuses `save()` of an existing row (unless its
`allowed_change` says yes), `delete()`, and a queryset's `delete()`, `bulk_update()` and any
`update()` that `allowed_update` does not accept. Raw SQL (the import's COPY) is the bulk
path that writes new rows; it never rewrites old ones.
"""

from django.core.exceptions import ValidationError
from django.db import models


class OfficialRecordChange(ValidationError):
    """An attempt to change or delete an official record."""


def refuse_change(model, detail: str = "") -> OfficialRecordChange:
    name = model._meta.verbose_name
    message = (
        f"Un registro oficial ({name}) no se modifica: se corrige con uno nuevo que anula "
        f"al anterior. {detail}"
    )
    return OfficialRecordChange(message.strip(), code="official_record")


def refuse_delete(model) -> OfficialRecordChange:
    name = model._meta.verbose_name
    return OfficialRecordChange(
        f"Un registro oficial ({name}) no se elimina: se conserva, a lo más anulado.",
        code="official_record",
    )


class OfficialQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if not self.model.allowed_update(kwargs):
            raise refuse_change(self.model)
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        raise refuse_change(self.model)

    def delete(self):
        raise refuse_delete(self.model)

    delete.alters_data = True
    delete.queryset_only = True


class OfficialRecord(models.Model):
    objects = OfficialQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            self._check_change()
        super().save(*args, **kwargs)

    save.alters_data = True

    @classmethod
    def allowed_update(cls, values: dict) -> bool:
        """Whether `QuerySet.update(**values)` is a documented transition."""
        return False

    def allowed_change(self, stored: dict, changed: set[str]) -> bool:
        """Whether saving this existing row, whose `changed` fields differ from `stored` (the
        row as it is in the database), is a documented transition."""
        return False

    def _check_change(self) -> None:
        stored = type(self)._base_manager.filter(pk=self.pk).values().first()
        if stored is None:
            return
        changed = {
            field.attname
            for field in self._meta.concrete_fields
            if field.get_prep_value(getattr(self, field.attname))
            != field.get_prep_value(stored[field.attname])
        }
        if changed and not self.allowed_change(stored, changed):
            raise refuse_change(type(self))

    def delete(self, *args, **kwargs):
        raise refuse_delete(type(self))

    delete.alters_data = True
