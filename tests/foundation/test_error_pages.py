from django.test import Client, override_settings
from django.urls import reverse


def test_a_member_without_the_right_gets_the_friendly_403(client_for, cast):
    response = client_for("fellow").get(
        reverse("cohorts:cohort_edit", kwargs={"code": cast.cohort.code})
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "You can’t do that here" in body
    assert cast.cohort.name not in body.split("<main")[1].split("</main>")[0]


def test_an_outsider_gets_the_friendly_404(client_for, cast):
    response = client_for("other_staff").get(
        reverse("cohorts:cohort_detail", kwargs={"code": cast.cohort.code})
    )
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert cast.cohort.name not in response.content.decode()


@override_settings(ROOT_URLCONF="tests.foundation.error_urls", DEBUG=False)
def test_a_crash_shows_the_500_page_and_no_details(db):
    client = Client(raise_request_exception=False)
    response = client.get("/health/")  # a public page first: the URLconf loads
    assert response.status_code == 200
    response = client.get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "boom" not in body and "Traceback" not in body
