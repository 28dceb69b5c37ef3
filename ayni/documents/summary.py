"""What a renderer may publish on the verification page, and how it masks personal data.

Every renderer's `summary(source)` returns `public_summary(title, [(label, value), ...])`:
a title and an ordered list of label/value pairs (a list because PostgreSQL's jsonb does
not keep the order of object keys). Names and documents go through the masks below.
"""


def public_summary(title: str, fields: list[tuple[str, str]]) -> dict:
    return {"titulo": title, "campos": [[label, str(value)] for label, value in fields]}


def mask_name(*parts: str) -> str:
    """`R*** E*** Q*** M***`: only the initial of each word is shown."""
    words = " ".join(p for p in parts if p).split()
    return " ".join(f"{word[0]}***" for word in words)


def mask_document(number: str) -> str:
    """`4000****`: the first half is shown, the rest hidden."""
    visible = len(number) // 2
    return number[:visible] + "*" * (len(number) - visible)
