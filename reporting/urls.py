from reporting.summary.urls import urlpatterns as summary_urlpatterns
from reporting.urls_reports import urlpatterns as report_urlpatterns

app_name = "reporting"

urlpatterns = report_urlpatterns + summary_urlpatterns
