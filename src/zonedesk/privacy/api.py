"""API of the privacy notice: what a client that files a public petition shows the petitioner,
and the version it sends back as their consent (`consent_version` of `POST /petitions`)."""

import datetime as dt

from ninja import Router, Schema

from zonedesk.privacy import services

router = Router(tags=["privacy"])


class NoticeOut(Schema):
    version: int
    published_at: dt.datetime
    summary_vi: str
    summary_en: str
    text_vi: str
    text_en: str


@router.get("/privacy/notice", response=NoticeOut, summary="The privacy notice in force")
def notice_current(request):
    """The version in force of the privacy notice, short and full, in Vietnamese and English. A
    client filing a public petition shows the short notice (with a link to `/privacy/`), asks for
    an explicit consent, and sends this `version` as `consent_version`."""
    return services.notice_current()
