"""Uploads: images verified and re-encoded, PDFs, videos and captions checked by their
content, all stored under random names."""

import io
import secrets
from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, send_from_directory
from flask_login import current_user
from PIL import Image, UnidentifiedImageError

from .permissions import can

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MAX_IMAGE_EDGE = 2400  # larger pictures are scaled down when re-encoded
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PDF_BYTES = 5 * 1024 * 1024
MAX_VIDEO_BYTES = 100 * 1024 * 1024  # a few minutes of sign language in good quality
MAX_CAPTIONS_BYTES = 512 * 1024
# MP4 files start with a box of type `ftyp` naming their brand; these brands are MP4 video
# that browsers play (QuickTime's `qt  ` and 3GP are not among them).
MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash",
              b"M4V ", b"mmp4"}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # WebM is Matroska (EBML) with the doctype "webm"
VIDEO_EXTENSIONS = ("mp4", "webm")
SERVED_EXTENSIONS = {*IMAGE_FORMATS.values(), "pdf", *VIDEO_EXTENSIONS, "vtt"}
CHUNK = 1024 * 1024

bp = Blueprint("uploads", __name__)


class UploadRejected(ValueError):
    """The file is not what it claims to be, or too large."""


def save_image(stream) -> str:
    """Verify an uploaded image, re-encode it without metadata, store it; return its name."""
    data = _read_limited(stream, MAX_IMAGE_BYTES)
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in IMAGE_FORMATS:
            raise UploadRejected("format")
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise UploadRejected("pixels")
            image.load()
            clean = _reencodable(image, kind)
            clean.thumbnail((MAX_IMAGE_EDGE, MAX_IMAGE_EDGE))
            out = io.BytesIO()
            clean.save(out, format=kind, **({"quality": 85} if kind != "PNG" else {}))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise UploadRejected("image") from exc
    return _store(out.getvalue(), IMAGE_FORMATS[kind])


def save_pdf(stream) -> str:
    """Store an uploaded PDF after checking its signature; return its name."""
    data = _read_limited(stream, MAX_PDF_BYTES)
    if not data.startswith(b"%PDF-"):
        raise UploadRejected("pdf")
    return _store(data, "pdf")


def save_video(stream) -> str:
    """Store an uploaded MP4 or WebM video after checking its signature; return its name.
    Written to disk piece by piece: a video is too large to hold in memory."""
    head = stream.read(256)
    extension = video_kind(head)
    if extension is None:
        raise UploadRejected("empty" if not head else "video")
    return _store_stream(head, stream, extension, MAX_VIDEO_BYTES)


def video_kind(head: bytes) -> str | None:
    """'mp4' or 'webm' when the first bytes of a file are those of such a video, else None."""
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return "mp4"
    if head.startswith(EBML_MAGIC) and _ebml_doctype(head) == b"webm":
        return "webm"
    return None


def _ebml_doctype(head: bytes) -> bytes | None:
    """The DocType of an EBML header (Matroska, WebM), read from the file's first bytes."""

    def vint(position: int) -> tuple[int, int]:
        """A variable-length integer at `position`: (value, length in bytes)."""
        first = head[position]
        length = 9 - first.bit_length() if first else 9
        if length > 8 or position + length > len(head):
            raise ValueError("vint")
        value = first & (0xFF >> length)
        for byte in head[position + 1:position + length]:
            value = (value << 8) | byte
        return value, length

    try:
        size, length = vint(4)
        position, end = 4 + length, min(4 + length + size, len(head))
        while position < end:
            _id, id_length = vint(position)  # the id's own bytes, read as they stand
            element_id = head[position:position + id_length]
            size, length = vint(position + id_length)
            body = position + id_length + length
            if element_id == b"\x42\x82":
                return head[body:body + size]
            position = body + size
    except (IndexError, ValueError):
        return None
    return None


