"""Uploaded bytes become RGB frames or a quarantine reason; bursts keep their frames; faces are obscured."""

import io
import struct
import zlib
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from PIL import ExifTags, Image, ImageFile

from chalicelib.adapters.vision.pillow_frames import (
    DecodeLimits,
    decode_frames,
    encode_burst,
    encode_redacted,
    encode_still,
    redact,
)
from chalicelib.domain.cameras.vision import Box, Frame, RejectedMedia

CAPTURED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def gradient(height=48, width=64, shift=0):
    y, x = np.mgrid[0:height, 0:width]
    return np.stack([(x * 3 + shift) % 256, (y * 4 + shift) % 256, (x + y) * 2 % 256], -1).astype(np.uint8)


def noise(height=64, width=64, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def saved(image, save_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, save_format, **options)
    return buffer.getvalue()


def png_header_only(width, height):
    """A valid PNG whose header declares width x height pixels; its few bytes hold no such pixels."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def webp_header_only(width, height):
    vp8x = b"VP8X" + struct.pack("<I", 10) + bytes(4) + (width - 1).to_bytes(3, "little")
    body = b"WEBP" + vp8x + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", len(body)) + body


def rejection(body, content_type="image/jpeg", limits=None):
    with pytest.raises(RejectedMedia) as raised:
        decode_frames(body, content_type, CAPTURED_AT, limits or DecodeLimits())
    return raised.value.code


# --- rejections ----------------------------------------------------------------------------------------


def test_given_zero_bytes_when_decoded_then_rejected_as_empty_object():
    assert rejection(b"") == "EMPTY_OBJECT"


def test_given_more_bytes_than_allowed_when_decoded_then_rejected_as_too_large():
    jpeg = encode_still(gradient())
    assert rejection(jpeg + bytes(8 * 1024 * 1024)) == "TOO_LARGE"
    assert rejection(jpeg, limits=DecodeLimits(max_bytes=len(jpeg) - 1)) == "TOO_LARGE"


@pytest.mark.parametrize("content_type", ["image/gif", "application/octet-stream", "text/plain", ""])
def test_given_a_content_type_that_is_not_an_image_type_when_decoded_then_rejected(content_type):
    assert rejection(encode_still(gradient()), content_type) == "UNSUPPORTED_TYPE"


def test_given_random_bytes_or_a_gif_when_decoded_then_rejected_as_not_an_image():
    assert rejection(np.random.default_rng(7).bytes(4000)) == "NOT_AN_IMAGE"
    assert rejection(saved(Image.fromarray(gradient()), "GIF"), "image/png") == "NOT_AN_IMAGE"


@pytest.mark.parametrize(
    ("real", "declared"),
    [("image/png", "image/jpeg"), ("image/jpeg", "image/webp"), ("image/webp", "image/png")],
)
def test_given_bytes_of_another_format_than_declared_when_decoded_then_rejected_as_type_mismatch(
    real, declared
):
    assert rejection(encode_still(gradient(), real), declared) == "TYPE_MISMATCH"


@pytest.mark.parametrize("side", [30000, 5000])
def test_given_a_png_declaring_a_huge_image_when_decoded_then_rejected_without_decoding_pixels(side):
    bomb = png_header_only(side, side)
    assert len(bomb) < 100
    assert rejection(bomb, "image/png") == "TOO_MANY_PIXELS"


def test_given_a_webp_declaring_a_huge_canvas_when_decoded_then_rejected_before_pillow_opens_it(monkeypatch):
    def never_open(*args, **kwargs):
        raise AssertionError("the WebP decoder allocates its canvas on open")

    monkeypatch.setattr(Image, "open", never_open)
    assert rejection(webp_header_only(9000, 9000), "image/webp") == "TOO_MANY_PIXELS"


def test_given_a_real_image_over_a_lower_pixel_limit_when_decoded_then_rejected_as_too_many_pixels():
    assert rejection(encode_still(gradient(20, 20)), limits=DecodeLimits(max_pixels=399)) == "TOO_MANY_PIXELS"


def test_given_a_burst_with_more_frames_than_allowed_when_decoded_then_rejected_as_too_many_frames():
    burst = encode_burst([gradient(16, 16, shift=i) for i in range(33)], 100)
    assert rejection(burst, "image/webp") == "TOO_MANY_FRAMES"
    three = encode_burst([gradient(16, 16, shift=i) for i in range(3)], 100)
    assert rejection(three, "image/webp", DecodeLimits(max_frames=2)) == "TOO_MANY_FRAMES"


@pytest.mark.parametrize("content_type", ["image/jpeg", "image/png", "image/webp"])
def test_given_a_truncated_image_when_decoded_then_rejected_and_truncated_loading_stays_off(content_type):
    if content_type == "image/webp":
        whole = encode_burst([noise(seed=i) for i in range(3)], 100)
    else:
        whole = encode_still(noise(), content_type)
    assert rejection(whole[: len(whole) * 6 // 10], content_type) == "TRUNCATED_IMAGE"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


# --- decoding -------------------------------------------------------------------------------------------


def test_given_a_jpeg_with_exif_orientation_when_decoded_then_the_frame_is_upright():
    pixels = np.zeros((20, 40, 3), np.uint8)
    pixels[:, :20] = (255, 0, 0)  # left half red, right half blue as stored
    pixels[:, 20:] = (0, 0, 255)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # stored rotated: turn 90 degrees clockwise to display
    (frame,) = decode_frames(saved(Image.fromarray(pixels), "JPEG", exif=exif), "image/jpeg", CAPTURED_AT)
    assert (frame.width, frame.height) == (20, 40)
    assert frame.pixels[5, 10, 0] > 200 and frame.pixels[5, 10, 2] < 60  # stored left is now on top
    assert frame.pixels[35, 10, 2] > 200 and frame.pixels[35, 10, 0] < 60
    assert frame.captured_at == CAPTURED_AT


@pytest.mark.parametrize(
    ("mode", "save_format"), [("RGBA", "PNG"), ("L", "PNG"), ("P", "PNG"), ("CMYK", "JPEG")]
)
def test_given_an_image_in_another_mode_when_decoded_then_an_rgb_uint8_frame(mode, save_format):
    original = gradient()
    body = saved(Image.fromarray(original).convert(mode), save_format)
    (frame,) = decode_frames(body, f"image/{save_format.lower()}", CAPTURED_AT)
    assert frame.pixels.shape == (48, 64, 3) and frame.pixels.dtype == np.uint8
    if mode in ("RGBA", "CMYK"):
        assert np.abs(frame.pixels.astype(int) - original).mean() < 4


def test_given_a_burst_of_8_frames_at_250_ms_when_decoded_then_8_frames_250_ms_apart():
    originals = [gradient(shift=10 * i) for i in range(8)]
    frames = decode_frames(encode_burst(originals, 250), "image/webp", CAPTURED_AT)
    assert [f.captured_at for f in frames] == [
        CAPTURED_AT + timedelta(milliseconds=250 * i) for i in range(8)
    ]
    for frame, original in zip(frames, originals, strict=True):
        assert np.abs(frame.pixels.astype(int) - original).mean() < 6


def test_given_identical_consecutive_frames_when_encoded_as_a_burst_then_every_frame_is_kept():
    still, moved = gradient(), gradient(shift=40)
    frames = decode_frames(
        encode_burst([still, still, still, moved], [100, 200, 300, 400]), "image/webp", CAPTURED_AT
    )
    offsets = [(f.captured_at - CAPTURED_AT) // timedelta(milliseconds=1) for f in frames]
    assert offsets == [0, 100, 300, 600]
    with Image.open(io.BytesIO(encode_burst([still] * 5, 250))) as image:
        assert image.n_frames == 5


def test_given_a_content_type_with_parameters_when_decoded_then_it_is_accepted():
    assert len(decode_frames(encode_still(gradient()), "Image/JPEG; charset=binary", CAPTURED_AT)) == 1


# --- redaction ------------------------------------------------------------------------------------------


def checkerboard(height=120, width=160):
    y, x = np.mgrid[0:height, 0:width]
    return np.repeat((((x + y) % 2) * 255).astype(np.uint8)[..., None], 3, axis=2)


FACE = Box(x1=60, y1=40, x2=100, y2=80, score=0.9, label="face")


def test_given_a_box_over_fine_detail_when_redacted_then_the_detail_is_gone_and_the_rest_is_untouched():
    pixels = checkerboard()
    redacted = redact(pixels, [FACE])
    assert pixels[40:80, 60:100].std() > 120
    assert redacted[40:80, 60:100].std() < 10
    outside = np.ones(pixels.shape[:2], bool)
    outside[30:90, 50:110] = False  # the box grown by a quarter of its size on every side
    assert np.array_equal(redacted[outside], pixels[outside])
    assert not np.array_equal(redacted[30:90, 50:110], pixels[30:90, 50:110])
    assert np.array_equal(pixels, checkerboard())  # the input is left alone


def test_given_a_face_of_noise_when_redacted_then_nothing_of_it_correlates_with_the_original():
    pixels = noise(120, 160)
    redacted = redact(pixels, [FACE])
    before, after = pixels[40:80, 60:100].astype(float).ravel(), redacted[40:80, 60:100].astype(float).ravel()
    assert abs(np.corrcoef(before, after)[0, 1]) < 0.2


def test_given_boxes_at_or_past_the_edge_when_redacted_then_they_are_clipped_without_error():
    pixels = checkerboard()
    corner = Box(x1=-20, y1=-20, x2=30, y2=30, score=0.9, label="face")
    elsewhere = Box(x1=500, y1=500, x2=600, y2=600, score=0.9, label="face")
    redacted = redact(pixels, [corner, elsewhere])
    assert redacted[:30, :30].std() < 10
    assert np.array_equal(redacted[50:, 50:], pixels[50:, 50:])


# --- derivatives ----------------------------------------------------------------------------------------


def jpeg_with_gps():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SomeCamera"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    return saved(Image.fromarray(checkerboard()), "JPEG", exif=exif)


def test_given_a_still_with_exif_and_gps_when_redacted_then_the_derivative_is_a_jpeg_without_metadata():
    source = jpeg_with_gps()
    with Image.open(io.BytesIO(source)) as original:
        assert len(original.getexif()) > 0
    frames = decode_frames(source, "image/jpeg", CAPTURED_AT)
    body, content_type = encode_redacted(frames, [[FACE]], "image/jpeg")
    assert content_type == "image/jpeg"
    with Image.open(io.BytesIO(body)) as derivative:
        assert derivative.format == "JPEG" and len(derivative.getexif()) == 0
        assert not {"exif", "icc_profile", "xmp"} & set(derivative.info)


def test_given_a_png_still_when_redacted_then_the_derivative_is_a_png():
    frame = Frame(checkerboard(), CAPTURED_AT)
    body, content_type = encode_redacted([frame], [[FACE]], "image/png")
    assert content_type == "image/png"
    (decoded,) = decode_frames(body, "image/png", CAPTURED_AT)
    assert decoded.pixels[40:80, 60:100].std() < 10


def test_given_a_burst_when_redacted_then_the_derivative_keeps_every_frame_and_its_duration():
    burst = encode_burst([checkerboard()] * 3 + [gradient(120, 160)], 250)
    frames = decode_frames(burst, "image/webp", CAPTURED_AT)
    body, content_type = encode_redacted(frames, [[FACE], [], [FACE], [FACE]], "image/webp")
    assert content_type == "image/webp"
    redacted = decode_frames(body, "image/webp", CAPTURED_AT)
    assert [f.captured_at for f in redacted] == [f.captured_at for f in frames]
    assert redacted[0].pixels[40:80, 60:100].std() < 10 and redacted[1].pixels[40:80, 60:100].std() > 60
    with Image.open(io.BytesIO(body)) as image:
        durations = []
        for index in range(image.n_frames):
            image.seek(index)
            image.load()
            durations.append(image.info["duration"])
        assert durations == [250, 250, 250, 250] and "exif" not in image.info


def test_given_a_face_with_a_sharp_edge_when_redacted_then_only_a_soft_mosaic_remains():
    pixels = np.zeros((120, 160, 3), np.uint8)
    pixels[:, 80:] = 255  # a hard edge through the middle of the face
    region = redact(pixels, [FACE])[30:90, 50:110].astype(int)
    strongest_step = max(np.abs(np.diff(region, axis=0)).max(), np.abs(np.diff(region, axis=1)).max())
    assert strongest_step < 120
