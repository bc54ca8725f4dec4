"""Uploads: images verified and re-encoded without metadata, PDFs checked, random names."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from mitwirkung.core import uploads
from mitwirkung.core.uploads import UploadRejected, save_image, save_pdf
from mitwirkung.extensions import db

from ..media import VTT, mp4_bytes, webm_bytes
from ..projects import factories as project_factories
from ..votes.factories import make_vote

CAMERA_MAKE = 0x010F
GPS_INFO = 0x8825


@pytest.fixture
def stored(app, app_ctx):
    """Read back a stored upload by name."""
    folder = Path(app.config["UPLOAD_DIR"])
    return lambda name: (folder / name).read_bytes()


def image_with_exif(fmt: str) -> bytes:
    exif = Image.Exif()
    exif[CAMERA_MAKE] = "SpyCam"
    exif[GPS_INFO] = {1: "N", 2: (49.0, 26.0, 37.0)}
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims the given size (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(("fmt", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_real_image_is_reencoded_without_exif(stored, fmt, extension):
    original = image_with_exif(fmt)
    assert Image.open(io.BytesIO(original)).getexif()[CAMERA_MAKE] == "SpyCam"

    name = save_image(io.BytesIO(original))
    data = stored(name)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == fmt
        assert image.size == (64, 48)
        assert not image.getexif()
        assert "exif" not in image.info
    assert name.endswith("." + extension)
    assert b"SpyCam" not in data


def test_large_image_is_scaled_down(stored):
    out = io.BytesIO()
    Image.new("RGB", (4000, 1000), (1, 2, 3)).save(out, format="PNG")
    with Image.open(io.BytesIO(stored(save_image(io.BytesIO(out.getvalue()))))) as image:
        assert max(image.size) == uploads.MAX_IMAGE_EDGE


@pytest.mark.parametrize(
    "payload",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        b"<!doctype html><html><script>alert(1)</script></html>",
        b"just some text, not a picture",
        b"\x89PNG\r\n\x1a\n truncated",
    ],
    ids=["svg", "html", "text", "broken-png"],
)
def test_non_images_are_refused(app_ctx, payload):
    with pytest.raises(UploadRejected):
        save_image(io.BytesIO(payload))


def test_other_image_formats_are_refused(app_ctx):
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="GIF")
    with pytest.raises(UploadRejected):
        save_image(io.BytesIO(out.getvalue()))


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(
    "size", [(100_000, 100_000), (7_000, 7_000)], ids=["bomb", "too-many-pixels"]
)
def test_decompression_bomb_is_refused_before_decoding(app_ctx, size):
    bomb = png_claiming(*size)
    assert len(bomb) < 200
    with pytest.raises(UploadRejected):
        save_image(io.BytesIO(bomb))


def test_oversized_upload_is_refused(app_ctx):
    too_big = b"\x89PNG\r\n\x1a\n" + b"\x00" * uploads.MAX_IMAGE_BYTES
    with pytest.raises(UploadRejected, match="size"):
        save_image(io.BytesIO(too_big))


def test_empty_upload_is_refused(app_ctx):
    with pytest.raises(UploadRejected):
        save_image(io.BytesIO(b""))


def test_stored_name_is_random_and_keeps_nothing_of_the_users_file_name(app_ctx):
    data = image_with_exif("PNG")
    upload = FileStorage(io.BytesIO(data), filename="../../Urlaub Mallorca.png")
    first = save_image(upload)
    second = save_image(io.BytesIO(data))
    assert first != second
    for name in (first, second):
        assert re.fullmatch(r"[A-Za-z0-9_-]{20,}\.png", name)
        assert "Urlaub" not in name and "Mallorca" not in name


def test_a_copy_is_the_same_file_under_a_new_name_of_its_own(stored):
    name = save_image(io.BytesIO(image_with_exif("PNG")))
    copy = uploads.copy(name)
    assert copy != name and re.fullmatch(r"[A-Za-z0-9_-]{20,}\.png", copy)
    assert stored(copy) == stored(name)
    uploads.delete(name)
    assert stored(copy)  # deleting one leaves the other
    assert uploads.copy(name) is None and uploads.copy(None) is None


def test_pdf_is_stored_unchanged_after_its_signature_check(stored):
    pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    name = save_pdf(io.BytesIO(pdf))
    assert name.endswith(".pdf")
    assert stored(name) == pdf


@pytest.mark.parametrize(
    "payload",
    [b"<html><script>alert(1)</script></html>", b"MZ\x90\x00 an exe", b" %PDF-1.4 late signature"],
    ids=["html", "exe", "late-signature"],
)
def test_file_without_pdf_signature_is_refused(app_ctx, payload):
    with pytest.raises(UploadRejected):
        save_pdf(io.BytesIO(payload))


def test_oversized_pdf_is_refused(app_ctx):
    with pytest.raises(UploadRejected, match="size"):
        save_pdf(io.BytesIO(b"%PDF-1.4\n" + b"0" * uploads.MAX_PDF_BYTES))


def test_stored_pdf_is_served_sandboxed(app_ctx, client):
    name = project_factories.document(project_factories.project()).file_name
    response = client.get(f"/uploads/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == "sandbox"


def stored_files(app, status: str, vote_status: str = "published") -> list[str]:
    """The image and document of a project in `status`, and the image of an option of a
    vote of it in `vote_status`. (Made in a context of its own: one app context shared
    with the requests would keep the first request's user for all of them.)"""
    with app.test_request_context():
        return _stored_files(status, vote_status)


def _stored_files(status: str, vote_status: str) -> list[str]:
    project = project_factories.project(status=status, image=save_image(
        io.BytesIO(project_factories.image_bytes())), image_alt="Bild")
    document = project_factories.document(project)
    vote = make_vote(project, status=vote_status)
    option = vote.questions[0].options[0]
    option.image = save_image(io.BytesIO(project_factories.image_bytes()))
    db.session.commit()
    return [project.image, document.file_name, option.image]


def test_files_of_a_draft_are_for_staff_only_and_never_cached(app, clients):
    draft_project = stored_files(app, "draft")
    draft_vote = stored_files(app, "published", vote_status="draft")[2:]
    for name in draft_project + draft_vote:
        for role in ("visitor", "citizen", "moderator"):
            assert clients[role].get(f"/uploads/{name}").status_code == 404, (role, name)
        response = clients["staff"].get(f"/uploads/{name}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"


def test_files_of_public_things_are_cached_publicly(app, clients):
    for name in stored_files(app, "published") + stored_files(app, "archived"):
        response = clients["visitor"].get(f"/uploads/{name}")
        assert response.status_code == 200, name
        assert response.headers["Cache-Control"] == "public, max-age=86400"


def test_a_file_nothing_claims_is_not_served(app, clients):
    with app.app_context():
        orphan = save_image(io.BytesIO(project_factories.image_bytes()))
    assert clients["staff"].get(f"/uploads/{orphan}").status_code == 404


@pytest.mark.parametrize("name", ["../secret_key", "x.html", "x.svg", "noextension"])
def test_only_stored_upload_types_are_served(client, name):
    assert client.get(f"/uploads/{name}").status_code == 404


# Videos and captions (the sign-language video of the Leichte Sprache page) -------------


@pytest.mark.parametrize(("payload", "extension"), [(mp4_bytes(), "mp4"), (webm_bytes(), "webm")],
                         ids=["mp4", "webm"])
def test_a_video_is_stored_unchanged_under_a_random_name(stored, payload, extension):
    upload = FileStorage(io.BytesIO(payload), filename="<script>gebärden.mp4")
    name = uploads.save_video(upload)
    assert re.fullmatch(r"[A-Za-z0-9_-]{20,}\." + extension, name)
    assert stored(name) == payload


@pytest.mark.parametrize(
    "payload",
    [b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
     b"<!doctype html><script>alert(1)</script>",
     b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ",  # QuickTime, not MP4
     b"\x1a\x45\xdf\xa3\x01\x00\x00\x00\x00\x00\x00\x10\x42\x82\x88matroska",  # not webm
     b"%PDF-1.4\n%%EOF\n", b"", b"WEBVTT\n"],
    ids=["svg", "html", "quicktime", "matroska", "pdf", "empty", "captions"],
)
def test_anything_but_mp4_or_webm_is_refused_as_a_video(app, app_ctx, payload):
    before = set(Path(app.config["UPLOAD_DIR"]).glob("*")) if Path(
        app.config["UPLOAD_DIR"]).exists() else set()
    with pytest.raises(UploadRejected):
        uploads.save_video(io.BytesIO(payload))
    assert set(Path(app.config["UPLOAD_DIR"]).glob("*")) - before == set()


def test_an_oversized_video_is_refused_and_nothing_stays_on_disk(app, app_ctx, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_VIDEO_BYTES", 4096)
    monkeypatch.setattr(uploads, "CHUNK", 1024)
    folder = Path(app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    before = set(folder.iterdir())
    with pytest.raises(UploadRejected, match="size"):
        uploads.save_video(io.BytesIO(mp4_bytes(padding=5000)))
    assert set(folder.iterdir()) == before
    assert uploads.save_video(io.BytesIO(mp4_bytes(padding=3000)))


@pytest.mark.parametrize("payload", [VTT, b"\xef\xbb\xbf" + VTT, b"WEBVTT - Gebaerden\r\n\r\n"],
                         ids=["plain", "bom", "header-text"])
def test_webvtt_captions_are_stored(stored, payload):
    name = uploads.save_captions(io.BytesIO(payload))
    assert name.endswith(".vtt")
    assert stored(name).startswith(b"WEBVTT")


@pytest.mark.parametrize(
    "payload",
    [b"1\n00:00:00,000 --> 00:00:02,000\nSRT, not WebVTT\n", b"WEBVTTX\n",
     b"<html><script>alert(1)</script></html>", b"WEBVTT\n\x00\x01binary",
     b"WEBVTT\n\xff\xfe not UTF-8", mp4_bytes(), b""],
    ids=["srt", "wrong-header", "html", "binary", "not-utf8", "video", "empty"],
)
def test_anything_but_webvtt_text_is_refused_as_captions(app_ctx, payload):
    with pytest.raises(UploadRejected):
        uploads.save_captions(io.BytesIO(payload))


def test_oversized_captions_are_refused(app_ctx):
    with pytest.raises(UploadRejected, match="size"):
        uploads.save_captions(io.BytesIO(b"WEBVTT\n\n" + b"a" * uploads.MAX_CAPTIONS_BYTES))
