"""What decoding costs: checked from the header first, shrunk while decoding,
and one decode at a time per process."""

import io
import threading
import time

import pytest
from PIL import Image

from core import images


def _jpeg(width, height) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 90, 60)).save(out, "JPEG", quality=70)
    return out.getvalue()


def test_a_big_jpeg_is_decoded_at_a_reduced_scale(monkeypatch):
    decoded = []
    real = images._decode

    def spy(*args, **kwargs):
        image = real(*args, **kwargs)
        decoded.append(image.size)
        return image

    monkeypatch.setattr(images, "_decode", spy)
    processed = images.process_image(io.BytesIO(_jpeg(6400, 4800)), renditions=False)
    # libjpeg's 1/2 scale: 3200x2400 pixels held instead of 6400x4800.
    assert decoded == [(3200, 2400)]
    assert (processed.width, processed.height) == (2560, 1920)
    assert processed.renditions == {}


def test_too_many_pixels_are_refused_from_the_header_without_a_slot(monkeypatch):
    # Every slot taken: a bomb is still refused at once, from its header.
    monkeypatch.setattr(images, "_slots", None)
    monkeypatch.setattr(images, "DECODE_WAIT_SECONDS", 5)
    slots = images._decode_slots()
    while slots.acquire(blocking=False):
        pass
    started = time.monotonic()
    with pytest.raises(images.ImageRejected, match="paling banyak 1 megapiksel"):
        images.process_image(io.BytesIO(_jpeg(1200, 1000)), max_pixels=1_000_000)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("slots, expected", [(1, 1), (3, 3)], ids=["bounded", "control"])
def test_parallel_uploads_decode_at_most_the_slots_at_once(monkeypatch, settings, slots, expected):
    settings.IMAGE_DECODE_SLOTS = slots
    monkeypatch.setattr(images, "_slots", None)  # made again with this setting
    running, most = 0, 0
    lock = threading.Lock()
    real = images._process

    def slow(*args):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.2)
        with lock:
            running -= 1
        return real(*args)

    monkeypatch.setattr(images, "_process", slow)
    data = _jpeg(400, 300)
    threads = [
        threading.Thread(target=images.process_image, args=(io.BytesIO(data),)) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == expected
