import factory

from ayni.accounts.models import User
from ayni.organizations.tests.factories import ServantFactory

PASSWORD = "Clave2026ok"


class UserFactory(factory.django.DjangoModelFactory):
    """An account linked to a new servant, with the password `Clave2026ok`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    servant = factory.SubFactory(ServantFactory)
    document_type = "DNI"
    username = factory.LazyAttribute(
        lambda o: o.servant.document_number if o.servant else f"{60000000 + User.objects.count()}"
    )
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.pe")
    first_name = factory.LazyAttribute(lambda o: o.servant.nombres if o.servant else "PERSONAL")
    last_name = factory.LazyAttribute(lambda o: o.servant.apellidos if o.servant else "DE PRUEBA")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
