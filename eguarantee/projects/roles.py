"""Default permissions of the built-in roles for 工程项目管理."""

VIEW = ["projects.view_project", "projects.view_section", "projects.view_projectdocument"]
MANAGE = [
    *VIEW,
    "projects.add_project",
    "projects.join_project",
    "projects.change_project",
    "projects.delete_project",
    "projects.add_projectdocument",
    "projects.delete_projectdocument",
]

GRANTS = {
    "applicant_admin": MANAGE,
    "applicant_operator": MANAGE,
    "beneficiary_admin": VIEW,
    "beneficiary_operator": VIEW,
    "department_admin": VIEW,
    "department_inspector": VIEW,
    # Joining is an applicant's act (it bids); the platform corrects, and alone edits a
    # project once a guarantee on it was issued.
    "platform_admin": [*[p for p in MANAGE if p != "projects.join_project"], "projects.change_locked_project"],
}
