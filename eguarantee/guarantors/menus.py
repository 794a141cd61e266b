"""Side-menu pages of this module (eguarantee.core.menu)."""
