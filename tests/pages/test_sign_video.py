"""The sign-language video of the Leichte Sprache page: uploaded by admins as MP4 or WebM with
WebVTT captions, checked by their bytes, served by us, shown with <video> and <track>."""

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from mitwirkung.core.models import AuditEntry
from mitwirkung.extensions import db
from mitwirkung.pages.models import SiteSettings

from ..conftest import signed_in_client
from ..media import VTT, mp4_bytes, webm_bytes

URL = "/admin/sign-language-video"
PAGE = "/pages/leichte-sprache"


@pytest.fixture
def admin_client(app, admin):
    return signed_in_client(app, admin)


def stored() -> SiteSettings | None:
    return db.session.get(SiteSettings, 1, populate_existing=True)


def post(client, video=None, captions=None, **fields):
    data = dict(fields)
    if video is not None:
        data["video"] = (io.BytesIO(video[0]), video[1])
    if captions is not None:
        data["captions"] = (io.BytesIO(captions[0]), captions[1])
    return client.post(URL, data=data, content_type="multipart/form-data")


def test_without_a_video_the_page_simply_shows_none(client):
    html = client.get(PAGE).get_data(as_text=True)
    assert "<video" not in html and "Gebärdensprache" not in html.split("<main", 1)[1]


@pytest.mark.parametrize(("video", "kind"), [(mp4_bytes(), "mp4"), (webm_bytes(), "webm")],
                         ids=["mp4", "webm"])
def test_an_uploaded_video_plays_on_the_page_with_german_captions(admin_client, admin, client,
                                                                  video, kind):
    response = post(admin_client, (video, "gebaerden." + kind), (VTT, "untertitel.vtt"))
    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE)
    row = stored()
    assert row.sign_video.endswith("." + kind) and row.sign_captions.endswith(".vtt")
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "settings.edit"))
    assert entry.actor_id == admin.id and entry.details["changed"] == ["sign_captions",
                                                                       "sign_video"]

    html = client.get(PAGE).get_data(as_text=True)
    assert '<video controls preload="metadata"' in html
    assert f'<source src="/uploads/{row.sign_video}" type="video/{kind}">' in html
    assert re.search(r'<track kind="captions" srclang="de" label="Deutsch" '
                     rf'src="/uploads/{row.sign_captions}" default>', html)
    assert 'id="sign-language"' in html
    assert f'href="{PAGE}#sign-language"' in html  # header and footer point to it

    served = client.get(f"/uploads/{row.sign_video}")
    assert served.status_code == 200 and served.mimetype == f"video/{kind}"
    assert served.get_data() == video
    captions = client.get(f"/uploads/{row.sign_captions}")
    assert captions.mimetype == "text/vtt" and captions.get_data() == VTT
    assert captions.headers["Content-Security-Policy"] == "sandbox"
    assert captions.headers["X-Content-Type-Options"] == "nosniff"


def test_a_video_can_be_played_from_any_point(admin_client, client):
    post(admin_client, (mp4_bytes(padding=2000), "v.mp4"), (VTT, "u.vtt"))
    response = client.get(f"/uploads/{stored().sign_video}", headers={"Range": "bytes=100-199"})
    assert response.status_code == 206 and len(response.get_data()) == 100


def test_a_video_needs_its_captions(admin_client):
    response = post(admin_client, (mp4_bytes(), "v.mp4"))
    assert response.status_code == 200 and stored() is None
    assert "Bitte fügen Sie die Untertitel zum Video hinzu" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("video", "captions", "message"),
    [((b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "v.mp4"),
      (VTT, "u.vtt"), "kein MP4- oder WebM-Video"),
     ((b"<!doctype html><script>alert(1)</script>", "v.webm"), (VTT, "u.vtt"),
      "kein MP4- oder WebM-Video"),
     ((mp4_bytes(), "v.mp4"), (b"<html><script>alert(1)</script></html>", "u.vtt"),
      "keine WebVTT-Untertiteldatei"),
     ((mp4_bytes(), "v.mp4"), (b"1\n00:00:00,000 --> 00:00:01,000\nSRT\n", "u.srt"),
      "keine WebVTT-Untertiteldatei")],
    ids=["svg-video", "html-video", "html-captions", "srt-captions"],
)
def test_files_that_are_not_what_they_claim_are_refused(app, admin_client, video, captions,
                                                        message):
    folder = Path(app.config["UPLOAD_DIR"])
    before = set(folder.glob("*")) if folder.exists() else set()
    response = post(admin_client, video, captions)
    assert response.status_code == 200 and stored() is None
    assert message in response.get_data(as_text=True)
    assert (set(folder.glob("*")) if folder.exists() else set()) == before


def test_empty_file_fields_are_no_files(admin_client):
    response = post(admin_client, (b"", ""), (b"", ""))
    assert response.status_code == 200 and stored() is None
    assert "Bitte wählen Sie ein Video" in response.get_data(as_text=True)


def test_captions_alone_replace_those_of_the_video_and_removal_deletes_both(app, admin_client,
                                                                           client):
    assert "noch kein Video" in post(admin_client, captions=(VTT, "u.vtt")).get_data(
        as_text=True)
    post(admin_client, (webm_bytes(), "v.webm"), (VTT, "u.vtt"))
    video, old_captions = stored().sign_video, stored().sign_captions
    newer = VTT.replace(b"Willkommen", b"Hallo")
    assert post(admin_client, captions=(newer, "neu.vtt")).status_code == 302
    assert stored().sign_video == video and stored().sign_captions != old_captions
    folder = Path(app.config["UPLOAD_DIR"])
    assert not (folder / old_captions).exists()
    assert (folder / stored().sign_captions).read_bytes() == newer

    captions = stored().sign_captions
    assert post(admin_client, remove="y").status_code == 302
    assert stored().sign_video is None and stored().sign_captions is None
    assert not (folder / video).exists() and not (folder / captions).exists()
    assert "<video" not in client.get(PAGE).get_data(as_text=True)
    assert client.get(f"/uploads/{video}").status_code == 404


def test_an_admin_may_upload_a_video_larger_than_other_requests_but_nobody_else(app, clients):
    big = mp4_bytes(padding=7 * 1024 * 1024)
    assert len(big) > app.config["MAX_CONTENT_LENGTH"]
    response = post(clients["admin"], (big, "v.mp4"), (VTT, "u.vtt"))
    assert response.status_code == 302 and stored() is not None
    for role in ("visitor", "citizen", "staff", "moderator"):
        assert post(clients[role], (big, "v.mp4"), (VTT, "u.vtt")).status_code == 413, role
