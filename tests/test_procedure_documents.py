"""The one-stop desk's documents (procedures/documents.py): the result PDF signed with the board's
key (PAdES), checked as a reader would check it (pyHanko's validator), its Vietnamese text read
back (pypdf), tampered, cut, replaced and signed by someone else; the demo CA and a configured
key; the unsigned forms of the desk."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import threading
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connections
from django.utils import timezone, translation

from zonedesk.procedures import documents
from zonedesk.procedures.models import (
    Apology,
    Dossier,
    DossierFile,
    DossierPart,
    DossierStep,
    Procedure,
    ProcedureVersion,
    RegistryEffect,
    Result,
    ResultKind,
    Status,
    SupplementItem,
    SupplementRequest,
    TimeKind,
    Unit,
    VersionStep,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The page that asks is in English: the problems read in English, the documents stay Vietnamese."""
    with translation.override("en"):
        yield


TZ = timezone.get_fixed_timezone(7 * 60)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=TZ)


def text_of(data: bytes) -> str:
    """The text of a PDF as a reader extracts it (pypdf: fpdf2 writes each font's ToUnicode map)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def signing(settings, tmp_path):
    """A data folder of the test's own (the demo CA is made in it), no configured key."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.SIGNING_KEY = settings.SIGNING_CERT = settings.SIGNING_CHAIN = settings.SIGNING_PASSPHRASE = ""
    return settings.DATA_DIR


@pytest.fixture
def units(db):
    desk = Unit.objects.create(code="MC", kind=Unit.Kind.DESK, name_vi="Bộ phận Một cửa", name_en="One-stop desk")
    division = Unit.objects.create(
        code="QLDT", kind=Unit.Kind.DIVISION, name_vi="Phòng Quản lý đầu tư", name_en="Investment division"
    )
    leadership = Unit.objects.create(
        code="LD", kind=Unit.Kind.LEADERSHIP, name_vi="Lãnh đạo Ban", name_en="Board leadership"
    )
    return desk, division, leadership


@pytest.fixture
def procedure(units):
    desk, division, leadership = units
    procedure = Procedure.objects.create(
        code="DT-03",
        name_vi="Điều chỉnh Giấy chứng nhận đăng ký đầu tư",
        name_en="Adjusting an investment registration certificate",
        field_vi="Đầu tư",
        result_kind=ResultKind.CERTIFICATE,
        registry_effect=RegistryEffect.AMEND_PROJECT,
        needs_project=True,
    )
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        effective_from=dt.date(2025, 7, 1),
        legal_basis="Luật Đầu tư số 61/2020/QH14\nNghị định số 31/2021/NĐ-CP",
        processing_time=10,
        time_kind=TimeKind.WORKING_DAYS,
        form_fields=["registered_capital_vnd", "objectives"],
    )
    for order, kind, unit, time in (
        (1, "desk", desk, 1),
        (2, "division", division, 6),
        (3, "head", division, 1),
        (4, "leader", leadership, 2),
    ):
        VersionStep.objects.create(version=version, order=order, kind=kind, unit=unit, time=time)
    DossierPart.objects.create(version=version, order=1, name_vi="Văn bản đề nghị điều chỉnh dự án đầu tư")
    DossierPart.objects.create(version=version, order=2, name_vi="Báo cáo tình hình triển khai dự án")
    return procedure


