"""Issue 8: the access matrix (`zonedesk.core.access`) is what the site does.

Every registered URL pattern (the admin's included) and every operation of the API's OpenAPI
document is called by each role, the public included, on an object of the caller's own
enterprise or agency and on one of another's, and the answer is compared with the matrix:
allowed, 404, 403 or "log in first". A route or operation without an entry fails the test, and
so does an entry for a route that no longer exists. The matrix is enforced by
`access.AccessMiddleware`; a route it does not know is not served at all.

"Own" and "other", for each kind of object named in a path:
- an enterprise's own project, report, petition or import, and another enterprise's;
- for an agency, a petition it leads and one another agency leads;
- for roadmaps (and their milestones and packages), one the caller owns or a public one, and
  another's that is not public; for conferences a public one and a closed one; for plan
  revisions one in force and one not yet in force;
- the board side gets the same pairs (it may see both).

Each call runs in a savepoint rolled back after it, so an allowed write changes nothing for the
next caller. Write routes are sent an empty form or body: an allowed caller gets the form back
(or a 4xx about the input), a refused one its 403, 404 or 401 before the input is read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from zonedesk.api import api
from zonedesk.core import access
from zonedesk.core.models import Agency, Role, User, Zone
from zonedesk.dialogue.models import Conference, Tabling
from zonedesk.ecosystem.models import Actor
from zonedesk.investment.models import PeriodicReport, Project
from zonedesk.petitions import services as petition_services
from zonedesk.petitions.models import Answer, Attachment, Notification, Petition, PolicyAction, Status
from zonedesk.planning.models import ImportJob, Layer, Parcel, PlanningDecision, PlanRevision
from zonedesk.planning.ogc import feature_id
from zonedesk.procedures import services as procedure_services
from zonedesk.procedures.models import Dossier, DossierFile, DossierPart, Procedure, Result
from zonedesk.roadmaps import services as roadmap_services
from zonedesk.roadmaps.models import ClearancePackage, Milestone, OwnerKind, Roadmap, RoadmapKind
from zonedesk.sheets.models import SheetImport
from zonedesk_demo.procedures import files_for

ROLES = (access.PUBLIC, Role.ENTERPRISE, Role.AGENCY, Role.BOARD, Role.LEADER, Role.ADMIN)
OBSERVE = os.environ.get("ZONEDESK_ACCESS_OBSERVE")  # a path: write what the site does there


def _patterns(resolver=None, prefix: str = "", namespace: tuple[str, ...] = ()):
    """(view name, route) of every URL pattern, however deep it is included."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = (*namespace, p.namespace) if p.namespace else namespace
            yield from _patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield ":".join((*namespace, p.name or "")), prefix + str(p.pattern)


