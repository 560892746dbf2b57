"""What a returned result changes in the registry, in the transaction that returns it: a new
project with its certificate, an amendment of the certificate (capital as of the decision date,
objectives, term), a schedule extended, a project terminated. Nobody types the certificate twice:
the values are the dossier's form as the board received and processed it, and the amendment names
the dossier it came from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from zonedesk.core.counters import counter_next
from zonedesk.core.rules import rule_value
from zonedesk.procedures.models import Dossier, RegistryEffect


def _vnd(value: int) -> str:
    return f"{number_format(value, force_grouping=True)} VND"


def summary(dossier: Dossier) -> str:
    """The result in one paragraph, from the dossier and the registry (it heads the result's PDF)."""
    form, project, effect = dossier.form, dossier.project, dossier.procedure.registry_effect
    parts = [str(dossier.procedure.name_vi)]
    if project is not None:
        parts.append(_("Project %(code)s: %(name)s.") % {"code": project.code, "name": project.name_vi})
    if effect == RegistryEffect.AMEND_PROJECT and project is not None:
        if "registered_capital_vnd" in form and form["registered_capital_vnd"] != project.registered_capital_vnd:
            parts.append(
                _("Registered capital adjusted from %(old)s to %(new)s.")
                % {"old": _vnd(project.registered_capital_vnd), "new": _vnd(form["registered_capital_vnd"])}
            )
        if form.get("objectives") and form["objectives"] != project.objectives:
            parts.append(_("Objectives and scale: %(text)s") % {"text": form["objectives"]})
        if form.get("term_years") and form["term_years"] != project.term_years:
            parts.append(_("Term: %(n)s years.") % {"n": form["term_years"]})
    elif effect == RegistryEffect.NEW_PROJECT:
        parts.append(
            _("Project %(name)s, registered capital %(capital)s.")
            % {"name": form.get("project_name", ""), "capital": _vnd(int(form.get("registered_capital_vnd", 0)))}
        )
    elif effect == RegistryEffect.EXTEND_SCHEDULE:
        parts.append(_("Schedule extended to %(day)s.") % {"day": form.get("new_deadline", "")})
    elif effect == RegistryEffect.TERMINATE_PROJECT:
        parts.append(_("The project's operation is terminated: %(reason)s") % {"reason": form.get("reason", "")})
    elif form.get("expert_name"):
        parts.append(
            _("For %(name)s (%(nationality)s).")
            % {"name": form["expert_name"], "nationality": form.get("expert_nationality", "")}
        )
    return " ".join(p for p in parts if p)


def apply(dossier: Dossier, *, by: Any, at: dt.datetime) -> Any:
    """Change the registry as the result says (in the caller's transaction); what was written."""
    from zonedesk.investment import services as registry
    from zonedesk.investment.models import Project, ProjectStatus

    effect = dossier.procedure.registry_effect
    result = getattr(dossier, "result", None)
    day = result.decision_date if result is not None else timezone.localdate(at)
    reference, url = dossier.code, reverse("dossier_detail", args=[dossier.code])
    form = dossier.form
    # the result's own words (written in Vietnamese when it was signed), whoever returns it
    text = result.summary if result is not None else summary(dossier)
    if effect == RegistryEffect.AMEND_PROJECT:
        project = Project.objects.get(pk=dossier.project_id)
        new_capital = form.get("registered_capital_vnd", project.registered_capital_vnd)
        change_usd = 0
        if project.is_foreign_invested and form.get("registered_capital_usd") is not None:
            change_usd = int(form["registered_capital_usd"]) - (project.registered_capital_usd or 0)
        return registry.project_amend(
            project=project,
            date=day,
            summary=text,
            capital_change_vnd=int(new_capital) - project.registered_capital_vnd,
            capital_change_usd=change_usd,
            objectives=form.get("objectives"),
            term_years=form.get("term_years"),
            reference=reference,
            reference_url=url,
            by=by,
            today=max(day, timezone.localdate(at)),
        )
    if effect == RegistryEffect.EXTEND_SCHEDULE:
        project = Project.objects.get(pk=dossier.project_id)
        return registry.schedule_extend(
            project=project,
            until=dt.date.fromisoformat(form["new_deadline"]),
            date=day,
            summary=text,
            reference=reference,
            reference_url=url,
            by=by,
        )
    if effect == RegistryEffect.TERMINATE_PROJECT:
        project = Project.objects.get(pk=dossier.project_id)
        return registry.project_change_status(
            project=project,
            to_status=ProjectStatus.TERMINATED,
            reason=_("Terminated by %(code)s: %(reason)s") % {"code": reference, "reason": form.get("reason", "")},
            effective_date=day,
            by=by,
        )
    if effect == RegistryEffect.NEW_PROJECT:
        enterprise = dossier.enterprise
        investors = list(enterprise.investors.all())
        capital = int(form.get("registered_capital_vnd", 0))
        shares = []
        if investors:
            each = capital // len(investors)
            shares = [
                (inv, each + (capital - each * len(investors) if i == 0 else 0)) for i, inv in enumerate(investors)
            ]
        prefix = rule_value("procedures.project_code_prefix", on=day)
        code = f"{prefix}{day:%Y}{counter_next(key=f'project-code:{prefix}{day:%Y}'):05d}"
        return registry.project_register(
            code=code,
            name_vi=form.get("project_name", ""),
            enterprise=enterprise,
            zone=dossier.zone,
            sector=form.get("sector", "other"),
            shares=shares,
            registered_capital_vnd=capital,
            registered_capital_usd=form.get("registered_capital_usd"),
            certificate_date=day,
            objectives=form.get("objectives", ""),
            term_years=form.get("term_years"),
            land_area_m2=form.get("land_area_m2", 0),
            by=by,
        )
    return None


__all__ = ["apply", "summary"]
