from django.db import transaction

from zonedesk.core.models import Counter


@transaction.atomic
def counter_next(*, key: str) -> int:
    """The next number of a sequence; concurrent callers never get the same one."""
    Counter.objects.get_or_create(key=key)  # a concurrent creator is caught by get_or_create itself
    counter = Counter.objects.select_for_update().get(key=key)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value
