from django.urls import URLPattern

app_name = "implementation"
urlpatterns: list[URLPattern] = []
