from eguarantee.core.schedule import Daily

from . import jobs

DAILY = [Daily("guarantors.check_qualifications", "02:30", jobs.check_qualifications_job)]
