"""Who is told what about a dossier: the enterprise of each step it must know (receipt with the
appointment, a supplement request, an apology, the result, a refusal, a stop), the unit that
holds the dossier when it reaches them. The inbox is the platform's (`cases.notifications`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.cases.notifications import notify_users
from zonedesk.core.models import User

TO_ENTERPRISE = {
    "file": gettext_lazy("Dossier %(code)s was filed: the one-stop desk will check it."),
    "receive": gettext_lazy("Dossier %(code)s was received: the result is appointed for %(due)s."),
    "request_supplement": gettext_lazy("Dossier %(code)s: the board asks you to supplement it."),
    "apologise": gettext_lazy("Dossier %(code)s will be late: the board apologises; new appointment %(due)s."),
    "sign": gettext_lazy("Dossier %(code)s: the result is signed."),
    "return_result": gettext_lazy("Dossier %(code)s: the result is returned; you can download it."),
    "refuse": gettext_lazy("Dossier %(code)s was refused: %(reason)s"),
    "stop": gettext_lazy("Dossier %(code)s: the processing was stopped: %(reason)s"),
}
TO_HOLDER = frozenset({"file", "supplement", "forward", "send_back", "pay", "withdraw"})


def on_event(dossier: Any, action: str, **data: Any) -> None:
    from django.utils import formats, timezone

    due = formats.date_format(timezone.localtime(dossier.due_at), "d/m/Y") if dossier.due_at else ""
    values = {"code": dossier.code, "due": due, "reason": data.get("reason", "")}
    link = dossier.get_absolute_url()
    if action in TO_ENTERPRISE:
        people = User.objects.filter(enterprise_id=dossier.enterprise_id, is_active=True)
        text = str(TO_ENTERPRISE[action]) % values
        notify_users(users=people, subject=text[:255], body=text, link=link)
    if action in TO_HOLDER and dossier.unit_id and dossier.is_open:
        people = User.objects.filter(unit_memberships__unit_id=dossier.unit_id, is_active=True)
        text = _("Dossier %(code)s is waiting for your unit (%(procedure)s).") % {
            "code": dossier.code,
            "procedure": dossier.procedure.name,
        }
        if action == "withdraw":
            text = _("Dossier %(code)s was withdrawn by the enterprise.") % values
        notify_users(users=people, subject=text[:255], body=text, link=link)
