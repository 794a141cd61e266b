"""Default permissions of the built-in roles for 行政管理部门配置管理.

The platform's system administrator keeps department profiles and the 归口 rules; the
security administrator sees departments' profiles and staff so as to set their roles in the
foundation's role editor; a department's administrator edits its own profile and reads the
rules that concern it; its inspectors read both."""

VIEW = ["departments.view_departmentprofile", "departments.view_jurisdictionrule"]

GRANTS = {
    "platform_admin": [
        *VIEW,
        "departments.add_departmentprofile",
        "departments.change_departmentprofile",
        "departments.delete_departmentprofile",
        "departments.add_jurisdictionrule",
        "departments.change_jurisdictionrule",
        "departments.delete_jurisdictionrule",
    ],
    "platform_security": ["departments.view_departmentprofile"],
    "department_admin": [*VIEW, "departments.change_departmentprofile"],
    "department_inspector": VIEW,
}
