"""The ledger with real processes: a worker killed mid-batch, the broker down while beat is
due, two beats at once with a forced retry, and a rolled-back transaction."""

import json
import time
from collections import Counter

import pytest

pytestmark = pytest.mark.integration


def _assert_each_sent_once(stack, expected: int) -> None:
    stack.wait_for(lambda: len(stack.sent_codes()) >= expected, 45, f"{expected} emails")
    time.sleep(1.5)  # anything still in flight would show up as a duplicate
    counts = Counter(stack.sent_codes())
    duplicates = {code: n for code, n in counts.items() if n > 1}
    assert not duplicates, f"sent twice: {duplicates}"
    assert len(counts) == expected
    states = json.loads(stack.harness("states").stdout)
    assert states == {"sent": expected}, states


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(make_stack):
    stack = make_stack()
    stack.harness("seed", "30")
    # The 8th send (the 3rd of the 2nd batch) hangs before it writes: killed there, the row
    # is left "sending" and goes again once no live worker can hold it. (A kill after the
    # mail server accepted a message is the one case that sends twice: see
    # test_mail_server_faults.py.)
    worker = stack.start_worker(CW_IT_HANG_AT="7")
    stack.harness("sweep")  # beat: 6 batches of 5 ids
    stack.wait_for(lambda: (stack.directory / "hanging").exists(), 30, "the 8th send")

    stack.kill(worker)  # SIGKILL in the middle of a batch
    assert len(stack.sent_codes()) == 7

    stack.start_worker()
    time.sleep(3.5)  # the requeue and "sending" windows of these tests
    stack.harness("sweep")  # the next beat queues again what is due and unsent
    _assert_each_sent_once(stack, 30)


def test_broker_down_while_beat_is_due_then_the_catch_up_sends_everything(make_stack, own_redis):
    stack = make_stack(broker_url=own_redis.url)
    stack.harness("seed", "12")
    stack.start_worker()
    own_redis.stop()

    failed = stack.harness("beat", check=False, timeout=60)  # beat cannot reach Redis
    assert failed.returncode != 0
    assert stack.sent_codes() == []
    assert json.loads(stack.harness("states").stdout) == {"pending": 12}

    own_redis.start()
    stack.harness("beat")  # the next beat after Redis is back
    _assert_each_sent_once(stack, 12)


def test_two_beats_at_once_and_a_forced_retry_send_each_reminder_once(make_stack):
    stack = make_stack()
    stack.harness("seed", "40")
    fail_once = {"CW_IT_FAIL_ONCE": "1", "CW_IT_SEND_DELAY": "0.02"}
    stack.start_worker(**fail_once)
    stack.start_worker(**fail_once)

    # Two beats at once, even without the lock: both queue every due id.
    beats = [stack.spawn_harness("sweep", "--no-lock") for _ in range(2)]
    outputs = [json.loads(b.communicate(timeout=60)[0]) for b in beats]
    assert sum(o["queued"] for o in outputs) >= 40

    # The forced failure is tried again later, and the rows its batch held back wait for the
    # next sweeps (beat, played every second).
    later_sweeps = stack.spawn_harness("sweep-loop", "1", "60")
    try:
        _assert_each_sent_once(stack, 40)
    finally:
        later_sweeps.terminate()
        later_sweeps.wait(timeout=20)
    assert (stack.directory / "failed-once").exists()
    assert json.loads(stack.harness("attempts").stdout) == {"attempts": 1}

    # With the lock, a second beat running at the same time stands down.
    locked = [stack.spawn_harness("sweep") for _ in range(2)]
    reports = [json.loads(b.communicate(timeout=60)[0]) for b in locked]
    assert all(r["queued"] == 0 for r in reports)


def test_a_change_whose_transaction_rolls_back_is_never_sent(make_stack):
    stack = make_stack()
    stack.start_worker()

    assert "rolled back" in stack.harness("move-session", "rollback").stdout
    stack.harness("move-session", "commit")

    # The committed move tells its three fellows; the rolled-back one tells nobody, even
    # after a catch-up sweep.
    stack.wait_for(lambda: len(stack.sent_codes()) >= 3, 30, "the committed change")
    stack.harness("sweep")
    time.sleep(2)
    assert len(stack.sent_codes()) == 3
    assert json.loads(stack.harness("states").stdout) == {"sent": 3}
