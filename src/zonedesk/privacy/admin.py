from django.contrib import admin

from zonedesk.core.admin import ReadOnlyAdmin
from zonedesk.privacy.models import PrivacyNotice


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(ReadOnlyAdmin):
    """The versions, read only: a new version is published from the board's page
    (/privacy/publish/), never edited, since consents point at the version they were given to."""

    list_display = ("version", "published_at", "published_by")
