"""The one-stop desk's documents as PDF files, made in memory: the signed result of a dossier, and
the unsigned forms of the one-stop desk (Circular 01/2018/TT-VPCP): the receipt and appointment,
the supplement request, the refusal, the apology with its new appointment and the
processing-control slip.

Every document has the layout of a Vietnamese administrative document (Decree 30/2020/NĐ-CP):
the issuer top left with the number, the national heading top right, place and date, the title,
the body and the signer block; A4, the vendored DejaVu Sans (`fonts/`, embedded as a subset) so
the diacritics are right in any reader. The documents are legal forms in Vietnamese: their
labels are Vietnamese text, not translatable strings, whatever the language of the page that asks
for them (lazy labels, such as a form field's, are rendered under Vietnamese). The messages of
`verify` are for a person reading a page: those are translatable.

The result is signed as a PAdES signature (pyHanko) with the board's key, read from the settings
`SIGNING_KEY`, `SIGNING_CERT`, `SIGNING_CHAIN` and `SIGNING_PASSPHRASE` (PEM files). Without them
a DEMO certification authority is made once in `DATA_DIR/signing/demo/` and the board's demo
certificate issued by it; every result signed with it says so on its face. `verify` checks a PDF:
a signature that covers the whole file, unchanged, by a certificate that leads to the board's CA
(the chain's certificates, or the demo CA), and whether the board has a result of that number and
that content on record.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

FONTS = Path(__file__).resolve().parent / "fonts"
MAX_VERIFY_BYTES = 20 * 1024 * 1024  # a result is a few dozen kB: a larger file is not one
DEMO_CA_NAME = "ZoneDesk DEMO CA — not a real authority"
DEMO_BOARD_NAME = "Ban Quản lý các Khu công nghệ cao và Khu công nghiệp TP Hà Nội (DEMO)"
# a certificate's common name has at most 64 bytes (RFC 5280): the full name is its organisation
DEMO_BOARD_CN = "BQL các KCNC và KCN TP Hà Nội (DEMO)"
DEMO_VALID_DAYS = 3653  # ten years
ISSUER_PARENT = "UBND THÀNH PHỐ HÀ NỘI"
ISSUER = "BAN QUẢN LÝ CÁC KHU CÔNG NGHỆ CAO VÀ KHU CÔNG NGHIỆP"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PLACE = "Hà Nội"
TITLES = {
    "certificate": "GIẤY CHỨNG NHẬN ĐĂNG KÝ ĐẦU TƯ",
    "decision": "QUYẾT ĐỊNH",
    "permit": "GIẤY PHÉP",
    "confirmation": "GIẤY XÁC NHẬN",
    "notice": "THÔNG BÁO",
}
VERBS = {  # what the board does by the result: the line before its content
    "certificate": "CHỨNG NHẬN",
    "decision": "QUYẾT ĐỊNH",
    "permit": "CẤP PHÉP",
    "confirmation": "XÁC NHẬN",
    "notice": "THÔNG BÁO",
}
STEP_KINDS = {
    "desk": "Tiếp nhận, chuyển hồ sơ (Bộ phận một cửa)",
    "division": "Thẩm định (phòng chuyên môn)",
    "head": "Xem xét (lãnh đạo phòng)",
    "leader": "Ký duyệt (lãnh đạo Ban)",
}
T = TypeVar("T")


# --- the board's key ----------------------------------------------------------------------------
@dataclass(frozen=True)
class SignerInfo:
    """Who signs the results: the certificate's common name, its organisation, its issuer, until when it is valid, its
    SHA-256 fingerprint, and whether it is the demo CA's."""

    name: str
    organization: str
    issuer: str
    valid_until: dt.datetime
    fingerprint: str
    demo: bool


@dataclass(frozen=True)
class _Identity:
    key_pem: bytes
    cert_pem: bytes
    chain_pem: bytes  # the CA certificates: the chain sent with a signature, the roots of trust
    passphrase: bytes | None
    demo: bool


def _demo_dir() -> Path:
    return Path(settings.DATA_DIR) / "signing" / "demo"


