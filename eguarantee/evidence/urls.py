from django.urls import path

from . import protocol

app_name = "evidence"

urlpatterns = [
    # The log's public protocol (protocol.py): witnesses and verifiers, never behind a login.
    path("keys", protocol.KeysView.as_view(), name="keys"),
    path("head", protocol.HeadView.as_view(), name="head"),
    path("consistency", protocol.ConsistencyView.as_view(), name="consistency"),
    path("inclusion", protocol.InclusionView.as_view(), name="inclusion"),
    path("cosignatures", protocol.CosignatureView.as_view(), name="cosignatures"),
    path("alarms", protocol.AlarmView.as_view(), name="alarms"),
]
