"""ZoneDesk: the platform of a management board of high-tech parks and industrial zones."""

__version__ = "0.1.0"
