import pytest

from ayni.accounts.models import User
from ayni.accounts.tests.factories import UserFactory
from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.scoping import covered_units, covers, has_role, role_summary
from ayni.organizations.tests.factories import StaffRoleFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """MINEDU → DRE Lima Metropolitana → UGEL 03 / UGEL 07 → schools; DRE Cusco → UGEL Canchis."""
    ugel07 = Unit.objects.get(code="150108")
    ugel03 = Unit.objects.get(code="150104")
    return {
        "minedu": Unit.objects.get(code="000000"),
        "dre_lima": Unit.objects.get(code="150101"),
        "ugel03": ugel03,
        "ugel07": ugel07,
        "ie07": UnitFactory(code="9100001", parent=ugel07),
        "ie07b": UnitFactory(code="9100002", parent=ugel07),
        "ie03": UnitFactory(code="9100003", parent=ugel03),
        "dre_cusco": Unit.objects.get(code="080000"),
        "canchis": Unit.objects.get(code="080006"),
    }


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_catalogue_is_loaded_with_real_codes():
    assert Unit.objects.filter(kind__in=["DRE", "GRE"]).count() == 26
    assert Unit.objects.filter(kind="UGEL").count() == 224
    assert Unit.objects.get(code="150104").name == "UGEL 03 BREÑA"
    assert Unit.objects.get(code="150108").parent.name == "DRE LIMA METROPOLITANA"
    assert Unit.objects.get(code="080006").name == "UGEL CANCHIS"
    assert Unit.objects.get(code="080000").parent.kind == "MINEDU"
    assert Unit.objects.get(code="000000").ruc == "20131370998"
    assert Unit.objects.get(code="040000").kind == "GRE"  # GRE Arequipa


def test_a_ugel_role_covers_the_ugel_and_its_schools_only(tree):
    role = StaffRoleFactory(unit=tree["ugel07"], role=StaffRole.Role.ESCALAFON)
    assert codes(covered_units(role.user)) == {"150108", "9100001", "9100002"}
    assert covers(role.user, tree["ie07"])
    assert not covers(role.user, tree["ie03"])
    assert not covers(role.user, tree["dre_lima"])


def test_a_dre_role_covers_every_level_below(tree):
    role = StaffRoleFactory(unit=tree["dre_lima"], role=StaffRole.Role.BOLETAS)
    covered = codes(covered_units(role.user))
    assert {"150101", "150104", "150108", "9100001", "9100003"} <= covered
    assert "080006" not in covered and "000000" not in covered


def test_roles_are_counted_per_kind_of_duty(tree):
    role = StaffRoleFactory(unit=tree["ugel07"], role=StaffRole.Role.ESCALAFON)
    StaffRoleFactory(user=role.user, unit=tree["canchis"], role=StaffRole.Role.BOLETAS)
    assert codes(covered_units(role.user, StaffRole.Role.ESCALAFON)) == {
        "150108", "9100001", "9100002"
    }  # fmt: skip
    assert codes(covered_units(role.user, StaffRole.Role.BOLETAS)) == {"080006"}
    assert codes(covered_units(role.user, StaffRole.Role.ADMIN_UGEL)) == set()
    assert has_role(role.user, StaffRole.Role.BOLETAS)
    assert not has_role(role.user, StaffRole.Role.ADMIN_UGEL)


def test_a_request_reads_the_users_roles_once(tree, django_assert_num_queries):
    role = StaffRoleFactory(unit=tree["ugel07"], role=StaffRole.Role.ESCALAFON)
    user = User.objects.get(pk=role.user.pk)  # as the request loads it
    with django_assert_num_queries(1):
        answers = [has_role(user, r) for r in StaffRole.Role.values * 2]
        summary = role_summary(user)  # the header, from the same read
    assert answers == [r == StaffRole.Role.ESCALAFON for r in StaffRole.Role.values * 2]
    assert summary == (role.get_role_display(), "UGEL 07 SAN BORJA")


def test_sibling_codes_with_a_common_prefix_do_not_leak(tree):
    # "150108" must not cover a unit whose path merely starts with the same characters.
    lookalike = Unit.objects.create(code="1501089", name="X", kind="UGEL", parent=tree["dre_lima"])
    role = StaffRoleFactory(unit=tree["ugel07"])
    assert lookalike.code not in codes(covered_units(role.user))


def test_servants_and_anonymous_cover_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert not covered_units(UserFactory()).exists()
    assert not covered_units(AnonymousUser()).exists()


def test_an_inactive_staff_member_covers_nothing(tree):
    role = StaffRoleFactory(unit=tree["ugel07"])
    role.user.is_active = False
    role.user.save()
    assert not covered_units(role.user).exists()


def test_minedu_administrators_cover_everything(tree):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert covered_units(admin).count() == Unit.objects.count()
    assert role_summary(admin) == ("Administrador MINEDU", "Ministerio de Educación")


def test_role_summary_for_staff_and_servants(tree):
    role = StaffRoleFactory(unit=tree["ugel07"], role=StaffRole.Role.ADMIN_UGEL)
    assert role_summary(role.user) == ("Administrador UGEL", "UGEL 07 SAN BORJA")
    assert role_summary(UserFactory()) == ("Servidor", "UGEL 07 SAN BORJA")
