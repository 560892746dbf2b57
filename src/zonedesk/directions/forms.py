"""The forms of the follow-up pages: issuing a direction with its tasks, a progress report, the
board's acceptance or return."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.directions.models import DirectionKind

MAX_ROWS = 20


def lead_choices() -> list[tuple[Any, Any]]:
    """The units that may lead or support a task, grouped: agencies and communes, the board's
    units, enterprises (keys "agency:ID", "unit:ID", "enterprise:ID")."""
    from zonedesk.core.models import Agency
    from zonedesk.investment.models import Enterprise
    from zonedesk.procedures.models import Unit

    return [
        ("", "—"),
        (_("Agencies and communes"), [(f"agency:{a.pk}", str(a.name)) for a in Agency.objects.order_by("code")]),
        (_("Units of the board"), [(f"unit:{u.pk}", str(u.name)) for u in Unit.objects.order_by("code")]),
        (
            _("Enterprises"),
            [
                (f"enterprise:{e.pk}", e.name)
                for e in Enterprise.objects.filter(is_synthetic=False).order_by("name")[:500]
            ],
        ),
    ]


class DirectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DirectionKind.choices)
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    date = forms.DateField(label=_("Date issued"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=500)
    title_en = forms.CharField(label=_("Title (English)"), max_length=500, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    document = forms.FileField(label=_("Document (PDF)"), required=False)
    published = forms.BooleanField(
        label=_("Publish it with its tasks (conference conclusions are published anyway)"), required=False
    )

    def __init__(self, *args: Any, rows: int = 3, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = lead_choices()
        self.rows = max(1, min(rows, MAX_ROWS))
        for i in range(1, self.rows + 1):
            self.fields[f"task_{i}_content"] = forms.CharField(
                label=_("Content"), widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
            self.fields[f"task_{i}_lead"] = forms.ChoiceField(label=_("Lead unit"), choices=choices, required=False)
            self.fields[f"task_{i}_deadline"] = forms.DateField(
                label=_("Deadline (empty: regular)"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            self.fields[f"task_{i}_support"] = forms.MultipleChoiceField(
                label=_("Supporting units"), choices=choices[1:3], required=False
            )
            self.fields[f"task_{i}_monitor"] = forms.MultipleChoiceField(
                label=_("Monitoring units"), choices=choices[1:3], required=False
            )
            self.fields[f"task_{i}_links"] = forms.CharField(
                label=_("Acts on"),
                max_length=1000,
                required=False,
                help_text=_(
                    "References, separated by commas: petitions (PAKN-…), prospects (XT-…), dossiers "
                    "(their code), or roadmap:ID, milestone:ID, policy_action:ID."
                ),
            )
        self.links: dict[int, list[tuple[str, str]]] = {}

    def task_rows(self) -> list[list[Any]]:
        return [
            [self[f"task_{i}_{name}"] for name in ("content", "lead", "deadline", "support", "monitor", "links")]
            for i in range(1, self.rows + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cd = super().clean()
        for i in range(1, self.rows + 1):
            found, unknown = parse_links(cd.get(f"task_{i}_links") or "")
            if unknown:
                self.add_error(f"task_{i}_links", _("Not found: %(refs)s.") % {"refs": ", ".join(unknown[:5])})
            self.links[i] = found
        return cd

    def tasks(self) -> list[dict[str, Any]]:
        cd = self.cleaned_data
        rows = []
        for i in range(1, self.rows + 1):
            content = cd.get(f"task_{i}_content") or ""
            if not content.strip() and not cd.get(f"task_{i}_lead") and not self.links.get(i):
                continue  # a blank row (one with links only is a task without content: said on its row)
            rows.append(
                {
                    "content": content,
                    "lead": cd.get(f"task_{i}_lead") or None,
                    "deadline": cd.get(f"task_{i}_deadline"),
                    "support": cd.get(f"task_{i}_support") or [],
                    "monitor": cd.get(f"task_{i}_monitor") or [],
                    "links": self.links.get(i, []),
                    "row": i,  # the service names its errors by the form's row, blank rows left out
                }
            )
        return rows


PETITION_REF = re.compile(r"PAKN-\d{4}-\d+", re.IGNORECASE)
PROSPECT_CODE = re.compile(r"XT-\d{4}-\d+", re.IGNORECASE)


def parse_links(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The (kind, target) pairs a task acts on, from references typed by the board's officer: a
    petition's reference, a prospect's code, a dossier's code, or "kind:id" for the kinds known
    only by their id (roadmaps, milestones, policy actions); and the references not found."""
    from zonedesk.directions import links

    found: list[tuple[str, str]] = []
    unknown: list[str] = []
    text = re.sub(r"\s*:\s*", ":", text)  # "roadmap : 12" is "roadmap:12"
    for token in (t.strip() for t in re.split(r"[,;\s]+", text) if t.strip()):
        pair: tuple[str, str] | None = None
        kind, _sep, target = token.partition(":")
        kind = kind.lower()
        if _sep and kind in links.KINDS:
            pair = (kind, target.upper() if kind == "petition" else target)
        elif PETITION_REF.fullmatch(token):
            pair = ("petition", token.upper())
        elif PROSPECT_CODE.fullmatch(token):
            from zonedesk.promotion.models import Prospect

            pk = Prospect.objects.filter(code=token.upper()).values_list("pk", flat=True).first()
            pair = ("prospect", str(pk)) if pk is not None else None
        else:
            pair = ("dossier", token)
        if pair is None or links.resolve(*pair) is None:
            unknown.append(token[:40])
        elif pair not in found:
            found.append(pair)
    return found, unknown


class ReportForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    done = forms.BooleanField(label=_("The task is done: send it for acceptance"), required=False)
    file = forms.FileField(label=_("File (PDF, optional)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class DecideForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("accept", _("Accept the work")), ("return", _("Return for more work"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("Reason (to return it)"), required=False, max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class PublishForm(forms.Form):
    published = forms.BooleanField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
