"""The photo pipeline: check an upload, re-encode it, make its renditions once.

Photos are taken inside facilities, so nothing of the uploaded file may reach
the public: no EXIF (GPS, camera, time), no XMP, no trailing bytes of the
original container (a PNG with an HTML page appended is a classic polyglot).
Every stored byte is written by Pillow's encoder from decoded pixels, under a
name the server chooses.

Pages never resize on request: the widths in ProductImage.RENDITION_WIDTHS are
made here, on upload, in WebP with a JPEG fallback, and never upscaled.

Decoding is the one expensive step (a 40-megapixel photo is 120 MB of pixels,
and a PNG of one flat colour declares that in 170 KB), so: the header is read
first and the pixel count checked before any pixel is decoded (and before
waiting for a decode slot); JPEGs are decoded at a reduced scale when the
result is shrunk anyway; and each process decodes at most
IMAGE_DECODE_SLOTS images at once, whatever its thread count, so parallel
uploads queue instead of multiplying a worker's memory.
"""

from __future__ import annotations

import contextlib
import io
import threading
import uuid
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# How long an upload waits for a decode slot before it is refused as "busy";
# below gunicorn's 30 s timeout, so the shopper gets a message, not a kill.
DECODE_WAIT_SECONDS = 20
RENDITION_WIDTHS = (320, 640, 1280)
# The stored "original" is re-encoded too; capping its long edge keeps a 40 MP
# phone photo from costing megabytes on every product page that links to it.
ORIGINAL_MAX_EDGE = 2560
JPEG_QUALITY = 85
WEBP_QUALITY = 80
UPLOAD_DIR = "products"


class ImageRejected(ValueError):
    """The upload is not a photo we accept; the message is for the uploader."""


class ImageBusy(ImageRejected):
    """Every decode slot stayed taken too long; the upload may be tried again."""


_slots_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None


def _decode_slots() -> threading.BoundedSemaphore:
    """The process's decode slots, made on first use (after gunicorn forks)."""
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(max(1, settings.IMAGE_DECODE_SLOTS))
        return _slots


@contextlib.contextmanager
def decode_slot():
    """Hold one of the process's decode slots for the block.

    Raises ImageBusy when none frees up within DECODE_WAIT_SECONDS.
    """
    slots = _decode_slots()
    if not slots.acquire(timeout=DECODE_WAIT_SECONDS):
        raise ImageBusy(_("Server sedang memproses banyak foto. Coba unggah lagi sebentar lagi."))
    try:
        yield
    finally:
        slots.release()


@dataclass
class ProcessedImage:
    """Encoded bytes, ready to store: the original and each rendition."""

    original: bytes
    width: int
    height: int
    # {width: {"webp": bytes, "jpeg": bytes, "width": w, "height": h}}
    renditions: dict[int, dict] = field(default_factory=dict)


def _read(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ImageRejected(_too_big_message())
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1) if hasattr(upload, "read") else bytes(upload)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRejected(_too_big_message())
    if not data:
        raise ImageRejected(_("Berkas foto kosong."))
    return data


def _too_big_message() -> str:
    return _("Ukuran foto paling besar %(max)s.") % {"max": filesizeformat(MAX_UPLOAD_BYTES)}


