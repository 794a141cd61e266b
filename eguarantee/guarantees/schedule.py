from eguarantee.core.schedule import Daily

from . import jobs

DAILY = [Daily("guarantees.release_expired", "00:30", jobs.release_expired_job)]
