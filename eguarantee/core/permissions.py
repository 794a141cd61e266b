from .exceptions import NotAllowed


def require_perm(actor, permission, message="您没有执行此操作的权限。"):
    if actor is None or not actor.has_perm(permission):
        raise NotAllowed(message)


def require_same_organization(actor, organization_id, message="不能管理其他单位的数据。"):
    """Platform staff act on every organization; everyone else on their own only."""
    if actor.is_platform:
        return
    if actor.organization_id != organization_id:
        raise NotAllowed(message)
