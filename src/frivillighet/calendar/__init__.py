"""iCalendar feeds of obligation schedules: `build`, `to_ics`, `to_jcal`.

Importing this package loads `icalendar`; `import frivillighet` alone does not.
"""

from frivillighet.calendar.feed import (
    MAX_ALARM,
    MAX_EVENTS,
    REFRESH,
    build,
    to_ics,
    to_jcal,
    uid_of,
)

__all__ = ["MAX_ALARM", "MAX_EVENTS", "REFRESH", "build", "to_ics", "to_jcal", "uid_of"]
