"""The small dataset of scripts/cluster, written through the services into the configured database.

One zone, one enterprise with its investor and project, a board officer and a user of the
enterprise (password from $CLUSTER_PASSWORD). Prints what scripts/cluster_check.py needs as JSON.
Run by scripts/cluster with the cluster's environment; quicker than the Hoa Lac demo (~1 s).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys


def valid_tax_code(body: str) -> str:
    from stdnum.vn import mst

    return next(body + d for d in "0123456789" if mst.is_valid(body + d))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zonedesk.settings")
    import django

    django.setup()
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zonedesk.core.models import Role, User, Zone
    from zonedesk.investment import services

    password = os.environ["CLUSTER_PASSWORD"]
    with transaction.atomic():
        zone = Zone.objects.create(
            code="HHTP",
            kind=Zone.Kind.HITECH,
            name_vi="Khu Công nghệ cao Hòa Lạc",
            name_en="Hoa Lac Hi-Tech Park",
            province="Hà Nội",
            area_ha=1586,
            leasable_area_ha=600,
        )
        investor = services.investor_create(name="Công ty Cổ phần Đầu tư Cụm Thử", tax_code=valid_tax_code("010000001"))
        enterprise = services.enterprise_create(
            name="Công ty TNHH Cụm Thử", tax_code=valid_tax_code("010000002"), zone=zone, investors=[investor]
        )
        services.project_register(
            code="CLUSTER-0001",
            name_vi="Trung tâm R&D Cụm Thử",
            enterprise=enterprise,
            sector="software",
            shares=[(investor, 100_000_000_000)],
            registered_capital_vnd=100_000_000_000,
            land_area_m2=20_000,
            certificate_date=dt.date(2020, 3, 1),
        )
        users = {}
        for username, role, extra in (
            ("cluster-board", Role.BOARD, {}),
            ("cluster-enterprise", Role.ENTERPRISE, {"enterprise": enterprise}),
        ):
            user = User(username=username, role=role, email=f"{username}@cluster.invalid", **extra)
            user.set_password(password)
            user.save()
            users[role] = username
        # the board officer logs in with a code too (core/twofactor.py): its authenticator's key
        device = TOTPDevice.objects.create(user=User.objects.get(username=users[Role.BOARD]), confirmed=True)
    json.dump(
        {
            "zone": zone.code,
            "enterprise": enterprise.pk,
            "investor": investor.pk,
            "board_user": users[Role.BOARD],
            "board_totp_key": device.key,
            "enterprise_user": users[Role.ENTERPRISE],
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
