import pytest

from ayni.organizations.models import StaffRole, Unit
from ayni.organizations.tests.factories import StaffRoleFactory


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Call, then run what the call left for after its commit (mails, file deletions)."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def ugel07():
    return Unit.objects.get(code="150108")


@pytest.fixture
def ugel03():
    return Unit.objects.get(code="150104")


@pytest.fixture
def admin07(ugel07):
    return StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL, unit=ugel07).user


@pytest.fixture
def admin03(ugel03):
    return StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL, unit=ugel03).user
