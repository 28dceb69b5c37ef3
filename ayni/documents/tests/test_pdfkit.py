import segno

from ayni.documents.pdfkit import _dark_runs


def test_dark_runs_cover_exactly_the_dark_modules():
    assert _dark_runs([True, True, False, True, False, False, True]) == [(0, 2), (3, 1), (6, 1)]
    assert _dark_runs([False, False]) == []
    qr = segno.make_qr("https://ayni.example.pe/verificar/ABCD-EFGH-JKLM/", error="m")
    for row in qr.matrix_iter(border=2):
        row = [bool(module) for module in row]
        redrawn = [False] * len(row)
        for start, length in _dark_runs(row):
            redrawn[start : start + length] = [True] * length
        assert redrawn == row