def _operations():
    """("METHOD /path", path parameters) of every operation of the API's OpenAPI document."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for path, item in schema["paths"].items():
        for method, op in item.items():
            params = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
            yield f"{method.upper()} {path}", params


class World:
    """The demo, two enterprises' and two agencies' people, and an object of each kind."""

    def __init__(self):
        # the demo's two enterprise accounts: each has projects, reports, petitions and a roadmap
        fpt, hanwha = User.objects.get(username="fpt"), User.objects.get(username="hanwha")
        for user in (fpt, hanwha):
            if not Petition.objects.filter(enterprise=user.enterprise).exists():
                petition_services.petition_submit(
                    zone=Zone.objects.get(code="HHTP"),
                    title="Đề nghị hỗ trợ thủ tục",
                    body="Nội dung kiến nghị",
                    category=Petition._meta.get_field("category").choices[0][0],
                    by=user,
                    enterprise=user.enterprise,
                )
        for user in (fpt, hanwha):  # a dossier of each enterprise at the one-stop desk
            if not Dossier.objects.filter(enterprise=user.enterprise).exists():
                procedure = Procedure.objects.get(code="CN-01")
                procedure_services.dossier_file(
                    procedure=procedure,
                    by=user,
                    files=files_for(procedure, timezone.localdate()),
                    form={"hitech_revenue_share": 70, "rnd_spending_share": 2, "rnd_staff_share": 8},
                )
        thue = User.objects.get(username="thue")
        other_agency = Agency.objects.exclude(pk=thue.agency_id).filter(led_petitions__isnull=False).first()
        other_officer = User.objects.create(username="other-agency", role=Role.AGENCY, agency=other_agency)
        self.users = {
            access.PUBLIC: None,
            Role.ENTERPRISE: fpt,
            Role.AGENCY: thue,
            Role.BOARD: User.objects.get(username="bql"),
            Role.LEADER: User.objects.get(username="lanhdao"),
            Role.ADMIN: User.objects.get(username="admin"),
        }
        self.other = {Role.ENTERPRISE: hanwha, Role.AGENCY: other_officer}
        today = timezone.localdate()
        for user in (fpt, hanwha):
            SheetImport.objects.create(kind="reports", original_name="r.csv", created_by=user)
        for user in (*self.users.values(), *self.other.values()):
            if user is not None:
                Notification.objects.create(user=user, subject="s", body="b")
        revision = (
            PlanRevision.objects.filter(effective_date__lte=today, parcels__isnull=False)
            .order_by("-effective_date")
            .first()
        )
        self.job = ImportJob.objects.create(
            zone=revision.zone, layer=revision.layer, effective_date=today, original_name="plan.zip"
        )
        self.future_revision = PlanRevision.objects.create(
            zone=revision.zone,
            layer=revision.layer,
            number=PlanRevision.objects.filter(zone=revision.zone, layer=revision.layer).count() + 1,
            effective_date=today + dt.timedelta(days=400),
        )
        self.revision = revision
        self.actions = [
            PolicyAction.objects.create(title=f"action {a.pk}", owner=a) for a in (thue.agency, other_agency)
        ]
        self._attachments = {}
        self._dossier_files = {}
        self._directions(fpt, hanwha, thue, other_agency, today)
        self._answers = {}
        clearance = Roadmap.objects.filter(kind=RoadmapKind.CLEARANCE).first()
        # a site clearance an agency keeps (not public), for an agency's own clearance roadmap
        self.own_clearance = roadmap_services.roadmap_create(
            by=None,
            zone=clearance.zone,
            kind=RoadmapKind.CLEARANCE,
            title_vi="Giải phóng mặt bằng do cơ quan thuế theo dõi",
            owner_kind=OwnerKind.AGENCY,
            owner_agency=thue.agency,
            public=False,
        )
        # a task the tax department owns (not public), for an agency's own roadmap
        task = roadmap_services.roadmap_create(
            by=None,
            zone=clearance.zone,
            kind=RoadmapKind.TASK,
            title_vi="Nhiệm vụ của cơ quan thuế",
            owner_kind=OwnerKind.AGENCY,
            owner_agency=thue.agency,
            public=False,
        )
        roadmap_services.milestone_add(
            by=None,
            roadmap=task,
            title="Bước đầu",
            responsible_name="Cục Thuế",
            planned_start=today,
            planned_end=today + dt.timedelta(days=30),
        )
        self.clearances = (
            clearance,
            roadmap_services.roadmap_create(
                by=None,
                zone=clearance.zone,
                kind=RoadmapKind.CLEARANCE,
                title_vi="Giải phóng mặt bằng của một xã khác",
                owner_kind=OwnerKind.COMMUNE,
                owner_agency=Agency.objects.create(code="XA-KHAC", kind=Agency.Kind.COMMUNE, name_vi="UBND xã khác"),
                public=False,
            ),
        )
        self.decision = PlanningDecision.objects.filter(revisions=revision).first() or PlanningDecision.objects.first()
        if not self.decision.document:
            self.decision.document.save("decision.pdf", ContentFile(b"%PDF-1.4 a decision"))
        shown = Conference.objects.filter(public=True).first()
        self.conferences = (
            shown,
            Conference.objects.filter(public=False).first()
            or Conference.objects.create(
                series=shown.series,
                sequence=shown.series.conferences.count() + 1,
                theme_vi="Hội nghị kín",
                starts_at=shown.starts_at,
                ends_at=shown.ends_at,
                venue=shown.venue,
                chair=shown.chair,
                public=False,
            ),
        )

        # promotion: a prospect the tax department was asked to help with and one it was not, each
        # with a document; an event; a visitor's enquiry (its tracking page is the visitor's link)
        from zonedesk.promotion import services as promotion_services
        from zonedesk.promotion.models import ProspectDocument

        bql = self.users[Role.BOARD]
        self.prospects = tuple(
            promotion_services.prospect_create(
                by=bql, company=name, country="JP", sector="software", source="forum", agencies=agencies
            )
            for name, agencies in (("Helped K.K.", [thue.agency]), ("Courted Co", []))
        )
        self.prospect_documents = tuple(
            ProspectDocument.objects.create(
                prospect=p,
                title="LOI",
                file=ContentFile(b"%PDF-1.4 a letter of intent", name="loi.pdf"),
                original_name="loi.pdf",
                content_type="application/pdf",
                size=27,
                uploaded_at=timezone.now(),
            )
            for p in self.prospects
        )
        self.promotion_event = promotion_services.event_save(
            by=bql, kind="forum", title="Forum", date=today, place="Hà Nội", organisers="Ban quản lý"
        )
        self.enquiry = promotion_services.enquiry_submit(
            company="Visitor Pte",
            country="SG",
            sector="software",
            land_ha=1,
            contact_name="A",
            contact_email="a@example.com",
        )

    def package(self, roadmap):
        """A site-clearance package on the roadmap (made on its first milestone if it has none)."""
        found = ClearancePackage.objects.filter(milestone__roadmap=roadmap).first()
        return found or ClearancePackage.objects.create(
            milestone=roadmap.milestones.first(), code="GPMB-T", area_to_clear_m2=100, households_affected=1
        )

    def answer(self, petition):
        """An answer submitted for the board's approval on the petition (made on first use)."""
        if petition.pk not in self._answers:
            self._answers[petition.pk] = petition.answers.first() or Answer.objects.create(
                petition=petition,
                agency=petition.lead_agency or self.users[Role.AGENCY].agency,
                body="Trả lời",
                state=Answer.State.SUBMITTED,
            )
        return self._answers[petition.pk]

    def template_part(self):
        """A part with its template on disk (set on first use: the demo's were written elsewhere)."""
        if not hasattr(self, "_template_part"):
            from django.core.files.uploadedfile import SimpleUploadedFile

            from zonedesk_demo.procedures import _docx

            part = DossierPart.objects.exclude(template="").select_related("version__procedure").first()
            upload = SimpleUploadedFile("mau.docx", _docx("MẪU", ["Nội dung"]))
            self._template_part = procedure_services.part_template_set(part=part, upload=upload)
        return self._template_part

    def dossier_file(self, dossier):
        """A file of the dossier, on disk (made on first use: the demo's were written elsewhere)."""
        if dossier.pk not in self._dossier_files:
            part = dossier.procedure_version.parts.first()
            row = DossierFile(
                dossier=dossier,
                part=part,
                original_name="don.pdf",
                content_type="application/pdf",
                size=17,
                sha256="0" * 64,
                uploaded_at=timezone.now(),
            )
            row.file.save("don.pdf", ContentFile(b"%PDF-1.4 a letter"), save=True)
            self._dossier_files[dossier.pk] = row
        return self._dossier_files[dossier.pk]

    def attachment(self, petition):
        """A confidential file on the petition (made on first use)."""
        if petition.pk not in self._attachments:
            self._attachments[petition.pk] = Attachment.objects.create(
                petition=petition,
                file=ContentFile(b"%PDF-1.4 a letter", name="letter.pdf"),
                original_name="letter.pdf",
                content_type="application/pdf",
                size=17,
                sha256="0" * 64,
                confidential=petition.status != Status.PUBLISHED,  # the public may read those of a published one
            )
        return self._attachments[petition.pk]

    # --- own and other, for the role being tried -------------------------------------------
    def _directions(self, fpt, hanwha, thue, other_agency, today):
        """A direction whose one task each unit leads (an enterprise, an agency, a unit of the board
        the board officer belongs to), none published, and a published one; each with its PDF."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from zonedesk.directions import services as direction_services
        from zonedesk.procedures.models import Unit, UnitMember

        units = [
            Unit.objects.create(code=f"W-DIR-{i}", kind=Unit.Kind.DIVISION, name_vi=f"Phòng thử {i}") for i in (1, 2, 3)
        ]
        UnitMember.objects.create(unit=units[0], user=User.objects.get(username="bql"))
        UnitMember.objects.create(unit=units[2], user=self.users[Role.LEADER])  # a leader heading a unit

        def issue(lead, published=False):
            return direction_services.direction_issue(
                by=None,
                kind="notice",
                title_vi="Thông báo kết luận thử",
                date=today,
                published=published,
                document=SimpleUploadedFile("tb.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
                tasks=[{"content": "Nhiệm vụ thử", "lead": lead, "deadline": today + dt.timedelta(days=30)}],
            )

        self.published_direction = issue(other_agency, published=True)
        self.directions = {
            Role.ENTERPRISE: (issue(fpt.enterprise), issue(hanwha.enterprise)),
            Role.AGENCY: (issue(thue.agency), issue(other_agency)),
            Role.BOARD: (issue(units[0]), issue(units[1])),
            Role.LEADER: (issue(units[2]), issue(units[1])),
        }
        from django.core.files.base import ContentFile

        from zonedesk.directions.models import Direction, ProgressReport

        for task in (t for d in Direction.objects.all() for t in d.tasks.all()):  # a report with its file each
            ProgressReport.objects.create(
                task=task,
                text="Đã triển khai",
                percent=50,
                created_at=timezone.now(),
                file=ContentFile(b"%PDF-1.4 a report", name="bc.pdf"),
                original_name="bc.pdf",
            )

    def _enterprises(self, role):
        return self.users[Role.ENTERPRISE].enterprise_id, self.other[Role.ENTERPRISE].enterprise_id

    def pair(self, kind: str, role: str):
        me, them = self._enterprises(role)
        if kind == "project":
            return (
                Project.objects.filter(enterprise_id=me).first(),
                Project.objects.filter(enterprise_id=them).first(),
            )
        if kind == "report":
            reports = PeriodicReport.objects.filter(is_current=True)
            return reports.filter(project__enterprise_id=me).first(), reports.filter(
                project__enterprise_id=them
            ).first()
        if kind == "petition":
            if role == Role.AGENCY:
                mine, theirs = self.users[Role.AGENCY].agency_id, self.other[Role.AGENCY].agency_id
                return (
                    Petition.objects.filter(lead_agency_id=mine).first(),
                    Petition.objects.filter(lead_agency_id=theirs).exclude(coordinating_agencies=mine).first(),
                )
            if role == access.PUBLIC:  # a published petition is the public's
                published = Petition.objects.filter(status=Status.PUBLISHED)
                return published.first(), Petition.objects.exclude(status=Status.PUBLISHED).first()
            return Petition.objects.filter(enterprise_id=me).first(), Petition.objects.filter(
                enterprise_id=them
            ).first()
        if kind == "sheet_import":
            return (
                SheetImport.objects.get(created_by=self.users[Role.ENTERPRISE]),
                SheetImport.objects.get(created_by=self.other[Role.ENTERPRISE]),
            )
        if kind == "notification":
            user = self.users.get(role) or self.users[Role.ENTERPRISE]
            return Notification.objects.filter(user=user).first(), Notification.objects.exclude(user=user).first()
        if kind == "roadmap":
            user = self.users.get(role)
            mine = Roadmap.objects.filter(public=True)
            if user is not None and user.enterprise_id:
                mine = Roadmap.objects.filter(owner_enterprise_id=user.enterprise_id) or mine
            elif user is not None and user.agency_id:
                with_steps = Roadmap.objects.filter(pk__in=Milestone.objects.values("roadmap"))
                mine = with_steps.filter(owner_agency_id=user.agency_id) or mine
            theirs = Roadmap.objects.filter(public=False, pk__in=Milestone.objects.values("roadmap"))
            if user is not None and user.enterprise_id:
                theirs = theirs.exclude(owner_enterprise_id=user.enterprise_id).exclude(
                    milestones__responsible_enterprise_id=user.enterprise_id
                )
            if user is not None and user.agency_id:
                theirs = theirs.exclude(owner_agency_id=user.agency_id).exclude(
                    milestones__responsible_agency_id=user.agency_id
                )
            return mine.first(), theirs.first()
        if kind == "milestone":
            a, b = self.pair("roadmap", role)
            return a.milestones.first(), b.milestones.first()
        if kind == "package":
            a, b = self.pair("roadmap", role)
            return self.package(a), self.package(b)
        if kind == "conference":
            return self.conferences
        if kind == "revision":
            return self.revision, self.future_revision
        if kind == "clearance":
            return (self.own_clearance, self.clearances[1]) if role == Role.AGENCY else self.clearances
        if kind == "answer":
            return tuple(self.answer(p) for p in self.pair("petition", role))
        if kind == "attachment":
            return tuple(self.attachment(p) for p in self.pair("petition", role))
        if kind == "policy_action":
            return tuple(self.actions)
        if kind == "prospect":
            return self.prospects
        if kind == "promotion_event":
            return self.promotion_event, self.promotion_event
        if kind in {"incentive", "board_contact"}:  # the board's reference data: the same for everyone
            from zonedesk.investment.models import BoardContact, Incentive

            found = (Incentive if kind == "incentive" else BoardContact).objects.order_by("pk").first()
            return found, found
        if kind == "direction":
            if role == access.PUBLIC:
                return self.published_direction, self.directions[Role.ENTERPRISE][1]
            return self.directions.get(role, self.directions[Role.ENTERPRISE])
        if kind == "task":
            a, b = self.directions.get(role, self.directions[Role.ENTERPRISE])
            return a.tasks.get(), b.tasks.get()
        if kind == "dossier":
            mine, theirs = Dossier.objects.filter(enterprise_id=me), Dossier.objects.filter(enterprise_id=them)
            if role == Role.BOARD:  # one its unit holds: the step it may attempt is its unit's
                held = Dossier.objects.filter(unit__memberships__user=self.users[Role.BOARD])
                mine, theirs = held.filter(enterprise_id=me) or held, held.exclude(enterprise_id=me) or theirs
            return mine.first(), theirs.first()
        one = {
            "tabling": lambda: Tabling.objects.filter(petition__isnull=False).first(),
            "actor": lambda: Actor.objects.first(),
            "decision": lambda: self.decision,
            "parcel": lambda: Parcel.objects.filter(revision=self.revision).first(),
            "plan_import": lambda: self.job,
            "procedure": lambda: Procedure.objects.first(),
            "result": lambda: Result.objects.first(),
        }[kind]()
        return one, one


# What each path parameter names, by route (a route not listed takes the parameter's default).
KINDS = {
    "code": "project",
    "pk": None,  # by route below
    "report_id": "report",
    "reference": "petition",
    "notification_id": "notification",
    "conference_id": "conference",
    "decision_id": "decision",
    "revision_id": "revision",
    "attachment_id": "attachment",
    "action_id": "policy_action",
    "dossier_code": "dossier",
    "procedure_code": "procedure",
    "result_code": "result",
    "prospect_id": "prospect",
    "event_id": "promotion_event",
    "direction_id": "direction",
    "task_id": "task",
    "incentive_id": "incentive",
    "contact_id": "board_contact",
}
PK_KINDS = {
    "report_correct": "report",
    "conference_": "conference",
    "ecosystem_actor_end": "actor",
    "plan_revision": "revision",
    "plan_revision_": "revision",
    "plan_decision": "decision",
    "plan_decision_": "decision",
    "roadmap_": "roadmap",
    "package_new": "clearance",
    "milestone_new": "roadmap",
    "milestone_": "milestone",
    "package_": "package",
    "sheet_import_": "sheet_import",
    "plan_import_": "plan_import",
}


# Query strings a page needs to answer at all.
QUERIES = {"planning_map_json": lambda world: f"?zone={world.revision.zone.code}"}


def _pk_kind(name: str) -> str:
    for prefix, kind in PK_KINDS.items():
        if name == prefix or (prefix.endswith("_") and name.startswith(prefix)):
            return kind
    raise AssertionError(f"{name}: no kind of object for its <pk>; add it to PK_KINDS")


def _page_kwargs(world: World, name: str, route: str, role: str):
    """The view's keyword arguments for the own object and the other one (None: no object)."""
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not params:
        return [{}], None
    if name == "zone_roadmaps":
        return [{"code": world.revision.zone.code}], None
    if name.startswith("planning_parcel"):
        p = world.pair("parcel", role)[0]
        return [{"zone": p.zone.code, "code": p.code}], None
    fixed = {
        "opendata_download": {"slug": "projects", "fmt": "csv"},
        "sheet_template": {"kind": "reports", "fmt": "csv"},
        "sheet_export": {"kind": "reports", "fmt": "csv"},
        "ogc_collection": {"collection_id": "parcels"},
        "invest_park": {"zone": "HHTP"},  # the demo's profile of Hoa Lac
        "invest_profile_edit": {"zone": "HHTP"},
        "retention_rule": {"kind": "petitioner_contacts"},
        "ogc_items": {"collection_id": "parcels"},
        "ogc_download": {"collection_id": "parcels", "extension": "geojson"},
        # a private link that is not one: 410, the same to everyone
        "privacy_my_data": {"token": "not-a-token"},
        "privacy_my_data_correct": {"token": "not-a-token"},
        "privacy_my_data_withdraw": {"token": "not-a-token"},
        "privacy_my_data_export": {"token": "not-a-token"},
        "privacy_my_data_erase": {"token": "not-a-token"},
        "privacy_notice_version": {"version": 1},
    }
    if name == "procedure_template":
        part = world.template_part()
        return [{"procedure_code": part.version.procedure.code, "part_id": part.pk}], None
    if name in {"dossier_do", "dossier_file", "dossier_document"}:
        pair = world.pair("dossier", role)
        # a step each role may attempt (the view refuses another role's step: 403, as petition_do)
        op = {Role.BOARD: "receive", Role.LEADER: "stop"}.get(role, "withdraw")
        extra = {
            "dossier_do": lambda d: {"op": op},
            "dossier_file": lambda d: {"file_id": world.dossier_file(d).pk},
            "dossier_document": lambda d: {"doc": "slip"},
        }[name]
        return [{"dossier_code": d.code, **extra(d)} for d in pair], True
    if name == "prospect_do":  # a contact: the officer's form, sent empty (400)
        return [{"prospect_id": p.pk, "op": "contact"} for p in world.pair("prospect", role)], True
    if name == "prospect_document":
        return [{"prospect_id": d.prospect_id, "doc_id": d.pk} for d in world.prospect_documents], True
    if name == "task_report_file":
        return [{"task_id": t.pk, "report_id": t.reports.get().pk} for t in world.pair("task", role)], True
    if name == "promotion_enquiry_status":
        return [{"token": world.enquiry.tracking_token}], None
    if name in fixed:
        return [fixed[name]], None
    if name == "ogc_item":
        p = world.pair("parcel", role)[0]
        return [{"collection_id": "parcels", "fid": feature_id(p, Layer.PARCELS)}], None
    if name == "conference_spot_answer":
        t = world.pair("tabling", role)[0]
        return [{"pk": t.conference_id, "tabling_pk": t.pk}], None
    if name == "petition_answer_return":
        return [{"reference": a.petition.reference, "answer_id": a.pk} for a in world.pair("answer", role)], True
    first = params[0]
    kind = _pk_kind(name) if first == "pk" else KINDS[first]
    own, other = world.pair(kind, role)
    assert own is not None and other is not None, f"{name}: the demo has no {kind} to try for {role}"
    key = {
        "project": "code",
        "petition": "reference",
        "dossier": "dossier_code",
        "procedure": "procedure_code",
        "result": "result_code",
    }.get(kind, "pk")
    attr = {
        "code": "code",
        "reference": "reference",
        "dossier_code": "code",
        "procedure_code": "code",
        "result_code": "code",
    }.get(key, "pk")
    extra = {"op": "resume"} if "op" in params else {}  # an action the board, lead agency and owner may take
    return [{first: getattr(own, attr), **extra}, {first: getattr(other, attr), **extra}], True


