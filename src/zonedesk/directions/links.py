"""What a task can act on, by kind: each kind names how to find its target (a code or an id) and
how to show it (a label and a link). Directions knows petitions, roadmaps and milestones, dossiers
and policy actions; an app above or beside it that directions must not import (promotion's
prospects) registers its own kind in its AppConfig.ready with `register_kind`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class LinkKind:
    label: Any
    resolve: Callable[[str], tuple[str, str] | None]  # target -> (label, url), None when not found


KINDS: dict[str, LinkKind] = {}


def register_kind(kind: str, label: Any, resolve: Callable[[str], tuple[str, str] | None]) -> None:
    """Let tasks link to `kind` (replaces an earlier registration of the same kind)."""
    KINDS[kind] = LinkKind(label, resolve)


def resolve(kind: str, target: str) -> tuple[str, str] | None:
    found = KINDS.get(kind)
    return None if found is None else found.resolve(target)


def _petition(target: str):
    from zonedesk.petitions.models import Petition

    p = Petition.objects.filter(reference=target).first()
    return None if p is None else (f"{p.reference}: {p.title}", reverse("petition_detail", args=[p.reference]))


def _pk(target: str) -> int | None:
    from zonedesk.core.numbers import whole

    return whole(target, max_digits=12)


def _roadmap(target: str):
    from zonedesk.roadmaps.models import Roadmap

    r = Roadmap.objects.filter(pk=_pk(target)).first() if _pk(target) else None
    return None if r is None else (r.title_vi, reverse("roadmap_detail", args=[r.pk]))


def _milestone(target: str):
    from zonedesk.roadmaps.models import Milestone

    m = Milestone.objects.filter(pk=_pk(target)).first() if _pk(target) else None
    return None if m is None else (m.title, reverse("roadmap_detail", args=[m.roadmap_id]))


def _dossier(target: str):
    from zonedesk.procedures.models import Dossier

    d = Dossier.objects.filter(code=target).first()
    return None if d is None else (d.code, d.get_absolute_url())


def _policy_action(target: str):
    from zonedesk.petitions.models import PolicyAction

    a = PolicyAction.objects.filter(pk=_pk(target)).first() if _pk(target) else None
    return None if a is None else (a.title, "")


def register_defaults() -> None:
    register_kind("petition", _("Petition"), _petition)
    register_kind("roadmap", _("Roadmap"), _roadmap)
    register_kind("milestone", _("Milestone"), _milestone)
    register_kind("dossier", _("Dossier"), _dossier)
    register_kind("policy_action", _("Policy action"), _policy_action)


__all__ = ["KINDS", "LinkKind", "register_defaults", "register_kind", "resolve"]
