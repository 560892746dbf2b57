from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_see_report(user, kwargs) -> bool:
    """The access matrix's scope "report" (core.access): a periodic report of the route's id."""
    from zonedesk.investment.models import PeriodicReport

    return PeriodicReport.objects.restrict(user).filter(pk=kwargs.get("report_id")).exists()


class InvestmentConfig(AppConfig):
    name = "zonedesk.investment"
    label = "investment"
    verbose_name = _("Investment registry")

    def ready(self) -> None:
        from zonedesk.core import access
        from zonedesk.core.generations import ZONE_FIGURE_GENERATIONS
        from zonedesk.core.pagination import COUNT_GENERATIONS
        from zonedesk.investment.selectors import FIGURES_GENERATION

        # every write of a project goes through a service that bumps the figures generation (the
        # admin is read-only): the counts of project lists are cached under it (core.pagination)
        COUNT_GENERATIONS["investment.Project"] = FIGURES_GENERATION
        ZONE_FIGURE_GENERATIONS.add(FIGURES_GENERATION)  # the land registration rate reads a zone's leasable area
        access.register_scope("report", _may_see_report)
