"""QR codes of activity links, as SVG (inline and files) and PNG."""

import io
from functools import lru_cache

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def _qr(data: str, **kwargs) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, **kwargs)
    code.add_data(data)
    code.make(fit=True)
    return code


# The same link gives the same code: memoizing keeps the poster (one code per activity) cheap to render.
@lru_cache(maxsize=1024)
def qr_svg(data: str) -> str:
    """An <svg> element (no XML declaration) encoding data; it scales with CSS."""
    image = _qr(data, image_factory=qrcode.image.svg.SvgPathImage).make_image()
    return image.to_string(encoding="unicode")


def qr_svg_document(data: str) -> bytes:
    """A standalone SVG file encoding data."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + qr_svg(data)).encode()


@lru_cache(maxsize=256)
def qr_png(data: str, box_size: int = 10) -> bytes:
    """A PNG encoding data, box_size pixels per module."""
    image = _qr(data, box_size=box_size).make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
