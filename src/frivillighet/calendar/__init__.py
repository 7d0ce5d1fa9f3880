"""iCalendar feeds of obligation schedules: `build`, `to_ics`, `to_jcal`.

Importing this package loads `icalendar`; `import frivillighet` alone does not.
"""

from frivillighet.calendar.feed import REFRESH, build, to_ics, to_jcal, uid_of

__all__ = ["REFRESH", "build", "to_ics", "to_jcal", "uid_of"]
