from django.urls import URLPattern

app_name = "fidelity"
urlpatterns: list[URLPattern] = []
