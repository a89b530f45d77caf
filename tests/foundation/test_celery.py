from django.urls import reverse

from config.celery_app import app


def test_celery_speaks_json_only_with_time_limits(settings):
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_serializer == "json"
    assert app.conf.task_soft_time_limit and app.conf.task_time_limit
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, f"beat entry {name} runs unknown task {entry['task']}"


def test_health_reports_the_worker_after_a_heartbeat(client, db):
    before = client.get(reverse("health")).json()
    assert before["database"] == "ok"
    assert before["worker_ok"] is False

    app.tasks["accounts.tasks.record_heartbeat"].delay()

    after = client.get(reverse("health")).json()
    assert after["worker_ok"] is True
    assert after["worker_heartbeat"]