def save_captions(stream) -> str:
    """Store an uploaded WebVTT captions file: UTF-8 text starting with WEBVTT, without
    control characters; return its name."""
    data = _read_limited(stream, MAX_CAPTIONS_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadRejected("captions") from exc
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if first_line != "WEBVTT" and not first_line.startswith(("WEBVTT ", "WEBVTT\t")):
        raise UploadRejected("captions")
    if any(ord(ch) < 32 and ch not in "\t\n\r" or ord(ch) == 127 for ch in text):
        raise UploadRejected("captions")
    return _store(text.encode("utf-8"), "vtt")


def copy(name: str | None) -> str | None:
    """Store another copy of a stored file under a new name, and return that name (None if
    there is no such file). A stored file has one owner, who replaces or deletes it and
    decides who may see it: two owners must never share a name."""
    if not name:
        return None
    source = _upload_dir() / Path(name).name
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        return None
    return _store(data, source.suffix.removeprefix("."))


def delete(name: str | None) -> None:
    if name:
        (_upload_dir() / Path(name).name).unlink(missing_ok=True)


# A feature's answer for a stored file name: True (its thing is public), False (staff only)
# or None (not one of its files).
OwnerLookup = Callable[[str], bool | None]
# Who else may see a file that is not public (the author of a pending idea, moderators):
# (name, viewer) -> bool. Staff always may.
ViewerCheck = Callable[[str, object], bool]


def register_owner(app: Flask, lookup: OwnerLookup, viewers: ViewerCheck | None = None) -> None:
    """Let a feature say which stored files are its own and whether they are public, and,
    with `viewers`, who besides staff may see one that is not."""
    app.extensions.setdefault("upload_owners", []).append((lookup, viewers))


def _owner(name: str) -> tuple[bool | None, ViewerCheck | None]:
    for lookup, viewers in current_app.extensions.get("upload_owners", []):
        public = lookup(name)
        if public is not None:
            return public, viewers
    return None, None


def is_public(name: str) -> bool | None:
    """Whether the thing a stored file belongs to is public; None if nothing claims it."""
    return _owner(name)[0]


@bp.route("/uploads/<name>")
def serve(name: str):
    if "." not in name or name.rsplit(".", 1)[1] not in SERVED_EXTENSIONS:
        abort(404)
    # The file of a draft is for staff only (and of a pending contribution for its author
    # and the moderators too), and no cache may keep it for anyone else.
    public, viewers = _owner(name)
    if public is None or (not public and not can(current_user, "manage_projects")
                          and not (viewers and viewers(name, current_user))):
        abort(404)
    # Ranges work (send_file answers them), so a video can be played from any point.
    response = send_from_directory(_upload_dir(), name, max_age=86400 if public else None,
                                   mimetype="text/vtt" if name.endswith(".vtt") else None)
    if not public:
        response.headers["Cache-Control"] = "private, no-store"
    if name.endswith((".pdf", ".vtt")):
        response.headers["Content-Security-Policy"] = "sandbox"
    return response


def _read_limited(stream, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected("size")
    if not data:
        raise UploadRejected("empty")
    return data


def _reencodable(image: Image.Image, kind: str) -> Image.Image:
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        return image.convert("RGB")
    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        return image.convert("RGBA")
    return image.copy()


def _store_stream(head: bytes, stream, extension: str, limit: int) -> str:
    """Store `head` and the rest of `stream` under a random name, at most `limit` bytes; a
    larger file is removed again and refused."""
    name = f"{secrets.token_urlsafe(16)}.{extension}"
    directory = _upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    size = len(head)
    try:
        with open(directory / name, "wb") as target:
            target.write(head)
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UploadRejected("size")
                target.write(chunk)
    except BaseException:
        (directory / name).unlink(missing_ok=True)
        raise
    return name


def _store(data: bytes, extension: str) -> str:
    name = f"{secrets.token_urlsafe(16)}.{extension}"
    directory = _upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)
    return name


def _upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])