def _unreadable_message() -> str:
    return _("Berkas ini tidak bisa dibaca sebagai foto. Unggah foto JPEG, PNG, atau WebP.")


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Open `data` lazily: the header is parsed, no pixel is decoded yet."""
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; make it fatal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except Image.UnidentifiedImageError as exc:
            raise ImageRejected(
                _("Format foto tidak didukung. Unggah foto JPEG, PNG, atau WebP.")
            ) from exc
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRejected(_bomb_message(max_pixels)) from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageRejected(_unreadable_message()) from exc
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRejected(_unreadable_message())
    if width * height > max_pixels:
        raise ImageRejected(_bomb_message(max_pixels))
    return image


def _decode(data: bytes, max_pixels: int, max_edge: int) -> Image.Image:
    """Decode `data` into pixels, refusing anything but a sane JPEG/PNG/WebP."""
    image = _open(data, max_pixels)
    if image.format == "JPEG" and max(image.size) > max_edge:
        # libjpeg can decode at 1/2, 1/4 or 1/8 scale: the pixels that would be
        # thrown away by the resize below are never held in memory.
        scale = max_edge / max(image.size)
        image.draft(None, (round(image.width * scale), round(image.height * scale)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRejected(_bomb_message(max_pixels)) from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageRejected(_unreadable_message()) from exc
    return image


def _bomb_message(max_pixels: int) -> str:
    return _("Foto terlalu besar: paling banyak %(mp)s megapiksel.") % {
        "mp": max_pixels // 1_000_000
    }


def _flatten(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation and return plain RGB pixels (no alpha, no info)."""
    # A broken orientation tag is not worth refusing a photo for. In place:
    # a copy of every photo's pixels only to read its orientation is memory.
    with contextlib.suppress(OSError, ValueError, SyntaxError):
        ImageOps.exif_transpose(image, in_place=True)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image if image.mode == "RGBA" else image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background  # a fresh image: pixels only
    if image.mode != "RGB":
        image = image.convert("RGB")
    # A fresh image carries pixels only: no exif, xmp, icc or text chunks.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "jpeg":
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=2)
    return out.getvalue()


def _resized(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def process_image(
    upload, *, max_pixels: int | None = None, renditions: bool = True
) -> ProcessedImage:
    """Check and re-encode an uploaded photo; nothing is stored yet.

    `max_pixels` lowers the pixel limit (receipts take far fewer than product
    photos); without `renditions` only the original is encoded.

    Raises ImageRejected (with an Indonesian message) when the file is too
    large, has too many pixels, is not JPEG/PNG/WebP, or cannot be decoded,
    and ImageBusy when the process is decoding other uploads for too long.
    """
    data = _read(upload)
    max_pixels = max_pixels or MAX_PIXELS
    # Refused from the header before queueing for a slot: a bomb costs nothing.
    _open(data, max_pixels)
    with decode_slot():
        return _process(data, max_pixels, renditions)


def _process(data: bytes, max_pixels: int, renditions: bool) -> ProcessedImage:
    original = _flatten(_decode(data, max_pixels, ORIGINAL_MAX_EDGE))
    if max(original.size) > ORIGINAL_MAX_EDGE:
        # In place: the full-size pixels are not needed once shrunk.
        original.thumbnail((ORIGINAL_MAX_EDGE, ORIGINAL_MAX_EDGE), Image.Resampling.LANCZOS)
    processed = ProcessedImage(
        original=_encode(original, "jpeg"), width=original.width, height=original.height
    )
    if not renditions:
        return processed
    for width in RENDITION_WIDTHS:
        rendition = _resized(original, width)
        processed.renditions[width] = {
            "webp": _encode(rendition, "webp"),
            "jpeg": _encode(rendition, "jpeg"),
            "width": rendition.width,
            "height": rendition.height,
        }
    return processed


def store_processed(processed: ProcessedImage, *, folder: str = UPLOAD_DIR) -> tuple[str, dict]:
    """Write the original and renditions under a fresh uuid folder inside
    `folder` (products by default; a private folder for files only a view
    that checks may serve).

    Returns the original's storage name and the `renditions` mapping in the
    format ProductImage documents.
    """
    stem = f"{folder}/{uuid.uuid4().hex}"
    original_name = default_storage.save(f"{stem}/original.jpg", ContentFile(processed.original))
    renditions: dict[str, dict] = {}
    for width, entry in processed.renditions.items():
        renditions[str(width)] = {
            "webp": default_storage.save(f"{stem}/{width}.webp", ContentFile(entry["webp"])),
            "jpeg": default_storage.save(f"{stem}/{width}.jpg", ContentFile(entry["jpeg"])),
            "width": entry["width"],
            "height": entry["height"],
        }
    return original_name, renditions


def delete_stored(original_name: str, renditions: dict) -> None:
    """Remove a photo's files (after its row is gone)."""
    names = [original_name] + [
        entry[fmt] for entry in renditions.values() for fmt in ("webp", "jpeg") if fmt in entry
    ]
    for name in names:
        if name:
            default_storage.delete(name)
