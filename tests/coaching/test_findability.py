"""Finding things: the program's coaches, each fellow's plan from the coach's home, and
subscribing to the calendar feed from the fellow's and the coach's home."""

from django.urls import reverse

from tests.factories.action_plans import ActionPlanFactory


def test_the_program_page_links_its_coaches_and_copying_a_cohort(cast, client_for):
    url = reverse("cohorts:program_detail", kwargs={"slug": cast.program.slug})
    body = client_for("staff").get(url).content.decode()
    assert reverse("coaching:coach_list", kwargs={"slug": cast.program.slug}) in body
    assert reverse("curriculum:cohort_copy", args=[cast.past_cohort.code]) in body


def test_the_coach_home_links_each_fellows_plan(cast, client_for):
    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"])
    body = client_for("coach").get(reverse("coaching:coach_home")).content.decode()
    assert f'href="{plan.get_absolute_url()}"' in body
    assert reverse("notifications:calendar") in body


def test_the_fellow_home_offers_the_calendar_and_the_page_says_how_to_subscribe(cast, client_for):
    client = client_for("fellow")
    home = client.get(reverse("cohorts:fellow_home")).content.decode()
    assert reverse("notifications:calendar") in home
    assert "Subscribe to my calendar" in home
    body = client.get(reverse("notifications:calendar")).content.decode()
    feed = client.get(reverse("notifications:calendar")).context["feed_url"]
    assert f'href="webcal://{feed.split("://", 1)[1]}"' in body
    assert 'data-cw-copy="feed-url"' in body
    for words in ("Google Calendar", "Outlook", "Apple Calendar"):
        assert words in body