def _make_demo_ca(target: Path) -> None:
    """The demo CA and the board's demo certificate, written into a new folder next to `target`
    and moved into place in one step: two processes that make it at once both succeed, and the
    one that comes second keeps the first one's (its own is thrown away)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = timezone.now().replace(microsecond=0)
    # from a year back: the demo's history has results signed up to a year before today
    start, end = now - dt.timedelta(days=400), now + dt.timedelta(days=DEMO_VALID_DAYS)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ZoneDesk (DEMO)"),
            x509.NameAttribute(NameOID.COMMON_NAME, DEMO_CA_NAME),
        ]
    )
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                    x509.NameAttribute(NameOID.LOCALITY_NAME, "Hà Nội"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_BOARD_NAME),
                    x509.NameAttribute(NameOID.COMMON_NAME, DEMO_BOARD_CN),
                ]
            )
        )
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )

    def pem_key(k: Any) -> bytes:
        return k.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".demo-", dir=target.parent))  # 0700
    try:
        for name, data in (
            ("ca.key.pem", pem_key(ca_key)),
            ("ca.cert.pem", ca_cert.public_bytes(serialization.Encoding.PEM)),
            ("board.key.pem", pem_key(key)),
            ("board.cert.pem", cert.public_bytes(serialization.Encoding.PEM)),
        ):
            path = work / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        try:
            os.rename(work, target)  # atomic; fails when another process put its own there first
        except OSError:
            if not (target / "board.cert.pem").exists():
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def _identity() -> _Identity:
    """The board's key from the settings, or the demo CA's (made the first time it is needed)."""
    key_path, cert_path = settings.SIGNING_KEY, settings.SIGNING_CERT
    if key_path or cert_path:
        if not (key_path and cert_path):
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured("ZONEDESK_SIGNING_KEY and ZONEDESK_SIGNING_CERT go together.")
        cert_pem = Path(cert_path).read_bytes()
        chain_path = settings.SIGNING_CHAIN
        return _Identity(
            key_pem=Path(key_path).read_bytes(),
            cert_pem=cert_pem,
            chain_pem=Path(chain_path).read_bytes() if chain_path else cert_pem,
            passphrase=settings.SIGNING_PASSPHRASE.encode() if settings.SIGNING_PASSPHRASE else None,
            demo=False,
        )
    folder = _demo_dir()
    if not (folder / "board.cert.pem").exists():
        _make_demo_ca(folder)
    return _Identity(
        key_pem=(folder / "board.key.pem").read_bytes(),
        cert_pem=(folder / "board.cert.pem").read_bytes(),
        chain_pem=(folder / "ca.cert.pem").read_bytes(),
        passphrase=None,
        demo=True,
    )


def _certs(pem: bytes) -> list[Any]:
    from pyhanko.keys import load_certs_from_pemder_data

    return list(load_certs_from_pemder_data(pem))


def _name_part(name: Any, *keys: str) -> str:
    native = name.native
    value = next((native[k] for k in keys if native.get(k)), "")
    return str(value[-1] if isinstance(value, list) else value)


def _common_name(name: Any) -> str:
    return _name_part(name, "common_name", "organization_name")


def _full_name(name: Any) -> str:
    """The organisation's name as the certificate spells it out (the common name is short)."""
    return _name_part(name, "organization_name", "common_name")


def signer_info() -> SignerInfo:
    """The certificate that signs the results now, and whether it is the demo CA's."""
    identity = _identity()
    cert = _certs(identity.cert_pem)[0]
    return SignerInfo(
        name=_common_name(cert.subject),
        organization=_full_name(cert.subject),
        issuer=_common_name(cert.issuer),
        valid_until=cert.not_valid_after,
        fingerprint=cert.sha256.hex(),
        demo=identity.demo,
    )


def _signer(identity: _Identity) -> Any:
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    return signers.SimpleSigner(
        signing_cert=_certs(identity.cert_pem)[0],
        signing_key=load_private_key_from_pemder_data(identity.key_pem, passphrase=identity.passphrase),
        cert_registry=SimpleCertificateStore.from_certs(_certs(identity.chain_pem)),
    )


