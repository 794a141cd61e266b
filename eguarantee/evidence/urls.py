from django.urls import path

from . import protocol, views

app_name = "evidence"

urlpatterns = [
    # The log's public protocol (protocol.py): witnesses and verifiers, never behind a login.
    path("keys", protocol.KeysView.as_view(), name="keys"),
    path("head", protocol.HeadView.as_view(), name="head"),
    path("consistency", protocol.ConsistencyView.as_view(), name="consistency"),
    path("inclusion", protocol.InclusionView.as_view(), name="inclusion"),
    path("cosignatures", protocol.CosignatureView.as_view(), name="cosignatures"),
    path("alarms", protocol.AlarmView.as_view(), name="alarms"),
    # Back office
    path("heads/", views.TreeHeadListView.as_view(), name="treehead_list"),
    path("heads/<int:pk>/", views.TreeHeadDetailView.as_view(), name="treehead_detail"),
    path("witnesses/", views.WitnessListView.as_view(), name="witness_list"),
    path("witnesses/add/", views.WitnessAddView.as_view(), name="witness_add"),
    path("witnesses/<int:pk>/", views.WitnessDetailView.as_view(), name="witness_detail"),
    path("witnesses/<int:pk>/toggle/", views.WitnessToggleView.as_view(), name="witness_toggle"),
    path("alarms/", views.AlarmListView.as_view(), name="alarm_list"),
    path("alarms/<int:pk>/", views.AlarmDetailView.as_view(), name="alarm_detail"),
]
