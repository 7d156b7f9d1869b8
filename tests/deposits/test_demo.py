"""make run's demo data: loaded twice, present once; its works cite each other as intended."""
from io import StringIO

import pytest
from django.core.management import call_command

from citations.services import match_works
from deposits.models import Deposit, Work
from deposits.services import deposit_process
from members.models import Member, User

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_loads_once_however_often_it_runs():
    assert "Queued demo deposit" in load_demo()
    assert "Queued demo deposit" not in load_demo()
    assert Member.objects.count() == 2 and Deposit.objects.count() == 2
    assert User.objects.filter(is_superuser=True).count() == 1
    assert User.objects.get(email="editor@open-demos.example").check_password("demo-password")


def test_demo_deposits_register_works_that_cite_each_other():
    load_demo()
    for deposit in Deposit.objects.all():
        assert deposit_process(deposit_id=deposit.pk).failure_count == 0
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
    counts = dict(Work.objects.values_list("doi", "cited_by_count"))
    assert counts == {
        "10.5555/demo.2021.001": 4, "10.5555/demo.2022.002": 2, "10.5555/demo.2023.003": 2, "10.5555/demo.2024.004": 0,
        "10.5556/letters.2020.1": 3, "10.5556/letters.2021.2": 3, "10.5556/letters.2023.3": 1,
    }
