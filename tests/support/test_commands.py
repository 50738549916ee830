"""`classify_tickets`: CSV in, triage CSV out, bad rows reported and skipped."""

from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

INTENTS = """intent,description,example
track_order,Customer asks where the order is,where is my order
track_order,,track my parcel please
get_refund,Customer wants money back,I want a refund
get_refund,,give me my money back
,orphan row without a name,ignored
"""


def run(tmp_path, tickets: str, intents: str = INTENTS):
    (tmp_path / "intents.csv").write_text(intents)
    (tmp_path / "tickets.csv").write_text(tickets)
    out, err = StringIO(), StringIO()
    call_command(
        "classify_tickets",
        intents=str(tmp_path / "intents.csv"),
        input=str(tmp_path / "tickets.csv"),
        output=str(tmp_path / "triage.csv"),
        stdout=out,
        stderr=err,
    )
    with open(tmp_path / "triage.csv", newline="") as f:
        return list(csv.DictReader(f)), out.getvalue(), err.getvalue()


def test_writes_intent_confidence_and_urgency_per_ticket(tmp_path):
    rows, out, _ = run(tmp_path, "id,text\n1,where is my parcel\n2,refund my money now!!\n")
    assert [(r["id"], r["intent"]) for r in rows] == [("1", "track_order"), ("2", "get_refund")]
    assert {"confidence", "urgency", "mood", "priority"} <= set(rows[0])
    assert rows[1]["urgency"] in {"high", "urgent"}
    assert out.strip().startswith("rows in: 2, rows written: 2, rows skipped: 0")


def test_bad_rows_are_reported_with_line_number_and_skipped_and_empty_text_is_other(tmp_path):
    rows, out, err = run(tmp_path, "id,text\n1,where is my order\n,no id here\n3,\n1,duplicate id\n")
    assert [(r["id"], r["intent"]) for r in rows] == [("1", "track_order"), ("3", "other")]
    assert "line 3: skipped: missing id" in err
    assert "line 5: skipped: duplicate id" in err
    assert "rows in: 4, rows written: 2, rows skipped: 2" in out


def test_missing_column_stops_with_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="missing column"):
        run(tmp_path, "id,body\n1,hi\n")


def test_intents_without_any_name_stop(tmp_path):
    with pytest.raises(CommandError, match="no intents"):
        run(tmp_path, "id,text\n1,hi\n", intents="intent,description,example\n,x,y\n")


def test_needs_no_database_store(tmp_path, db):
    from ecomops.tenancy.models import Store

    Store.objects.all().delete()
    rows, _, _ = run(tmp_path, "id,text\n7,track my parcel\n")
    assert rows[0]["intent"] == "track_order"
