from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "zonedesk.investment"
    label = "investment"
    verbose_name = _("Investment registry")

    def ready(self) -> None:
        from zonedesk.core.pagination import COUNT_GENERATIONS
        from zonedesk.investment.selectors import FIGURES_GENERATION

        # every write of a project goes through a service that bumps the figures generation (the
        # admin is read-only): the counts of project lists are cached under it (core.pagination)
        COUNT_GENERATIONS["investment.Project"] = FIGURES_GENERATION
