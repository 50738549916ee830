from __future__ import annotations

import csv
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from recommendations.event_log import canonical_kind, parse_timestamp


def _recommend(tmp_path, events_csv: str, *, k: int) -> tuple[list[dict], str, str]:
    """(output rows, stdout, stderr) of `manage.py recommend` on `events_csv`."""
    events, output, stdout, stderr = tmp_path / "events.csv", tmp_path / "recs.csv", StringIO(), StringIO()
    events.write_text(events_csv)
    call_command("recommend", interactions=str(events), output=str(output), k=k, stdout=stdout, stderr=stderr)
    return list(csv.DictReader(output.open())), stdout.getvalue(), stderr.getvalue()


def test_recommend_writes_top_k_per_customer_and_skips_bad_rows(tmp_path):
    rows, stdout, stderr = _recommend(
        tmp_path,
        "customer,product,timestamp,kind\n"
        "ann,tea,2024-01-01T10:00:00,purchase\n"
        "ann,tea,2024-01-05T10:00:00,purchase\n"
        "bob,mug,2024-01-02T10:00:00,purchase\n"
        "bob,tea,not-a-date,purchase\n"
        ",tea,2024-01-02T10:00:00,purchase\n",
        k=2,
    )
    assert [(r["customer"], r["rank"], r["product"]) for r in rows if r["customer"] == "ann"][0] == ("ann", "1", "tea")
    assert {r["customer"] for r in rows} == {"ann", "bob"} and len(rows) == 4
    assert "line 5: skipped" in stderr and "line 6: skipped" in stderr
    assert "rows in: 5, rows written: 4, rows skipped: 2" in stdout


def test_recommend_reads_unix_times_and_other_logs_words_for_kinds(tmp_path):
    rows, stdout, stderr = _recommend(  # RetailRocket's layout: milliseconds, "addtocart", "transaction"
        tmp_path,
        "customer,product,timestamp,kind\n"
        "ann,tea,1704103200000,view\n"
        "ann,tea,1704103260000,addtocart\n"
        "ann,mug,1704103320,Transaction\n"
        "ann,pot,2024-01-03T10:00:00+01:00,Add to cart\n"
        "bob,mug,1704189600,bought\n"
        "bob,tea,1704189600,wishlist\n",
        k=3,
    )
    assert "line 7: skipped: kind 'wishlist' is not one of purchase, cart, view" in stderr
    assert "rows in: 6" in stdout and "rows skipped: 1," in stdout
    assert {r["product"] for r in rows if r["customer"] == "ann"} == {"tea", "mug", "pot"}


def test_parse_timestamp_tells_seconds_from_milliseconds_and_converts_to_utc():
    assert parse_timestamp("1704103200") == parse_timestamp("1704103200000") == datetime(2024, 1, 1, 10, 0)
    assert parse_timestamp("2024-01-01T11:00:00+01:00") == datetime(2024, 1, 1, 10, 0)
    with pytest.raises(ValueError):
        parse_timestamp("99999999999999999999999")
    assert [canonical_kind(k) for k in ("add_to_cart", "ADDTOCART", "Transaction", "page-view", "like")] == [
        "cart", "cart", "purchase", "view", None,
    ]  # fmt: skip
