from eguarantee.core.schedule import Daily

from . import jobs

DAILY = [Daily("audit.purge", "03:30", jobs.purge_audit_job)]
