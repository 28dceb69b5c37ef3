from ayni.boletas.tests.conftest import demo_servants, sample_imported, ugel07  # noqa: F401
