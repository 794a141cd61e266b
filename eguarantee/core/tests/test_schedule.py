"""Daily jobs start once a day, from whichever worker looks first."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from eguarantee.core import schedule
from eguarantee.core.models import ScheduledRun

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


class FakeTask:
    def __init__(self, fail=False):
        self.enqueued = 0
        self.fail = fail

    def enqueue(self):
        if self.fail:
            raise RuntimeError("queue down")
        self.enqueued += 1


def at(day, hour, minute=0):
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=BEIJING)


def test_a_due_job_starts_once_a_day(monkeypatch):
    task = FakeTask()
    monkeypatch.setattr(schedule, "daily_jobs", lambda: [schedule.Daily("test.job", "02:30", task)])
    assert schedule.enqueue_due(at(27, 2, 0)) == []  # not yet
    assert schedule.enqueue_due(at(27, 2, 31), worker_id="w1") == ["test.job"]
    assert schedule.enqueue_due(at(27, 9, 0), worker_id="w2") == []  # already started today
    assert schedule.enqueue_due(at(28, 3, 0), worker_id="w2") == ["test.job"]
    assert task.enqueued == 2
    assert list(ScheduledRun.objects.order_by("day").values_list("day", "worker_id")) == [
        (datetime.date(2026, 11, 27), "w1"),
        (datetime.date(2026, 11, 28), "w2"),
    ]


def test_a_broken_job_does_not_stop_the_others_and_is_tried_again(monkeypatch):
    broken, fine = FakeTask(fail=True), FakeTask()
    jobs = [schedule.Daily("test.broken", "01:00", broken), schedule.Daily("test.fine", "01:00", fine)]
    monkeypatch.setattr(schedule, "daily_jobs", lambda: jobs)
    assert schedule.enqueue_due(at(27, 2)) == ["test.fine"]
    assert not ScheduledRun.objects.filter(name="test.broken").exists()  # rolled back: tried again
    broken.fail = False
    assert schedule.enqueue_due(at(27, 3)) == ["test.broken"]


def test_the_modules_daily_jobs_are_registered():
    names = {job.name for job in schedule.daily_jobs()}
    assert {"guarantors.check_qualifications", "audit.purge"} <= names
