pytest_plugins = ["eguarantee.core.testing"]
