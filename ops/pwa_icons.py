"""Draws the installable app's icons (ayni/pwa/static/pwa/) from the site's brand mark: the
white "A" on the brand red of ayni.css, as in core/favicon.svg. Run once after a change of
the brand: `.venv/bin/python ops/pwa_icons.py`; the PNGs are committed."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = "#9b1c1c"  # --brand in ayni/core/static/core/ayni.css
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FOLDER = Path(__file__).resolve().parent.parent / "ayni" / "pwa" / "static" / "pwa"


def draw(size: int, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    if maskable:  # full bleed: the platform crops it to its own shape
        canvas.rectangle((0, 0, size, size), fill=BRAND)
        letter = size * 0.5  # inside the 80 % safe zone
    else:  # the favicon's rounded square
        canvas.rounded_rectangle((0, 0, size - 1, size - 1), radius=size * 6 // 32, fill=BRAND)
        letter = size * 0.625
    font = ImageFont.truetype(FONT, int(letter))
    canvas.text((size / 2, size / 2), "A", font=font, fill="white", anchor="mm")
    return image


if __name__ == "__main__":
    for name, size, maskable in (
        ("icono-192.png", 192, False),
        ("icono-512.png", 512, False),
        ("icono-maskable-512.png", 512, True),
    ):
        draw(size, maskable).save(FOLDER / name, optimize=True)
