"""Seeding shared by data migrations: every rule of `core.rules.DEFAULTS` that has no row yet
gets one (in force from 2000), so the board sees and edits it in the admin."""

import datetime as dt

from zonedesk.core.rules import DEFAULTS


def seed_rules(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, default in DEFAULTS.items():
        if not Rule.objects.filter(key=key).exists():
            Rule.objects.create(
                key=key,
                effective_from=dt.date(2000, 1, 1),
                value=default.value,
                legal_basis=default.legal_basis,
                note=default.description,
            )
