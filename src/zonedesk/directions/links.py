"""What a task can act on, by kind: each kind names how to find its target (a code or an id) and
how to show it (a label and a link). Directions knows petitions, roadmaps and milestones, dossiers,
policy actions and prospects; another app registers its own kind in its AppConfig.ready with
`register_kind`.

A target is looked up as the viewer may see it (`user`: the records' own access rules): a task's
lead unit does not learn the title of another enterprise's petition or a prospect's company from a
link; the system's own check (`user=None`, when a task is written) finds any target."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class LinkKind:
    label: Any
    resolve: Callable[..., tuple[str, str] | None]  # (target, user) -> (label, url), None when not found or not seen


KINDS: dict[str, LinkKind] = {}


def register_kind(kind: str, label: Any, resolve: Callable[..., tuple[str, str] | None]) -> None:
    """Let tasks link to `kind` (replaces an earlier registration of the same kind)."""
    KINDS[kind] = LinkKind(label, resolve)


def resolve(kind: str, target: str, user: Any = None) -> tuple[str, str] | None:
    found = KINDS.get(kind)
    return None if found is None else found.resolve(target, user)


def _seen(queryset: Any, user: Any) -> Any:
    """The records the viewer may see (all of them for the system's own check)."""
    return queryset if user is None else queryset.restrict(user)


def _petition(target: str, user: Any = None):
    from zonedesk.petitions.models import Petition

    p = _seen(Petition.objects.all(), user).filter(reference=target).first()
    return None if p is None else (f"{p.reference}: {p.title}", reverse("petition_detail", args=[p.reference]))


def _pk(target: str) -> int | None:
    from zonedesk.core.numbers import whole

    return whole(target, max_digits=12)


def _roadmap(target: str, user: Any = None):
    from zonedesk.roadmaps.models import Roadmap

    r = _seen(Roadmap.objects.all(), user).filter(pk=_pk(target)).first() if _pk(target) else None
    return None if r is None else (r.title_vi, reverse("roadmap_detail", args=[r.pk]))


def _milestone(target: str, user: Any = None):
    from zonedesk.roadmaps.models import Milestone, Roadmap

    m = Milestone.objects.filter(pk=_pk(target)).first() if _pk(target) else None
    if m is not None and user is not None and not Roadmap.objects.restrict(user).filter(pk=m.roadmap_id).exists():
        return None
    return None if m is None else (m.title, reverse("roadmap_detail", args=[m.roadmap_id]))


def _dossier(target: str, user: Any = None):
    from zonedesk.procedures.models import Dossier

    d = _seen(Dossier.objects.all(), user).filter(code=target).first()
    return None if d is None else (d.code, d.get_absolute_url())


def _policy_action(target: str, user: Any = None):
    from zonedesk.petitions.models import PolicyAction

    a = PolicyAction.objects.filter(pk=_pk(target)).first() if _pk(target) else None
    return None if a is None else (a.title, "")


def _prospect(target: str, user: Any = None):
    from zonedesk.promotion.models import Prospect

    p = _seen(Prospect.objects.all(), user).filter(pk=_pk(target)).first() if _pk(target) else None
    return None if p is None else (p.company, reverse("prospect_detail", args=[p.pk]))


def register_defaults() -> None:
    register_kind("petition", _("Petition"), _petition)
    register_kind("roadmap", _("Roadmap"), _roadmap)
    register_kind("milestone", _("Milestone"), _milestone)
    register_kind("dossier", _("Dossier"), _dossier)
    register_kind("policy_action", _("Policy action"), _policy_action)
    register_kind("prospect", _("Prospect"), _prospect)


__all__ = ["KINDS", "LinkKind", "register_defaults", "register_kind", "resolve"]