@pytest.fixture
def dossier(procedure, project, board_user, leader_user, media):
    version = procedure.versions.get()
    desk, division, leadership = (
        Unit.objects.get(code="MC"),
        Unit.objects.get(code="QLDT"),
        Unit.objects.get(code="LD"),
    )
    board_user.first_name, board_user.last_name = "Nguyễn Thị Lan", ""
    board_user.save()
    dossier = Dossier.objects.create(
        code="BQLHN-261102-0007",
        procedure=procedure,
        procedure_version=version,
        enterprise=project.enterprise,
        project=project,
        zone=project.zone,
        status=Status.PROCESSED,
        form={"registered_capital_vnd": 150_000_000_000, "objectives": "Nghiên cứu và phát triển phần mềm"},
        filed_at=at(2),
        received_at=at(3),
        due_at=at(17, 17),
        original_due_at=at(17, 17),
        processed_at=at(12, 15),
        step=4,
        unit=desk,
    )
    for order, kind, unit, start, end, due in (
        (1, "desk", desk, at(2), at(3), at(3, 17)),
        (2, "division", division, at(3), at(11, 10), at(10, 17)),  # late
        (3, "head", division, at(11, 10), at(11, 16), at(12, 17)),
        (4, "leader", leadership, at(11, 16), None, at(16, 17)),  # open
    ):
        DossierStep.objects.create(
            dossier=dossier,
            order=order,
            kind=kind,
            unit=unit,
            holder=board_user if end else None,
            started_at=start,
            ended_at=end,
            due_at=due,
            outcome="done" if end else "",
        )
    for part in version.parts.all():
        row = DossierFile(
            dossier=dossier,
            part=part,
            original_name=f"phần-{part.order}-đề-nghị.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            uploaded_at=at(2),
        )
        row.file.save("x.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        row.save()
    return dossier


@pytest.fixture
def result(dossier, leader_user, signing):
    return Result.objects.create(
        dossier=dossier,
        code=f"{dossier.code}/KQ",
        kind=ResultKind.CERTIFICATE,
        decision_date=dt.date(2026, 11, 12),
        summary="Điều chỉnh vốn đầu tư đăng ký từ 100.000.000.000 đồng lên 150.000.000.000 đồng.",
        signed_at=at(12, 15),
        signed_by=leader_user,
        signer_name="Phạm Văn Đức",
    )


def signed_bytes(result: Result) -> bytes:
    result.refresh_from_db()
    with result.file.open("rb") as f:
        return f.read()


def validate(data: bytes, roots):
    """pyHanko's own validator, the way a PDF reader checks the signature."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data))
    (embedded,) = reader.embedded_signatures
    return embedded, validate_pdf_signature(embedded, ValidationContext(trust_roots=roots))


def demo_ca(data_dir: Path):
    from pyhanko.keys import load_cert_from_pemder

    return load_cert_from_pemder(str(data_dir / "signing" / "demo" / "ca.cert.pem"))


# --- the signed result ----------------------------------------------------------------------------
def test_the_signed_result_validates_as_intact_trusted_and_signed_by_the_board(result, signing):
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    documents.attach_signed_result(result)
    data = signed_bytes(result)
    assert data.startswith(b"%PDF-")
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.file.name.endswith(".pdf")

    embedded, status = validate(data, [demo_ca(signing)])
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == documents.DEMO_BOARD_CN
    assert status.signing_cert.subject.native["organization_name"] == documents.DEMO_BOARD_NAME
    assert embedded.field_name == "Signature1"
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert embedded.sig_object["/Location"] == "Hà Nội"


def test_a_result_that_cannot_be_saved_leaves_no_file(result, media):
    from django.db import DatabaseError

    from tests.conftest import stored_files

    before = stored_files(media)
    Result.objects.filter(pk=result.pk).delete()  # gone meanwhile: the update writes no row
    with pytest.raises(DatabaseError):
        documents.attach_signed_result(result)
    assert stored_files(media) == before


def test_the_result_reads_in_vietnamese_with_its_facts(result):
    documents.attach_signed_result(result)
    text = flat(text_of(signed_bytes(result)))
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND THÀNH PHỐ HÀ NỘI",
        "BAN QUẢN LÝ CÁC KHU CÔNG NGHỆ CAO VÀ KHU CÔNG NGHIỆP",
        "GIẤY CHỨNG NHẬN ĐĂNG KÝ ĐẦU TƯ",
        "Số: BQLHN-261102-0007/KQ",
        "Hà Nội, ngày 12 tháng 11 năm 2026",
        "BQLHN-261102-0007",
        result.dossier.enterprise.name,
        result.dossier.project.code,
        "Trung tâm R&D Hòa Lạc",
        "150.000.000.000 đồng",
        "Điều chỉnh Giấy chứng nhận đăng ký đầu tư",
        "Căn cứ Luật Đầu tư số 61/2020/QH14",
        "Phạm Văn Đức",
        "Điều chỉnh vốn đầu tư đăng ký từ 100.000.000.000 đồng",
    ):
        assert words in text, words
    # signed with the demo CA: the page says so
    assert "BẢN THỬ NGHIỆM (DEMO)" in text
    assert "demo certificate" in text


def test_the_result_number_is_in_the_pdf_metadata(result):
    from pypdf import PdfReader

    documents.attach_signed_result(result)
    meta = PdfReader(io.BytesIO(signed_bytes(result))).metadata
    assert meta.subject == "BQLHN-261102-0007/KQ"
    assert "GIẤY CHỨNG NHẬN ĐĂNG KÝ ĐẦU TƯ" in meta.title


def test_each_kind_of_result_has_its_title(result):
    for kind, title in (
        (ResultKind.DECISION, "QUYẾT ĐỊNH"),
        (ResultKind.PERMIT, "GIẤY PHÉP"),
        (ResultKind.CONFIRMATION, "GIẤY XÁC NHẬN"),
        (ResultKind.NOTICE, "THÔNG BÁO"),
    ):
        result.kind = kind
        text = flat(text_of(documents.signed_result_pdf(result)))
        assert title in text, kind
        assert "GIẤY CHỨNG NHẬN ĐĂNG KÝ ĐẦU TƯ" not in text


def test_verify_accepts_the_result_and_knows_it(result):
    documents.attach_signed_result(result)
    found = documents.verify(signed_bytes(result))
    assert found.valid and found.signed and found.intact and found.trusted
    assert found.problem == ""
    assert found.signer == documents.DEMO_BOARD_CN
    assert found.code == result.code and found.known
    assert found.demo
    assert found.signed_at is not None and abs(found.signed_at - timezone.now()) < dt.timedelta(minutes=5)


def test_a_byte_changed_inside_the_signed_range_shows_as_changed(result):
    documents.attach_signed_result(result)
    data = bytearray(signed_bytes(result))
    # a byte of the first page's content stream: the file still reads, its digest no longer matches
    start = data.index(b"stream", data.index(b"/Contents")) + 20
    data[start] ^= 0x01
    found = documents.verify(bytes(data))
    assert found.signed and not found.intact and not found.valid and not found.known
    assert "changed after it was signed" in found.problem


def test_an_update_appended_after_signing_shows_as_changed(result):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    documents.attach_signed_result(result)
    data = signed_bytes(result)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    info = writer.trailer["/Info"].get_object()
    info["/Title"] = generic.pdf_string("GIẤY CHỨNG NHẬN giả mạo")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    changed = out.getvalue()
    assert changed.startswith(data)  # an incremental update: the signed bytes are all still there

    found = documents.verify(changed)
    assert found.signed and found.trusted  # the board's signature, of an earlier revision
    assert not found.intact and not found.valid and not found.known
    assert "added to the document after it was signed" in found.problem


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "The file is empty."),
        (bytes(range(256)) * 40, "This is not a PDF file."),
        (b"%PDF-1.7\n" + b"\x00garbage" * 500, "This PDF cannot be read"),
        ("not bytes", "This is not a PDF file."),
    ],
)
def test_garbage_gets_a_clear_problem_and_no_exception(signing, data, problem):
    found = documents.verify(data)
    assert not found.valid and not found.signed
    assert found.problem.startswith(problem)


def test_a_truncated_or_huge_file_gets_a_clear_problem(result):
    documents.attach_signed_result(result)
    data = signed_bytes(result)
    cut = documents.verify(data[: len(data) // 2])
    assert not cut.valid and cut.problem
    huge = documents.verify(data + b"\n%" + b"x" * documents.MAX_VERIFY_BYTES)
    assert not huge.valid and "larger than 20 MB" in huge.problem


def test_a_problem_reads_in_vietnamese_on_a_vietnamese_page(signing):
    with translation.override("vi"):
        assert documents.verify(b"").problem == "Tệp rỗng."
        assert documents.verify(b"hello").problem == "Tệp này không phải là tệp PDF."


def test_an_unsigned_pdf_has_no_signature(dossier, signing):
    found = documents.verify(documents.receipt_pdf(dossier))
    assert not found.signed and not found.valid
    assert found.problem == "This PDF carries no digital signature."
    assert found.code == "BQLHN-261102-0007/TNHS"


def make_ca(tmp_path: Path, name: str, *, passphrase: bytes | None = None) -> dict[str, Path]:
    """A CA and a certificate it issues, of the test's own, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    def usage(**given):
        names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment")
        names += ("key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
        return x509.KeyUsage(**{n: given.get(n, False) for n in names})

    now = timezone.now()
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage(key_cert_sign=True, crl_sign=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(usage(digital_signature=True, content_commitment=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    folder = tmp_path / name.replace(" ", "_")
    folder.mkdir()
    paths = {"key": folder / "key.pem", "cert": folder / "cert.pem", "chain": folder / "chain.pem"}
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    paths["key"].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["chain"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return paths


def test_a_pdf_signed_with_another_key_is_not_the_boards(result, settings, tmp_path):
    # the result signed with someone's own key and CA: it validates, but not as the board's
    documents.attach_signed_result(result)  # makes the board's demo CA
    other = make_ca(tmp_path, "Cong ty Gia Mao")
    settings.SIGNING_KEY, settings.SIGNING_CERT = str(other["key"]), str(other["cert"])
    settings.SIGNING_CHAIN = str(other["chain"])
    forged = documents.signed_result_pdf(result)
    settings.SIGNING_KEY = settings.SIGNING_CERT = settings.SIGNING_CHAIN = ""  # the board's demo CA again

    found = documents.verify(forged)
    assert found.signed and found.intact  # nothing changed after that signature ...
    assert not found.trusted and not found.valid and not found.demo  # ... but it is not the board's
    assert found.signer == "Cong ty Gia Mao"
    assert "not signed by the board" in found.problem
    assert not found.known


def test_verify_code_checks_the_stored_file(result):
    documents.attach_signed_result(result)
    found = documents.verify_code(result.code)
    assert found is not None and found.valid and found.known and found.code == result.code
    assert documents.verify_code("BQLHN-000000-0000/KQ") is None
    assert documents.verify_code("") is None


def test_a_result_replaced_by_another_signed_pdf_is_not_known(result):
    """The board's own signature on other content (the same number) is no result on record."""
    documents.attach_signed_result(result)
    result.summary = "Một nội dung khác"
    other = documents.signed_result_pdf(result)
    found = documents.verify(other)
    assert found.valid and found.code == result.code
    assert not found.known


def test_text_the_font_lacks_and_very_long_text_still_make_a_signed_result(result):
    result.summary = "Nội dung 😀 中文 Кириллица \x00\x07\ttab " + "A" * 600 + " " + "Điều chỉnh vốn. " * 400
    result.signer_name = "Nguyễn Văn " + "B" * 300
    data = documents.signed_result_pdf(result)
    found = documents.verify(data)
    assert found.valid
    text = flat(text_of(data))
    assert "trang 1/" in text and "trang 2/" in text  # over several pages, numbered
    assert "Điều chỉnh vốn. Điều chỉnh vốn." in text


@pytest.mark.django_db(transaction=True)  # the coroutine has a database connection of its own
def test_signing_and_checking_work_inside_a_running_event_loop(result):
    """pyHanko starts an event loop of its own: inside a running one (an async view, Playwright's
    synchronous API in a browser test) it must not fail."""

    async def inside():
        try:
            documents.attach_signed_result(result)
            return documents.verify(signed_bytes(result))
        finally:
            connections.close_all()  # the coroutine's own connection: the test database is dropped after

    found = asyncio.run(inside())
    assert found.valid and found.known


# --- the key --------------------------------------------------------------------------------------
def test_the_demo_ca_is_made_once_and_reused(signing):
    first = documents.signer_info()
    assert first.demo and first.name == documents.DEMO_BOARD_CN and first.organization == documents.DEMO_BOARD_NAME
    assert first.issuer == documents.DEMO_CA_NAME
    assert first.valid_until > timezone.now() + dt.timedelta(days=9 * 365)
    second = documents.signer_info()
    assert second.fingerprint == first.fingerprint
    # a process that made its own at the same moment keeps the one already in place
    documents._make_demo_ca(signing / "signing" / "demo")
    assert documents.signer_info().fingerprint == first.fingerprint


def test_two_processes_making_the_demo_ca_at_once_agree(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.SIGNING_KEY = settings.SIGNING_CERT = ""
    target = tmp_path / "signing" / "demo"
    barrier = threading.Barrier(4)
    errors = []

    def make():
        try:
            barrier.wait()
            documents._make_demo_ca(target)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=make) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(p.name for p in target.iterdir()) == ["board.cert.pem", "board.key.pem", "ca.cert.pem", "ca.key.pem"]
    assert [p.name for p in (tmp_path / "signing").iterdir()] == ["demo"]  # no half-made folder left
    assert oct((target / "board.key.pem").stat().st_mode & 0o777) == "0o600"


def test_a_configured_key_is_used_instead_of_the_demo_ca(result, settings, tmp_path):
    board = make_ca(tmp_path, "Ban Quan ly Khu CNC Ha Noi", passphrase=b"mat-khau")
    settings.SIGNING_KEY, settings.SIGNING_CERT = str(board["key"]), str(board["cert"])
    settings.SIGNING_CHAIN, settings.SIGNING_PASSPHRASE = str(board["chain"]), "mat-khau"

    info = documents.signer_info()
    assert not info.demo and info.name == "Ban Quan ly Khu CNC Ha Noi"
    documents.attach_signed_result(result)
    data = signed_bytes(result)
    assert not (settings.DATA_DIR / "signing").exists()  # no demo CA made

    from pyhanko.keys import load_cert_from_pemder

    _, status = validate(data, [load_cert_from_pemder(str(board["chain"]))])
    assert status.intact and status.valid and status.trusted
    found = documents.verify(data)
    assert found.valid and found.known and not found.demo
    assert found.signer == "Ban Quan ly Khu CNC Ha Noi"
    assert "DEMO" not in text_of(data)


# --- the forms ------------------------------------------------------------------------------------
def test_the_receipt(dossier, signing):
    data = documents.receipt_pdf(dossier)
    assert data.startswith(b"%PDF-")
    text = flat(text_of(data))
    for words in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BQLHN-261102-0007",
        dossier.enterprise.name,
        "Điều chỉnh Giấy chứng nhận đăng ký đầu tư",
        "Văn bản đề nghị điều chỉnh dự án đầu tư",
        "phần-1-đề-nghị.pdf",
        "09 giờ 00 phút, ngày 03/11/2026",  # received
        "17 giờ 00 phút, ngày 17/11/2026",  # the appointment
        "10 ngày làm việc",
    ):
        assert words in text, words


def test_the_supplement_request_lists_every_item_with_its_reason(dossier, board_user, signing):
    request = SupplementRequest.objects.create(
        dossier=dossier, number=1, requested_at=at(4), requested_by=board_user, answer_due=dt.date(2026, 11, 19)
    )
    part = dossier.procedure_version.parts.get(order=2)
    SupplementItem.objects.create(request=request, part=part, reason="Thiếu số liệu giải ngân quý III")
    SupplementItem.objects.create(request=request, field="objectives", reason="Mục tiêu chưa nêu quy mô")
    text = flat(text_of(documents.supplement_pdf(request)))
    for words in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "BQLHN-261102-0007",
        "Báo cáo tình hình triển khai dự án",
        "Thiếu số liệu giải ngân quý III",
        "Mục tiêu và quy mô",  # the form field's label, in Vietnamese
        "Mục tiêu chưa nêu quy mô",
        "Hạn bổ sung: 19/11/2026",
        "Nguyễn Thị Lan",
    ):
        assert words in text, words


def test_the_apology(dossier, leader_user, signing):
    apology = Apology.objects.create(
        dossier=dossier,
        number=1,
        issued_at=at(16),
        signed_by=leader_user,
        reason="Cần lấy ý kiến Sở Tài chính về vốn",
        old_due_at=at(17, 17),
        new_due_at=at(24, 17),
    )
    text = flat(text_of(documents.apology_pdf(apology)))
    for words in (
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "BQLHN-261102-0007",
        "Cần lấy ý kiến Sở Tài chính về vốn",
        "17 giờ 00 phút, ngày 17/11/2026",
        "17 giờ 00 phút, ngày 24/11/2026",
        "xin lỗi",
    ):
        assert words in text, words


def test_the_refusal_carries_its_reason(dossier, signing):
    dossier.status, dossier.closed_at = Status.REFUSED, at(5)
    dossier.closing_reason = "Dự án không thuộc ngành, nghề được ưu đãi trong khu công nghệ cao"
    dossier.save()
    text = flat(text_of(documents.refusal_pdf(dossier)))
    assert "THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ" in text
    assert "BQLHN-261102-0007" in text
    assert "Dự án không thuộc ngành, nghề được ưu đãi trong khu công nghệ cao" in text
    dossier.received_at = None  # refused at the desk, before receipt: form 03
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in flat(text_of(documents.refusal_pdf(dossier)))


def test_the_control_slip_has_a_row_per_step_on_time_or_late(dossier, signing):
    text = flat(text_of(documents.slip_pdf(dossier)))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "BQLHN-261102-0007" in text
    for words in ("Bộ phận Một cửa", "Phòng Quản lý đầu tư", "Lãnh đạo Ban", "Nguyễn Thị Lan"):
        assert words in text, words
    assert text.count("Đúng hạn") >= 2 + 1  # two steps on time, and the legend
    assert text.count("Quá hạn") >= 1 + 1  # the division's step was late
    assert "Đang xử lý" in text  # the leader's step is open
