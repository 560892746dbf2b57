"""API of petition attachments: upload (multipart), list, download.

The checks live in `petitions.attachments`; a person who may not read an attachment gets 404,
never 403, so that nobody learns that a confidential file exists.
"""

import datetime as dt

from django.http import FileResponse, Http404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from zonedesk.core.permissions import get_restricted_or_404
from zonedesk.core.schemas import refuse_unknown_form_fields
from zonedesk.petitions import attachments
from zonedesk.petitions.api import ErrorOut
from zonedesk.petitions.models import Attachment, Petition

router = Router(tags=["petitions"])


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    confidential: bool
    uploaded_at: dt.datetime


@router.post(
    "/petitions/{reference}/attachments",
    response={201: AttachmentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=django_auth,
    summary="Attach a file to a petition",
)
def attachment_upload(request, reference: str, file: File[UploadedFile], confidential: Form[bool] = True):
    """PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS or UTF-8 text, checked by its content; at most the size
    of the rule `petition.attachment_max_bytes` and 10 files per petition. Confidential files
    (the default) are never shown to the public, even when the answer is published."""
    refuse_unknown_form_fields(request, ["confidential", "file"])
    petition = get_restricted_or_404(Petition.objects, request.user, reference=reference)
    attachment = attachments.attachment_add(petition=petition, by=request.user, upload=file, confidential=confidential)
    return Status(201, attachment)


@router.get(
    "/petitions/{reference}/attachments",
    response={200: list[AttachmentOut], 404: ErrorOut},
    summary="Attachments of a petition I may read",
)
def attachment_index(request, reference: str):
    """Everything for the people who see the petition; for the public, the non-confidential
    attachments of a published petition."""
    petition = (
        Petition.objects.restrict(request.user).filter(reference=reference).first()
        or Petition.objects.restrict(None, "public").filter(reference=reference).first()
    )
    if petition is None:
        raise Http404
    return list(attachments.attachment_list(petition=petition, user=request.user))


@router.get(
    "/attachments/{attachment_id}",
    response={404: ErrorOut},
    summary="Download an attachment",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, as a download",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def attachment_download(request, attachment_id: int):
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    handle, content_type, name = attachments.attachment_open(attachment=attachment, user=request.user)
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
