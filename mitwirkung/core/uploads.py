"""Uploads: images verified and re-encoded, PDFs checked, all stored under random names."""

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


def register_owner(app: Flask, lookup: OwnerLookup) -> None:
    """Let a feature say which stored files are its own and whether they are public."""
    app.extensions.setdefault("upload_owners", []).append(lookup)


def is_public(name: str) -> bool | None:
    """Whether the thing a stored file belongs to is public; None if nothing claims it."""
    for lookup in current_app.extensions.get("upload_owners", []):
        public = lookup(name)
        if public is not None:
            return public
    return None


@bp.route("/uploads/<name>")
def serve(name: str):
    if "." not in name or name.rsplit(".", 1)[1] not in {*IMAGE_FORMATS.values(), "pdf"}:
        abort(404)
    # The file of a draft is for staff only, and no cache may keep it for anyone else.
    public = is_public(name)
    if public is None or (not public and not can(current_user, "manage_projects")):
        abort(404)
    response = send_from_directory(_upload_dir(), name, max_age=86400 if public else None)
    if not public:
        response.headers["Cache-Control"] = "private, no-store"
    if name.endswith(".pdf"):
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


def _store(data: bytes, extension: str) -> str:
    name = f"{secrets.token_urlsafe(16)}.{extension}"
    directory = _upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)
    return name


def _upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])
