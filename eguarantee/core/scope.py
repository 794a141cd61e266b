"""Fetching one object through a user's scope.

A record outside the user's scope answers 403 (it exists, but is not theirs to see or
manage), an id that exists nowhere answers 404: administrators of one organization get a
clear "no permission" when they reach for another organization's records."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

OUT_OF_SCOPE = "该记录不属于您的数据范围，无权查看或操作。"


def scoped_get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        pass
    try:
        exists = queryset.model._default_manager.filter(pk=pk).exists()
    except (ValueError, TypeError):
        exists = False
    if exists:
        raise PermissionDenied(OUT_OF_SCOPE)
    raise Http404("记录不存在。")
