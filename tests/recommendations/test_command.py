from __future__ import annotations

import csv
from io import StringIO

from django.core.management import call_command


def test_recommend_writes_top_k_per_customer_and_skips_bad_rows(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text(
        "customer,product,timestamp,kind\n"
        "ann,tea,2024-01-01T10:00:00,purchase\n"
        "ann,tea,2024-01-05T10:00:00,purchase\n"
        "bob,mug,2024-01-02T10:00:00,purchase\n"
        "bob,tea,not-a-date,purchase\n"
        ",tea,2024-01-02T10:00:00,purchase\n"
    )
    output, stdout, stderr = tmp_path / "recs.csv", StringIO(), StringIO()
    # when
    call_command("recommend", interactions=str(events), output=str(output), k=2, stdout=stdout, stderr=stderr)
    # then
    rows = list(csv.DictReader(output.open()))
    assert [(r["customer"], r["rank"], r["product"]) for r in rows if r["customer"] == "ann"][0] == ("ann", "1", "tea")
    assert {r["customer"] for r in rows} == {"ann", "bob"} and len(rows) == 4
    assert "line 5: skipped" in stderr.getvalue() and "line 6: skipped" in stderr.getvalue()
    assert "rows in: 5, rows written: 4, rows skipped: 2" in stdout.getvalue()
