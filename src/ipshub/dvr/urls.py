from django.urls import URLPattern

app_name = "dvr"
urlpatterns: list[URLPattern] = []
