from django.urls import reverse


def test_workbench_sends_a_city_reporter_to_its_daily_reports(demo, client_for):
    html = client_for(demo.user("nanjing_reporter")).get("/dashboard/").content.decode()

    assert f'href="{reverse("reporting:my_reports", args=["2020-jiangsu"])}"' in html
    assert reverse("reporting:dashboard", args=["2020-jiangsu"]) not in html
    assert reverse("eventweek:manage_weeks") not in html


def test_workbench_gives_the_provincial_reviewer_the_dashboard_and_the_week(demo, client_for):
    html = client_for(demo.user("jiangsu_reviewer")).get("/dashboard/").content.decode()

    assert f'href="{reverse("reporting:dashboard", args=["2020-jiangsu"])}"' in html
    assert f'href="{reverse("eventweek:manage_week", args=["2020-jiangsu"])}"' in html
    assert f'href="{reverse("quiz:manage_week", args=["2020-jiangsu"])}"' in html
    assert reverse("reporting:my_reports", args=["2020-jiangsu"]) not in html


def test_workbench_of_another_province_shows_nothing_of_jiangsu(demo, client_for):
    html = client_for(demo.user("jiangxi_admin")).get("/dashboard/").content.decode()

    assert "2020-jiangsu" not in html
    assert "江苏" not in html


def test_workbench_requires_login(db, client):
    response = client.get("/dashboard/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/dashboard/")
