"""Draw the home-screen icons once (committed in src/xiabo/web/static/icons/).

The mark: a downward arrow onto a line (下, "getting off"), white on the app's red, drawn
inside the central safe zone so the icon also works masked (round or squircle). Run:
``.venv/bin/python scripts/make_icons.py``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "src" / "xiabo" / "web" / "static" / "icons"
RED, WHITE = "#b3261e", "#ffffff"
# shapes on a 100 x 100 grid
ARROW = [(38, 22), (62, 22), (62, 48), (76, 48), (50, 72), (24, 48), (38, 48)]
BAR = (24, 76, 76, 84)


def svg() -> str:
    points = " ".join(f"{x},{y}" for x, y in ARROW)
    x0, y0, x1, y1 = BAR
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
            f'<rect width="100" height="100" rx="18" fill="{RED}"/>'
            f'<polygon points="{points}" fill="{WHITE}"/>'
            f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="3" '
            f'fill="{WHITE}"/></svg>\n')


def png(size: int) -> Image.Image:
    scale = 4  # draw large, shrink: smooth edges without an SVG renderer
    big = size * scale
    k = big / 100
    img = Image.new("RGB", (big, big), RED)  # full bleed: maskable icons need no transparency
    draw = ImageDraw.Draw(img)
    draw.polygon([(x * k, y * k) for x, y in ARROW], fill=WHITE)
    x0, y0, x1, y1 = BAR
    draw.rounded_rectangle((x0 * k, y0 * k, x1 * k, y1 * k), radius=3 * k, fill=WHITE)
    return img.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg(), encoding="utf-8")
    for size in (192, 512):
        png(size).save(OUT / f"icon-{size}.png", optimize=True)
    print(OUT)


if __name__ == "__main__":
    main()
