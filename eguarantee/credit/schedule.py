from eguarantee.core.schedule import Daily

from . import jobs

# After midnight: a due date ends with its day (Beijing time).
DAILY = [Daily("credit.record_late_payments", "01:00", jobs.record_late_payments_job)]
