import factory

from ayni.organizations.models import Servant, StaffRole, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"9{n:06d}")
    name = factory.Sequence(lambda n: f"UNIDAD DE PRUEBA {n}")
    kind = Unit.Kind.IE
    parent = factory.LazyFunction(lambda: Unit.objects.get(code="150108"))


class ServantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Servant

    document_type = "DNI"
    document_number = factory.Sequence(lambda n: f"{70000000 + n}")
    apellido_paterno = factory.Iterator(["QUISPE", "HUAMÁN", "FLORES"])
    apellido_materno = factory.Iterator(["MAMANI", "TORRES", ""])
    nombres = factory.Iterator(["ROSA", "LUIS ALBERTO", "ANA"])
    unit = factory.LazyFunction(lambda: Unit.objects.get(code="150108"))


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory("ayni.accounts.tests.factories.UserFactory", servant=None)
    role = StaffRole.Role.ESCALAFON
    unit = factory.LazyFunction(lambda: Unit.objects.get(code="150108"))
