"""Tiny media files built in the tests: an MP4 and a WebM whose containers are well formed
(box and element sizes add up), and WebVTT captions. No encoder needed."""

import struct


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def mp4_bytes(padding: int = 0) -> bytes:
    """An ISO base media file: `ftyp` (brand isom), an empty movie header and a media data
    box, optionally `padding` bytes long."""
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41")
    mvhd = _box(b"mvhd", bytes(4) + struct.pack(">IIII", 0, 0, 1000, 0)
                + struct.pack(">IH", 0x00010000, 0x0100) + bytes(10)
                + struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
                + bytes(24) + struct.pack(">I", 2))
    return ftyp + _box(b"moov", mvhd) + _box(b"mdat", bytes(padding))


def _ebml(element_id: bytes, body: bytes) -> bytes:
    # Sizes as 8-byte EBML variable-length integers: 0x01 then 7 bytes.
    return element_id + b"\x01" + len(body).to_bytes(7, "big") + body


def webm_bytes() -> bytes:
    """An EBML header of doctype `webm` and an empty segment with its info."""
    header = _ebml(b"\x1a\x45\xdf\xa3",
                   _ebml(b"\x42\x86", b"\x01") + _ebml(b"\x42\xf7", b"\x01")
                   + _ebml(b"\x42\xf2", b"\x04") + _ebml(b"\x42\xf3", b"\x08")
                   + _ebml(b"\x42\x82", b"webm") + _ebml(b"\x42\x87", b"\x04")
                   + _ebml(b"\x42\x85", b"\x02"))
    info = _ebml(b"\x15\x49\xa9\x66", _ebml(b"\x2a\xd7\xb1", (1_000_000).to_bytes(3, "big")))
    return header + _ebml(b"\x18\x53\x80\x67", info)


VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nWillkommen bei MitWirkung – Gebärden.\n".encode()
