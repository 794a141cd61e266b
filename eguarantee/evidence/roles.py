"""Default permissions of the built-in roles for 存证与查验.

Tree heads are public facts (anyone can fetch them at /evidence/head); the pages are for
those who watch the log: the platform's administrator registers the witnesses that
departments and guarantors run, and sees their alarms; the auditor reads everything; a
department or guarantor sees the witness it runs. The security administrator has none.
"""

READ = ["evidence.view_treehead", "evidence.view_witness", "evidence.view_witnessalarm"]

GRANTS = {
    "platform_admin": [*READ, "evidence.add_witness", "evidence.change_witness"],
    "platform_auditor": READ,
    "department_admin": READ,
    "guarantor_admin": READ,
}
