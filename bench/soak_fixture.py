"""The accounts and object lists of bench/soak, from the Hoa Lac demo in the configured database.

Run by bench/soak after `zonedesk demo` (built in demo mode), with the soak's production
environment. The demo's six accounts (one per role and a second enterprise) become ordinary
accounts: out of demo mode, with a random password ($SOAK_PASSWORD) and, for the roles that
must give a code (board, agency, leader, admin), a confirmed authenticator whose key the soak
uses as the app would. All the soak's traffic comes from 127.0.0.1, one address, where a real
park's visitors come from many: the board's rule for public petitions per address is raised
for the soak (a Rule row, as the board would add in the admin); the public API's limit is
raised by bench/soak's environment. Prints what bench/soak.py needs as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zonedesk.settings")
    import django

    django.setup()
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zonedesk.core.models import Role, Rule, User, Zone
    from zonedesk.investment.models import PeriodicReport, Project
    from zonedesk.opendata.datasets import DATASETS
    from zonedesk.petitions.models import Petition
    from zonedesk.planning.ogc import COLLECTIONS

    password = os.environ["SOAK_PASSWORD"]
    accounts = {}
    with transaction.atomic():
        for user in User.objects.filter(username__in=["admin", "bql", "lanhdao", "thue", "fpt", "hanwha"]):
            user.is_demo = False
            user.set_password(password)
            user.save()
            key = ""
            if user.role != Role.ENTERPRISE:
                TOTPDevice.objects.filter(user=user).delete()
                key = TOTPDevice.objects.create(user=user, name="soak", confirmed=True).key
            accounts[user.username] = {"role": user.role, "totp_key": key, "enterprise": user.enterprise_id}
        Rule.objects.update_or_create(
            key="petition.public_throttle",
            effective_from=dt.date(2000, 1, 1),
            defaults={"value": [1_000_000, 3600], "note": "bench/soak: all its visitors share one address"},
        )
    zone = Zone.objects.order_by("pk").first()
    public_projects = list(Project.objects.order_by("code").values_list("code", flat=True)[:40])
    reports = {}
    for username, account in accounts.items():
        if account["enterprise"]:
            reports[username] = [  # each with the version a correction names (issue 21)
                list(row)
                for row in PeriodicReport.objects.filter(project__enterprise_id=account["enterprise"], is_current=True)
                .order_by("-year", "-pk")
                .values_list("pk", "version")[:10]
            ]
    agency_user = User.objects.get(username="thue")
    json.dump(
        {
            "zone": zone.code,
            "accounts": accounts,
            "projects": public_projects,
            "enterprise": next(a["enterprise"] for a in accounts.values() if a["enterprise"]),
            "investor": Project.objects.filter(enterprise_id=accounts["fpt"]["enterprise"])
            .values_list("shares__investor_id", flat=True)
            .first(),
            "reports": reports,
            "agency_petitions": list(
                Petition.objects.filter(lead_agency_id=agency_user.agency_id).values_list("reference", flat=True)[:30]
            ),
            "datasets": sorted(DATASETS),
            "collections": sorted(COLLECTIONS),
            "board_petitions": list(Petition.objects.order_by("-pk").values_list("reference", flat=True)[:30]),
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
