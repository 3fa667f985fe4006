from django.urls import path

from ipshub.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("roadmap/", views.roadmap, name="roadmap"),
    path("roadmap/stages/<int:stage_number>/", views.stage_detail, name="stage_detail"),
    path("questions/", views.questions, name="questions"),
    path("roles/", views.roles, name="roles"),
]