def _outside_event_loop(work: Callable[[], T]) -> T:
    """pyHanko's synchronous calls start an event loop (`asyncio.run`), which fails inside a running
    one (an async view, Playwright's synchronous API): then they run in a thread of their own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


# --- the layout -----------------------------------------------------------------------------------
def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "…"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value:%d/%m/%Y}"


def _moment(value: dt.datetime | None) -> str:
    if value is None:
        return "…"
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def _place_date(day: dt.date) -> str:
    return f"{PLACE}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def _vnd(value: Any) -> str:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,}".replace(",", ".") + " đồng"


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)


def _clean(text: Any) -> str:
    """Text for the page: no control characters (a PDF has no use for them), tabs as spaces."""
    value = str(text or "")
    return "".join(c if c in "\n" or c >= " " else " " for c in value.replace("\t", " ").replace("\r\n", "\n"))


class _Document:
    """An A4 page in the layout of Decree 30/2020/NĐ-CP: margins 30 mm left, 15 mm right, 20 mm
    top and bottom; the issuer and the national heading; the title; the body; the signer."""

    LEFT, RIGHT, TOP = 30.0, 15.0, 20.0
    BODY = 11.0

    def __init__(self, *, title: str, number: str, subject: str = "", demo: bool = False) -> None:
        from fpdf import FPDF

        notice = (
            "BẢN THỬ NGHIỆM (DEMO) — văn bản được ký bằng chứng thư số thử nghiệm do “"
            + DEMO_CA_NAME
            + "” cấp, không có giá trị pháp lý."
        )

        class Page(FPDF):  # type: ignore[misc]
            def header(page) -> None:  # noqa: N805
                if demo:
                    page.set_xy(page.l_margin, 7)
                    page.set_font("DejaVu", "B", 8)
                    page.set_text_color(180, 0, 0)
                    page.multi_cell(0, 3.6, notice, align="C")
                    page.set_text_color(0, 0, 0)
                    page.set_y(page.t_margin)

            def footer(page) -> None:  # noqa: N805
                page.set_y(-13)
                page.set_font("DejaVu", "", 8)
                page.set_text_color(90, 90, 90)
                page.cell(0, 5, f"{number} — trang {page.page_no()}/{{nb}}", align="C")
                page.set_text_color(0, 0, 0)

        pdf = Page(orientation="P", unit="mm", format="A4")
        pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.set_margins(self.LEFT, self.TOP, self.RIGHT)
        pdf.set_auto_page_break(True, margin=20)
        pdf.set_title(title)
        pdf.set_subject(subject or number)
        pdf.set_author(ISSUER_PARENT + " — " + ISSUER)
        pdf.set_creator("ZoneDesk")
        pdf.set_lang("vi-VN")
        pdf.alias_nb_pages()
        pdf.add_page()
        self.pdf = pdf
        self.title = title
        self.number = number

    @property
    def width(self) -> float:
        return float(self.pdf.epw)

    def font(self, size: float | None = None, bold: bool = False) -> None:
        self.pdf.set_font("DejaVu", "B" if bold else "", size or self.BODY)

    def heading(self, day: dt.date, *, issuer_below: str = "") -> None:
        """The issuer and its number top left; the national heading, place and date top right."""
        pdf, top = self.pdf, self.pdf.get_y()
        left_w = 72.0
        right_x, right_w = self.LEFT + left_w, self.width - left_w
        pdf.set_xy(self.LEFT, top)
        self.font(10)
        pdf.multi_cell(left_w, 5, ISSUER_PARENT, align="C")
        pdf.set_x(self.LEFT)
        self.font(10, bold=True)
        pdf.multi_cell(left_w, 5, issuer_below or ISSUER, align="C")
        y = pdf.get_y() + 1
        pdf.line(self.LEFT + left_w / 3, y, self.LEFT + 2 * left_w / 3, y)
        pdf.set_xy(self.LEFT, y + 2)
        self.font(10)
        pdf.multi_cell(left_w, 5, f"Số: {self.number}", align="C")
        left_end = pdf.get_y()

        pdf.set_xy(right_x, top)
        size = 10.5
        self.font(size, bold=True)
        while pdf.get_string_width(NATION) > right_w - 2 and size > 8:
            size -= 0.5
            self.font(size, bold=True)
        pdf.multi_cell(right_w, 5, NATION, align="C")
        pdf.set_x(right_x)
        self.font(11, bold=True)
        pdf.multi_cell(right_w, 5.5, MOTTO, align="C")
        motto_w = pdf.get_string_width(MOTTO)
        y = pdf.get_y() + 0.5
        pdf.line(right_x + (right_w - motto_w) / 2, y, right_x + (right_w + motto_w) / 2, y)
        pdf.set_xy(right_x, y + 3)
        self.font(10.5)
        pdf.multi_cell(right_w, 5, _place_date(day), align="C")
        pdf.set_y(max(left_end, pdf.get_y()) + 8)

    def title_block(self, *lines: str) -> None:
        pdf = self.pdf
        pdf.set_x(self.LEFT)
        self.font(14, bold=True)
        pdf.multi_cell(0, 7, self.title, align="C")
        for line in lines:
            if line:
                pdf.set_x(self.LEFT)
                self.font(11, bold=True)
                pdf.multi_cell(0, 6, line, align="C")
        pdf.ln(5)

    def paragraph(self, text: str, *, bold: bool = False, align: str = "J", size: float | None = None) -> None:
        self.pdf.set_x(self.LEFT)
        self.font(size, bold=bold)
        self.pdf.multi_cell(0, 5.6, _clean(text), align=align)
        self.pdf.ln(1)

    def row(self, label: str, value: Any) -> None:
        """A line "label: value", the label in bold, the value wrapping under the margins."""
        pdf = self.pdf
        pdf.set_x(self.LEFT)
        self.font(bold=True)
        pdf.write(5.6, f"{label}: ")
        self.font()
        pdf.write(5.6, _clean(value) or "…")
        pdf.ln(6.6)

    def table(
        self, headings: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[float], *, size: float = 9
    ) -> None:
        pdf = self.pdf
        pdf.set_x(self.LEFT)
        self.font(size)
        with pdf.table(
            col_widths=tuple(widths),
            align="LEFT",
            text_align="LEFT",
            line_height=4.6,
            padding=1.2,
            width=self.width,
        ) as table:
            head = table.row()
            for text in headings:
                head.cell(text)
            for values in rows:
                line = table.row()
                for value in values:
                    line.cell(_clean(value))
        pdf.ln(4)
        self.font()

    def signatures(self, right: Sequence[tuple[str, bool]], left: Sequence[tuple[str, bool]] = ()) -> None:
        """Two columns at the foot: `left` (the addressees, or a second signer) and `right` (the
        signer), each a list of (text, bold) lines."""
        pdf = self.pdf
        needed = 6 * max(len(left), len(right)) + 20
        if pdf.get_y() + needed > pdf.h - 22:
            pdf.add_page()
        pdf.ln(4)
        top = pdf.get_y()
        half = self.width / 2
        for x, lines, align in ((self.LEFT, left, "L"), (self.LEFT + half, right, "C")):
            pdf.set_xy(x, top)
            for text, bold in lines:
                pdf.set_x(x)
                self.font(10 if align == "L" and not bold else 11, bold=bold)
                if text:
                    pdf.multi_cell(half, 5.5, _clean(text), align=align)
                else:
                    pdf.ln(5.5)

    def box(self, lines: Sequence[str], *, red: bool = False) -> None:
        pdf = self.pdf
        pdf.ln(3)
        pdf.set_x(self.LEFT)
        self.font(9, bold=red)
        if red:
            pdf.set_text_color(180, 0, 0)
            pdf.set_draw_color(180, 0, 0)
        text = "\n".join(_clean(x) for x in lines)
        height = float(pdf.multi_cell(0, 4.8, text, border=1, padding=2, dry_run=True, output="HEIGHT"))  # type: ignore[arg-type]
        if pdf.get_y() + height > pdf.page_break_trigger:  # a box is not cut in two
            pdf.add_page()
            pdf.set_x(self.LEFT)
        pdf.multi_cell(0, 4.8, text, border=1, align="L", padding=2)
        pdf.set_text_color(0, 0, 0)
        pdf.set_draw_color(0, 0, 0)
        self.font()

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


def _render(make: Callable[[], bytes]) -> bytes:
    """The documents are in Vietnamese: lazy labels (form fields, units) come out in Vietnamese."""
    with translation.override("vi"):
        return make()


def _dossier_rows(doc: _Document, dossier: Any) -> None:
    doc.row("Mã hồ sơ", dossier.code)
    enterprise = dossier.enterprise
    doc.row("Tổ chức, doanh nghiệp", enterprise.name)
    doc.row("Mã số doanh nghiệp", enterprise.tax_code)
    if enterprise.address:
        doc.row("Địa chỉ", enterprise.address)
    doc.row("Thủ tục hành chính", dossier.procedure.name_vi)
    if dossier.project_id:
        doc.row("Dự án", f"{dossier.project.code} — {dossier.project.name_vi}")


def _parts_received(dossier: Any) -> list[tuple[int, str, str, str]]:
    from zonedesk.procedures.models import DossierFile

    files: dict[int, list[str]] = {}
    for f in DossierFile.objects.filter(dossier=dossier, current=True).order_by("part__order", "id"):
        files.setdefault(f.part_id, []).append(f.original_name)
    rows = []
    for n, part in enumerate(dossier.procedure_version.parts.order_by("order"), start=1):
        names = files.get(part.pk, [])
        state = "Đã nộp" if names else ("Chưa nộp" if part.required else "Không bắt buộc")
        rows.append((n, part.name_vi, "; ".join(names) or "—", state))
    return rows


# --- the signed result ----------------------------------------------------------------------------
def _result_pdf(result: Any, identity: _Identity) -> bytes:
    from zonedesk.procedures.models import RegistryEffect

    dossier = result.dossier
    procedure, version, project = dossier.procedure, dossier.procedure_version, dossier.project
    title = TITLES.get(result.kind, "QUYẾT ĐỊNH")
    cert = _certs(identity.cert_pem)[0]
    doc = _Document(title=f"{title} số {result.code}", number=result.code, subject=result.code, demo=identity.demo)
    doc.title = title
    doc.heading(result.decision_date)
    doc.title_block(f"Về việc: {procedure.name_vi}")
    for line in (version.legal_basis or "").splitlines():
        line = line.strip().rstrip(";.")
        if line:
            doc.paragraph(line if line.lower().startswith("căn cứ") else f"Căn cứ {line};")
    doc.paragraph(
        f"Xét hồ sơ {dossier.code} do {dossier.enterprise.name} nộp ngày {_day(dossier.filed_at)}"
        + (f", được tiếp nhận ngày {_day(dossier.received_at)}" if dossier.received_at else "")
        + ";"
    )
    doc.paragraph(f"{ISSUER} THÀNH PHỐ HÀ NỘI", bold=True, align="C")
    doc.paragraph(VERBS.get(result.kind, "QUYẾT ĐỊNH") + ":", bold=True, align="C")
    _dossier_rows(doc, dossier)
    form = dossier.form or {}
    if project is not None:
        capital = form.get("registered_capital_vnd")
        if capital is None or procedure.registry_effect != RegistryEffect.AMEND_PROJECT:
            capital = project.registered_capital_vnd
        doc.row("Vốn đầu tư đăng ký", _vnd(capital))
    elif procedure.registry_effect == RegistryEffect.NEW_PROJECT:
        doc.row("Tên dự án", form.get("project_name", ""))
        doc.row("Vốn đầu tư đăng ký", _vnd(form.get("registered_capital_vnd", 0)))
    doc.row("Nội dung", result.summary)
    doc.row("Ngày quyết định", _day(result.decision_date))
    doc.paragraph(
        f"{title.capitalize()} này có hiệu lực kể từ ngày {_day(result.decision_date)}, được lập thành văn bản "
        "điện tử và ký số; bản điện tử có giá trị pháp lý như bản giấy."
    )
    doc.signatures(
        right=[
            ("TM. BAN QUẢN LÝ", True),
            ("(Đã ký số)", False),
            ("", False),
            (result.signer_name, True),
        ],
        left=[
            ("Nơi nhận:", True),
            (f"- {dossier.enterprise.name};", False),
            (f"- Lưu: VT, hồ sơ {dossier.code}.", False),
        ],
    )
    doc.box(
        [
            f"Văn bản điện tử ký số. Số: {result.code}; ngày ký: {_moment(result.signed_at)}.",
            f"Người ký: {result.signer_name}, thay mặt {_full_name(cert.subject)}.",
            f"Chứng thư số: {_common_name(cert.subject)}, do {_common_name(cert.issuer)} cấp.",
            f"Kiểm tra tính xác thực: nhập số {result.code} hoặc tải tệp này lên trang kiểm tra kết quả của Ban.",
        ]
    )
    if identity.demo:
        doc.box(
            [
                "BẢN THỬ NGHIỆM (DEMO): ký bằng chứng thư số thử nghiệm (demo certificate) do “"
                + DEMO_CA_NAME
                + "” cấp, không phải của tổ chức cung cấp dịch vụ chứng thực chữ ký số nào: "
                "văn bản không có giá trị pháp lý."
            ],
            red=True,
        )
    return doc.bytes()


def _sign(data: bytes, identity: _Identity, *, reason: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name="Signature1",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=PLACE,
    )
    signer = _signer(identity)

    def work() -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        out = io.BytesIO()
        signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=out)
        return out.getvalue()

    return _outside_event_loop(work)


def signed_result_pdf(result: Any) -> bytes:
    """The result's PDF, signed with the board's key (PAdES), as bytes."""
    identity = _identity()
    data = _render(lambda: _result_pdf(result, identity))
    return _sign(data, identity, reason=f"Ký kết quả giải quyết hồ sơ {result.dossier.code}: số {result.code}")


def attach_signed_result(result: Any) -> None:
    """Make the result's PDF, sign it with the board's key and store it on the result with its
    SHA-256 (in the caller's transaction; the file is removed when the row cannot be saved)."""
    data = signed_result_pdf(result)
    stored = ""
    try:
        result.file.save("result.pdf", ContentFile(data), save=False)  # its name from upload_to: random
        stored = result.file.name
        result.sha256 = hashlib.sha256(data).hexdigest()
        result.save(update_fields=["file", "sha256"])
    except BaseException:
        if stored:  # as cases.attachments.store: no file left without its row
            result.file.storage.delete(stored)
        raise


# --- verification ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verification:
    """What a check of a PDF found. `signed`: it carries a signature that could be read;
    `intact`: that signature covers the whole file and its digest matches (nothing was changed or
    added after signing); `trusted`: the signer's certificate leads to the board's CA; `signer`:
    the certificate's common name; `signed_at`: the signing time the signature states; `code`: the
    result number the PDF carries; `known`: the board has a result of that number with exactly this
    content; `demo`: signed with the demo CA's certificate; `problem`: what is wrong, for a person
    (empty when nothing is)."""

    signed: bool = False
    intact: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: dt.datetime | None = None
    code: str = ""
    known: bool = False
    demo: bool = False
    problem: str = ""

    @property
    def valid(self) -> bool:
        """Signed by the board and unchanged since."""
        return self.signed and self.intact and self.trusted and not self.problem


def _read_code(reader: Any) -> str:
    try:
        info = reader.trailer_view.get("/Info")
        value = info.get_object().get("/Subject") if info is not None else None
        return str(value or "").strip()[:60]
    except Exception:  # noqa: BLE001 - a damaged information dictionary just has no number
        return ""


def verify(data: bytes) -> Verification:
    """Check a PDF: signed, unchanged since, by the board; never raises, whatever the bytes."""
    if not isinstance(data, bytes | bytearray | memoryview):
        return Verification(problem=_("This is not a PDF file."))
    data = bytes(data[: MAX_VERIFY_BYTES + 1])
    if not data:
        return Verification(problem=_("The file is empty."))
    if len(data) > MAX_VERIFY_BYTES:
        return Verification(
            problem=_("The file is larger than %(mb)s MB: it is not a result of the board.")
            % {"mb": MAX_VERIFY_BYTES // (1024 * 1024)}
        )
    if b"%PDF-" not in data[:1024]:
        return Verification(problem=_("This is not a PDF file."))
    identity = _identity()
    try:
        found = _outside_event_loop(lambda: _check(data, _certs(identity.chain_pem)))
    except Exception:  # noqa: BLE001 - a file built to break the reader is a file that cannot be read
        found = _Found(problem="unreadable")
    # in this thread: the caller's language and its database connection (and transaction)
    known = False
    if found.code and found.intact:
        from zonedesk.procedures.models import Result

        known = Result.objects.filter(code=found.code, sha256=hashlib.sha256(data).hexdigest()).exists()
    problems = {
        "": "",
        "unreadable": _("This PDF cannot be read: it is damaged or incomplete."),
        "unsigned": _("This PDF carries no digital signature."),
        "bad_signature": _("The signature of this PDF cannot be read."),
        "changed": _("The document was changed after it was signed: its content no longer matches the signature."),
        "added": _("Something was added to the document after it was signed: it is not the document the board signed."),
        "untrusted": _(
            "The document was not signed by the board: its certificate is not issued by the board's authority."
        ),
    }
    return Verification(
        signed=found.signed,
        intact=found.intact,
        trusted=found.trusted,
        signer=found.signer,
        signed_at=found.signed_at,
        code=found.code,
        known=known,
        demo=found.trusted and identity.demo,
        problem=problems[found.problem],
    )


@dataclass(frozen=True)
class _Found:
    signed: bool = False
    intact: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: dt.datetime | None = None
    code: str = ""
    problem: str = ""  # a key of `verify`'s messages


def _check(data: bytes, roots: list[Any]) -> _Found:
    """What pyHanko's validator says of the last signature of the PDF, against the board's roots."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_regular_signatures)
    except Exception:  # noqa: BLE001
        return _Found(problem="unreadable")
    code = _read_code(reader)
    if not signatures:
        return _Found(code=code, problem="unsigned")
    embedded = max(signatures, key=lambda s: s.signed_revision)  # the last one signed
    # offline: no fetching of certificates or revocation lists (a closed network), no OS roots
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(embedded, context, skip_diff=True)
    except Exception:  # noqa: BLE001
        return _Found(code=code, problem="bad_signature")
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    unchanged = bool(status.intact and status.valid)
    trusted = bool(status.trusted)
    problem = ""
    if not unchanged:
        problem = "changed"
    elif not whole:  # an incremental update appended after the signature
        problem = "added"
    elif not trusted:
        problem = "untrusted"
    return _Found(
        signed=True,
        intact=unchanged and whole,
        trusted=trusted,
        signer=_common_name(status.signing_cert.subject) if status.signing_cert is not None else "",
        signed_at=status.signer_reported_dt,
        code=code,
        problem=problem,
    )


def verify_code(code: str) -> Verification | None:
    """The stored result of that number, verified; None when there is no such result."""
    from zonedesk.procedures.models import Result

    result = Result.objects.filter(code=(code or "").strip()).first()
    if result is None:
        return None
    if not result.file:
        return Verification(code=result.code, problem=_("The result's signed file is missing."))
    try:
        with result.file.open("rb") as f:
            data = f.read(MAX_VERIFY_BYTES + 1)
    except OSError:
        return Verification(code=result.code, problem=_("The result's signed file is missing."))
    return verify(data)


# --- the one-stop desk's forms (Circular 01/2018/TT-VPCP), unsigned --------------------------------
def receipt_pdf(dossier: Any) -> bytes:
    """The receipt and appointment (form 01): what was received, when, and when the result is due."""

    def make() -> bytes:
        doc = _Document(title="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", number=f"{dossier.code}/TNHS")
        doc.heading(timezone.localdate(dossier.received_at or dossier.filed_at))
        doc.title_block(f"Mã hồ sơ: {dossier.code}")
        doc.paragraph("Bộ phận Một cửa của Ban Quản lý tiếp nhận hồ sơ của:")
        _dossier_rows(doc, dossier)
        doc.row("Hình thức nộp", "Trực tuyến" if dossier.channel == "online" else "Trực tiếp tại Bộ phận Một cửa")
        doc.paragraph("Thành phần hồ sơ đã nhận:", bold=True)
        doc.table(
            ("STT", "Thành phần hồ sơ", "Tệp đã nộp", "Tình trạng"),
            _parts_received(dossier),
            (10, 75, 55, 25),
        )
        doc.row("Thời gian nhận hồ sơ", _moment(dossier.received_at or dossier.filed_at))
        doc.row("Thời gian trả kết quả giải quyết hồ sơ (ngày hẹn)", _moment(dossier.due_at))
        version = dossier.procedure_version
        doc.row("Thời hạn giải quyết", f"{version.processing_time} {_time_kind(version.time_kind)}")
        doc.row("Nhận kết quả tại", "Bộ phận Một cửa của Ban Quản lý hoặc trên ZoneDesk (trực tuyến)")
        doc.signatures(
            left=[("NGƯỜI NỘP HỒ SƠ", True), ("(Ký và ghi rõ họ tên)", False)],
            right=[("NGƯỜI TIẾP NHẬN HỒ SƠ", True), ("(Ký và ghi rõ họ tên)", False), ("", False)]
            + [(_receiver(dossier), True)],
        )
        return doc.bytes()

    return _render(make)


def _time_kind(kind: str) -> str:
    return {"working_days": "ngày làm việc", "calendar_days": "ngày", "working_hours": "giờ làm việc"}.get(kind, kind)


def _receiver(dossier: Any) -> str:
    step = dossier.steps.filter(kind="desk", ended_at__isnull=False).select_related("holder").first()
    return _person(step.holder) if step is not None else ""


def supplement_pdf(request: Any) -> bytes:
    """The request to complete the dossier (form 02): every item with its reason, the deadline."""
    from zonedesk.procedures import fields

    def make() -> bytes:
        dossier = request.dossier
        doc = _Document(title="PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", number=f"{dossier.code}/BS{request.number}")
        doc.heading(timezone.localdate(request.requested_at))
        doc.title_block(f"Mã hồ sơ: {dossier.code} — lần {request.number}")
        _dossier_rows(doc, dossier)
        doc.row("Ngày nộp hồ sơ", _day(dossier.filed_at))
        doc.paragraph(
            "Sau khi xem xét, hồ sơ chưa đầy đủ, hợp lệ. Đề nghị tổ chức, doanh nghiệp bổ sung, hoàn thiện "
            "một lần đầy đủ các nội dung sau:",
        )
        rows = []
        for n, item in enumerate(request.items.select_related("part").order_by("id"), start=1):
            if item.part_id:
                what = item.part.name_vi
            else:
                known = fields.FIELDS.get(item.field)
                what = f"Tờ khai — {known.label if known else item.field}"
            rows.append((n, what, item.reason))
        doc.table(("STT", "Nội dung cần bổ sung, hoàn thiện", "Lý do"), rows, (10, 70, 85))
        if request.why_new_items:
            doc.row("Lý do yêu cầu nội dung chưa nêu ở lần trước", request.why_new_items)
        if request.note:
            doc.row("Ghi chú", request.note)
        doc.row("Hạn bổ sung", _day(request.answer_due))
        doc.paragraph(
            "Thời gian tổ chức, doanh nghiệp bổ sung hồ sơ không tính vào thời hạn giải quyết. "
            "Mọi vướng mắc xin liên hệ Bộ phận Một cửa của Ban Quản lý."
        )
        doc.signatures(
            right=[("NGƯỜI HƯỚNG DẪN", True), ("", False), ("", False), (_person(request.requested_by), True)]
        )
        return doc.bytes()

    return _render(make)


def apology_pdf(apology: Any) -> bytes:
    """The letter of apology and new appointment (form 04): the reason, the old and new dates."""

    def make() -> bytes:
        dossier = apology.dossier
        doc = _Document(title="PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", number=f"{dossier.code}/XL{apology.number}")
        doc.heading(timezone.localdate(apology.issued_at))
        doc.title_block(f"Mã hồ sơ: {dossier.code}")
        doc.paragraph(f"Kính gửi: {dossier.enterprise.name}", bold=True, align="C")
        doc.paragraph(
            f"Ngày {_day(dossier.received_at)}, Ban Quản lý tiếp nhận hồ sơ {dossier.code} "
            f"({dossier.procedure.name_vi}), hẹn trả kết quả vào {_moment(apology.old_due_at)}."
        )
        doc.paragraph("Đến nay, Ban Quản lý chưa giải quyết xong hồ sơ đúng hạn.")
        doc.row("Lý do", apology.reason)
        doc.paragraph(
            "Ban Quản lý xin lỗi tổ chức, doanh nghiệp vì sự chậm trễ này và hẹn lại thời gian trả kết quả "
            f"vào {_moment(apology.new_due_at)}."
        )
        doc.row("Ngày hẹn trước", _moment(apology.old_due_at))
        doc.row("Ngày hẹn mới", _moment(apology.new_due_at))
        doc.paragraph("Mong nhận được sự thông cảm của tổ chức, doanh nghiệp.")
        doc.signatures(right=[("TM. BAN QUẢN LÝ", True), ("", False), ("", False), (_person(apology.signed_by), True)])
        return doc.bytes()

    return _render(make)


def refusal_pdf(dossier: Any) -> bytes:
    """The refusal (form 03 before receipt; a notice after it), with its reason, never empty."""

    def make() -> bytes:
        before = dossier.received_at is None
        title = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" if before else "THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ"
        doc = _Document(title=title, number=f"{dossier.code}/TC")
        doc.heading(timezone.localdate(dossier.closed_at or timezone.now()))
        doc.title_block(f"Mã hồ sơ: {dossier.code}")
        doc.paragraph(f"Kính gửi: {dossier.enterprise.name}", bold=True, align="C")
        _dossier_rows(doc, dossier)
        doc.row("Ngày nộp hồ sơ", _day(dossier.filed_at))
        if not before:
            doc.row("Ngày tiếp nhận", _day(dossier.received_at))
        doc.paragraph(
            "Ban Quản lý từ chối " + ("tiếp nhận " if before else "") + "giải quyết hồ sơ nêu trên vì lý do sau:"
        )
        doc.paragraph(dossier.closing_reason or "…", bold=True)
        doc.paragraph("Xin thông báo để tổ chức, doanh nghiệp biết và thực hiện.")
        closer = dossier.steps.filter(outcome="refuse").select_related("holder").order_by("-started_at").first()
        doc.signatures(
            right=[
                ("NGƯỜI TIẾP NHẬN HỒ SƠ" if before else "TM. BAN QUẢN LÝ", True),
                ("", False),
                ("", False),
                (_person(closer.holder) if closer else "", True),
            ]
        )
        return doc.bytes()

    return _render(make)


def _step_state(step: Any) -> str:
    if step.ended_at is None:
        late = timezone.now() > step.due_at
        return "Đang xử lý (đã quá hạn)" if late else "Đang xử lý"
    return "Đúng hạn" if step.ended_at <= step.due_at else "Quá hạn"


def slip_pdf(dossier: Any) -> bytes:
    """The processing-control slip (form 05): one row per step, who held the dossier, from when to
    when, against which deadline, on time or late."""

    def make() -> bytes:
        doc = _Document(title="PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", number=f"{dossier.code}/KS")
        doc.heading(timezone.localdate())
        doc.title_block(f"Mã hồ sơ: {dossier.code}")
        _dossier_rows(doc, dossier)
        doc.row("Thời gian nhận hồ sơ", _moment(dossier.received_at))
        doc.row("Thời gian trả kết quả (ngày hẹn)", _moment(dossier.due_at))
        rows = []
        for step in dossier.steps.select_related("unit", "holder").order_by("started_at", "id"):
            rows.append(
                (
                    step.order,
                    STEP_KINDS.get(step.kind, step.kind),
                    step.unit.name_vi,
                    _person(step.holder),
                    _short(step.started_at),
                    _short(step.ended_at),
                    _short(step.due_at),
                    _step_state(step),
                )
            )
        doc.table(
            ("TT", "Nội dung", "Đơn vị", "Người xử lý", "Từ", "Đến", "Hạn", "Kết quả"),
            rows,
            (8, 28, 25, 23, 19, 19, 19, 24),
            size=8,
        )
        doc.paragraph(
            "Kết quả: Đúng hạn — bước hoàn thành trước hoặc đúng hạn của bước; Quá hạn — hoàn thành sau hạn; "
            "Đang xử lý — bước chưa kết thúc.",
            size=9,
        )
        return doc.bytes()

    return _render(make)


def _short(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return f"{local:%H:%M}\n{local:%d/%m/%Y}"


__all__ = [
    "MAX_VERIFY_BYTES",
    "SignerInfo",
    "Verification",
    "apology_pdf",
    "attach_signed_result",
    "receipt_pdf",
    "refusal_pdf",
    "signed_result_pdf",
    "signer_info",
    "slip_pdf",
    "supplement_pdf",
    "verify",
    "verify_code",
]
