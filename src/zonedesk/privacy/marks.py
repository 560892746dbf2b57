"""The marks of personal data, declared in core (`zonedesk.core.marks`, so that core's own models
mark their fields without importing this app) and read here by the register, the retention rules,
the audit trail's masking and a person's rights."""

from zonedesk.core.marks import Kind, Mark, Subject, mark_of, marked_fields, personal

__all__ = ["Kind", "Mark", "Subject", "mark_of", "marked_fields", "personal"]
