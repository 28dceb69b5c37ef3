"""Boleta signing cost: our issue path's signing step against bare pyHanko, same key, same run.

    .venv/bin/python bench/sign_boletas.py [--docs 100]

It builds a scratch SQLite database and VAR_DIR (in a temporary folder, so the demo CA is
made there: RSA 2048, SHA-256), imports the documented sample planilla, issues Rosa's boleta
once and renders its unsigned PDF. Then times, taking turns each round:

- bare: `pyhanko.sign.signers.sign_pdf` on the unsigned PDF with the same `SimpleSigner`,
  PAdES subfilter and SHA-256, nothing else: the least a PAdES B-B signature costs;
- ours (signing): `ayni.documents.services.signed_pdf`, the step `issue_document` runs
  (fixed signing time, content-derived file id, reason and location);
- ours (render + sign): `render_again`, i.e. the renderer and the signing step, what one
  boleta costs a worker besides the database and storage.

Prints ms per document, signatures per second per core (one process, one thread) and the
ratio of our signing step to bare pyHanko.
"""

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(folder: str):
    from boleta_pdf import setup as sample_boleta  # bench/, the same scratch set-up

    boleta, document = sample_boleta(folder)
    document.source = boleta  # render_again reads the already loaded boleta
    return boleta, document


def best_ms(functions: dict, docs: int, rounds: int = 5) -> dict:
    """Best round of `docs` calls, in ms per document; the functions take turns each round."""
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(rounds):
        for name, function in functions.items():
            start = time.perf_counter()
            for _ in range(docs):
                function()
            best[name] = min(best[name], (time.perf_counter() - start) / docs * 1000)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100, help="documents per round (5 rounds)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ayni-bench-sign-") as folder:
        boleta, document = setup(folder)
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        from ayni.boletas.pdf import BoletaRenderer
        from ayni.documents.services import render_again, signed_pdf
        from ayni.documents.signing import identity

        unsigned = BoletaRenderer().render(boleta, document)
        signer = identity().signer
        bare_meta = signers.PdfSignatureMetadata(
            field_name="Firma", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
        )

        def bare():
            writer = IncrementalPdfFileWriter(io.BytesIO(unsigned))
            return signers.sign_pdf(writer, bare_meta, signer=signer).getvalue()

        ours_pdf, bare_pdf = signed_pdf(unsigned, document), bare()
        assert ours_pdf == render_again(document)  # the path timed is the issue path
        print(
            f"sizes: unsigned {len(unsigned)} bytes, ours signed {len(ours_pdf)} bytes, "
            f"bare signed {len(bare_pdf)} bytes"
        )
        timings = best_ms(
            {
                "bare": bare,
                "ours": lambda: signed_pdf(unsigned, document),
                "render+sign": lambda: render_again(document),
            },
            args.docs,
        )
    bare_ms, ours_ms, total_ms = timings["bare"], timings["ours"], timings["render+sign"]
    print(f"bare pyHanko signing:   {bare_ms:6.2f} ms/doc  ({1000 / bare_ms:6.1f} firmas/s/núcleo)")
    print(f"our signing step:       {ours_ms:6.2f} ms/doc  ({1000 / ours_ms:6.1f} firmas/s/núcleo)")
    print(
        f"our render + sign:      {total_ms:6.2f} ms/doc  ({1000 / total_ms:6.1f} boletas/s/núcleo)"
    )
    print(f"ratio ours / bare (signing): {ours_ms / bare_ms:.2f}")
    hours = 500_000 * total_ms / 1000 / 3600
    print(f"500,000 boletas rendered and signed: {hours:.1f} core-hours")


if __name__ == "__main__":
    main()
