from ayni.documents.checks import documents_are_signed_with_a_real_certificate as check


def ids(settings):
    return [message.id for message in check(None)]


def test_the_demo_ca_outside_debug_is_warned(settings, tmp_path):
    settings.DEBUG = False
    settings.AYNI_SIGNING_PKCS12 = ""
    assert ids(settings) == ["ayni.documents.W001"]
    settings.DEBUG = True
    assert ids(settings) == []


def test_a_configured_certificate_must_exist_and_have_trust_roots(settings, tmp_path):
    settings.DEBUG = False
    settings.AYNI_SIGNING_PKCS12 = str(tmp_path / "missing.p12")
    settings.AYNI_SIGNING_TRUST_ROOTS = ""
    assert ids(settings) == ["ayni.documents.E001", "ayni.documents.W002"]
    (tmp_path / "firma.p12").write_bytes(b"x")
    (tmp_path / "roots.pem").write_bytes(b"x")
    settings.AYNI_SIGNING_PKCS12 = str(tmp_path / "firma.p12")
    settings.AYNI_SIGNING_TRUST_ROOTS = str(tmp_path / "roots.pem")
    assert ids(settings) == []