def _outcome(response, api_call: bool) -> str:
    status = response.status_code
    assert status < 500, f"server error {status}"
    if status == 404:
        return access.HIDDEN
    if status == 403:
        return access.FORBIDDEN
    if status == 401:
        return access.LOGIN
    if status == 302 and re.match(r"^/(admin/)?login/", response.get("Location", "")):
        return access.LOGIN
    return access.OK


def _call(client: Client, method: str, url: str, *, api_call: bool):
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url, {})
        else:
            response = client.generic(method, url, "{}", content_type="application/json")
        transaction.set_rollback(True)
    return _outcome(response, api_call)


@pytest.fixture(scope="module")
def world(demo_everything, django_db_blocker, tmp_path_factory):
    """The demo of the run (tests/conftest.py) and this module's objects on it, rolled back after."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(DEMO_MODE=True):
                yield World()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _clients(world: World) -> dict[str, Client]:
    clients = {}
    for role, user in world.users.items():
        c = Client()
        if user is not None:
            c.force_login(user)
        clients[role] = c
    return clients


def _expected(rule: access.Rule, role: str, which: int) -> str:
    outcome = rule.outcome(role)
    if outcome == access.OWN:
        return access.OK if which == 0 else access.HIDDEN
    if outcome == access.SEE:
        return access.FORBIDDEN if which == 0 else access.HIDDEN
    return outcome


def _record(observed, wrong, name, rule, role, which, got) -> None:
    observed.setdefault(name, {}).setdefault(role, []).append(got)
    if rule is not None and got != (expected := _expected(rule, role, which)):
        wrong.append(f"{name} as {role} on {'own' if which == 0 else 'other'}: {got}, matrix says {expected}")


def _verdict(observed, wrong, seen, table, label) -> None:
    if OBSERVE:
        Path(f"{OBSERVE}.{label}.json").write_text(json.dumps(observed, indent=1))
    assert not wrong, "\n".join(wrong)
    stale = set(table) - seen
    assert not stale, f"the matrix lists routes or operations that do not exist: {sorted(stale)}"


@pytest.mark.django_db
def test_every_page_route_answers_each_role_as_the_matrix_says(world):
    clients = _clients(world)
    seen, wrong, observed = set(), [], {}
    operations = {key.split(" ", 1)[1] for key, _params in _operations()}
    for name, route in _patterns():
        if name.startswith("api:") and access.api_key("GET", route).split(" ", 1)[1] in operations:
            continue  # the API's operations are walked from its OpenAPI document below
        seen.add(name)
        rule = access.rule_for_page(name)
        assert rule is not None or OBSERVE, f"{name} ({route}) has no entry in the access matrix"
        for role in ROLES:
            if name.startswith("admin:"):
                kwargs_list = [_admin_kwargs(name, route)]
                if kwargs_list[0] is None:
                    continue
            else:
                kwargs_list, _ = _page_kwargs(world, name, route, role)
            for which, kwargs in enumerate(kwargs_list):
                url = reverse(name, kwargs=kwargs) + QUERIES.get(name, lambda w: "")(world)
                # logging out ends the client's session: log out a client of its own
                client = _clients(world)[role] if name.endswith("logout") else clients[role]
                got = _call(client, "GET", url, api_call=False)
                _record(observed, wrong, name, rule, role, which, got)
    _verdict(observed, wrong, seen, access.PAGES, "pages")


def _admin_kwargs(name: str, route: str) -> dict | None:
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not params:
        return {}
    if params == ["app_label"]:
        return {"app_label": "core"}
    if params == ["object_id"] or set(params) == {"object_id"}:
        for model, _admin in admin_site._registry.items():
            base = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
            if name.startswith(base):
                obj = model._default_manager.order_by("pk").first()
                return {"object_id": obj.pk} if obj is not None else None
    if set(params) == {"content_type_id", "object_id"}:  # "view on site"
        return None
    return None  # a pattern Django's admin uses internally (a catch-all): not walked


def _api_kwargs(world: World, key: str, params: list[str], role: str):
    if not params:
        return [{}], None
    if key.startswith("GET /api/v1/zones/") or key.endswith("/figures") and "{code}" in key:
        return [{"code": world.revision.zone.code}], None
    if "operation" in params:
        return [{"reference": p.reference, "operation": "resume"} for p in world.pair("petition", role)], True
    if key.endswith("/spot-answer"):
        t = world.pair("tabling", role)[0]
        return [{"conference_id": t.conference_id, "reference": t.petition.reference}], None
    first = params[0]
    kind = KINDS[first]
    own, other = world.pair(kind, role)
    assert own is not None and other is not None, f"{key}: the demo has no {kind} to try for {role}"
    attr = {"code": "code", "reference": "reference", "dossier_code": "code", "procedure_code": "code"}.get(first, "pk")
    attr = "code" if first == "result_code" else attr
    return [{first: getattr(own, attr)}, {first: getattr(other, attr)}], True


@pytest.mark.django_db
def test_every_api_operation_answers_each_role_as_the_matrix_says(world):
    clients = _clients(world)
    seen, wrong, observed = set(), [], {}
    for key, params in _operations():
        seen.add(key)
        rule = access.API.get(key)
        assert rule is not None or OBSERVE, f"{key} has no entry in the access matrix"
        method, path = key.split(" ", 1)
        for role in ROLES:
            kwargs_list, _ = _api_kwargs(world, key, params, role)
            for which, kwargs in enumerate(kwargs_list):
                url = path.format(**kwargs)
                got = _call(clients[role], method, url, api_call=True)
                _record(observed, wrong, key, rule, role, which, got)
    _verdict(observed, wrong, seen, access.API, "api")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.access_urls")
def test_a_route_missing_from_the_matrix_is_served_to_no_one(client, board_user):
    assert client.get("/unlisted/").status_code == 404
    client.force_login(board_user)
    response = client.get("/unlisted/")
    assert response.status_code == 404 and b"not for anyone" not in response.content
    assert client.get("/").status_code == 200  # the routes it knows are served as before


@pytest.mark.django_db
def test_a_form_sent_logged_out_leads_back_to_its_page_after_logging_in(client):
    page = "/petitions/PAKN-2026-000001/"
    response = client.post(page + "do/triage/", {}, HTTP_REFERER="http://testserver" + page)
    assert response.status_code == 302 and response["Location"] == "/login/?next=" + page
    response = client.post(page + "do/triage/", {}, HTTP_REFERER="https://elsewhere.example/x/")
    assert response["Location"] == "/login/?next=/"


@pytest.mark.django_db
def test_a_method_an_api_path_does_not_have_is_refused_before_anything(client):
    response = client.delete("/api/v1/zones")
    assert response.status_code == 405 and response["Allow"] == "GET"


@pytest.mark.django_db
def test_the_matrix_refuses_in_the_apis_own_shape(client, enterprise_user):
    """A refusal of the matrix (before the operation runs) reads as the operation's own would."""
    own = client.get("/api/v1/projects/NO-SUCH-PROJECT")  # the operation's Http404, through the API's handler
    client.force_login(enterprise_user)
    refused = client.get("/api/v1/reports/999999")  # the scope "report" finds none of theirs: 404 by the matrix
    assert own.status_code == refused.status_code == 404
    assert refused["Content-Type"] == own["Content-Type"] == "application/json; charset=utf-8"
    assert refused.json() == own.json()
    client.logout()
    public = client.get("/api/v1/reports")  # the public is asked to log in, in the site's language
    assert public.status_code == 401 and public.json() == {"detail": "Vui lòng đăng nhập trước."}
    assert public["Content-Type"] == "application/json; charset=utf-8"


def test_every_scope_the_matrix_names_has_the_lookup_its_app_registered(monkeypatch):
    assert access.check_scopes() == []
    monkeypatch.delitem(access.SCOPES, "roadmap")
    errors = access.check_scopes()
    assert [e.id for e in errors] == ["zonedesk.E001"] and "'roadmap'" in errors[0].msg
