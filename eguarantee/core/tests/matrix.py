"""Permission-matrix lines for core and the platform-wide public routes."""

from eguarantee.core.matrix import EVERYONE, Route

NAMESPACES = {"core", "portal", "api"}
PUBLIC = {
    "portal:home",
    "portal:apply",
    "portal:verify",
    "portal:claim",
    "healthz",
    "readyz",
    "api-schema",
    "api-docs",
}
ROUTES = [Route("core:dashboard", EVERYONE)]
