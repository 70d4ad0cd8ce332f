from django.urls import path

from . import views

app_name = "communities"

urlpatterns = [
    path("structures/<int:pk>/join/", views.join, name="join"),
    path("structures/<int:pk>/requests/", views.queue, name="queue"),
    path("structures/<int:pk>/requests/<int:request_pk>/approve/", views.approve, name="approve"),
    path("structures/<int:pk>/requests/<int:request_pk>/reject/", views.reject, name="reject"),
    path("structures/<int:pk>/members/", views.members, name="members"),
    path("structures/<int:pk>/members/<int:membership_pk>/", views.member, name="member"),
    path(
        "structures/<int:pk>/members/<int:membership_pk>/role/",
        views.role_change,
        name="role_change",
    ),
    path("structures/<int:pk>/members/<int:membership_pk>/remove/", views.remove, name="remove"),
    path("structures/<int:pk>/members/<int:membership_pk>/block/", views.block, name="block"),
    path("structures/<int:pk>/blocks/<int:block_pk>/unblock/", views.unblock, name="unblock"),
    path("structures/<int:pk>/invitations/", views.invite, name="invite"),
    path("structures/<int:pk>/history/", views.history, name="history"),
    path("my/requests/", views.my_requests, name="my_requests"),
    path("my/requests/<int:request_pk>/withdraw/", views.withdraw, name="withdraw"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
