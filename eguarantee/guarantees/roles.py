"""Default permissions of the built-in roles for guarantees (查验 for now)."""

INSPECT = ["guarantees.add_inspection", "guarantees.view_inspection"]

GRANTS = {
    "department_admin": INSPECT,
    "department_inspector": INSPECT,
    "platform_admin": ["guarantees.view_inspection"],
    "platform_auditor": ["guarantees.view_inspection"],
}
