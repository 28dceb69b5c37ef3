import re

from django import forms

CODE_RE = re.compile(r"[A-Za-z0-9_-]{16,32}")
MAX_PDF_BYTES = 10 * 1024 * 1024


class CodeForm(forms.Form):
    codigo = forms.CharField(
        label="Código de verificación",
        max_length=64,
        help_text="Figura al pie del documento, junto al código QR.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_codigo(self):
        code = self.cleaned_data["codigo"].strip()
        if not CODE_RE.fullmatch(code):
            raise forms.ValidationError(
                "El código tiene de 16 a 32 caracteres: letras, dígitos, «-» o «_»."
            )
        return code


class PdfCheckForm(forms.Form):
    archivo = forms.FileField(
        label="Archivo PDF recibido",
        help_text=(
            "Se comprueba su firma digital y se compara byte a byte con el documento emitido "
            "(máximo 10 MB)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_archivo(self):
        upload = self.cleaned_data["archivo"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError("El archivo supera los 10 MB.")
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        if b"%PDF-" not in head:  # checked by content, not by name or declared type
            raise forms.ValidationError("El archivo no es un PDF.")
        return upload

    def pdf_bytes(self) -> bytes:
        upload = self.cleaned_data["archivo"]
        upload.seek(0)
        return upload.read()
