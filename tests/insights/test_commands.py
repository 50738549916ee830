from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests import factories


def _run(tmp_path, content: str, *args):
    source, target = tmp_path / "reviews.csv", tmp_path / "scored.csv"
    source.write_text(content)
    out, err = StringIO(), StringIO()
    call_command("score_sentiment", "--input", str(source), "--output", str(target), *args, stdout=out, stderr=err)
    with target.open() as fh:
        return list(csv.DictReader(fh)), out.getvalue(), err.getvalue()


def test_score_sentiment_writes_label_probability_score_beside_each_row(tmp_path):
    rows, out, _ = _run(tmp_path, "id,text\n1,Love it\n2,Terrible product\n")
    assert [(r["id"], r["label"]) for r in rows] == [("1", "positive"), ("2", "negative")]
    assert float(rows[0]["probability"]) == pytest.approx(0.9)
    assert float(rows[1]["score"]) < 0
    assert out.startswith("rows in: 2, rows written: 2, rows skipped: 0")


def test_malformed_rows_are_reported_and_skipped_and_empty_texts_kept_unlabelled(tmp_path):
    rows, out, err = _run(tmp_path, "id,text\n1,Love it\n2,\n3,ok,extra\n4,Great\n")
    assert [(r["id"], r["label"]) for r in rows] == [("1", "positive"), ("2", ""), ("4", "positive")]
    assert "line 3: empty 'text': written without a label" in err
    assert "line 4: skipped" in err
    assert "rows in: 4, rows written: 3, rows skipped: 1" in out


def test_other_text_column(tmp_path):
    rows, _, _ = _run(tmp_path, "review_body,stars\nAwful,1\n", "--text-column", "review_body")
    assert rows[0]["label"] == "negative" and rows[0]["stars"] == "1"


def test_windows_1252_and_semicolon_spreadsheets_are_read(tmp_path, capsys):
    source, target = tmp_path / "reviews.csv", tmp_path / "scored.csv"
    source.write_bytes("id;text\r\n1;Caf\u00e9 cr\u00e8me was awful\r\n".encode("cp1252"))
    call_command("score_sentiment", "--input", str(source), "--output", str(target), stdout=StringIO())
    with target.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["id"], r["text"], r["label"]) for r in rows] == [("1", "Caf\u00e9 cr\u00e8me was awful", "negative")]
    assert "not UTF-8, read as Windows-1252" in capsys.readouterr().err


def test_missing_text_column_stops_with_a_message(tmp_path):
    with pytest.raises(CommandError, match="missing column"):
        _run(tmp_path, "body\nhello\n")


def test_score_sentiment_batches(tmp_path, fake_sentiment):
    _run(tmp_path, "text\n" + "Great\n" * 5, "--batch-size", "2")
    assert fake_sentiment.calls == [2, 2, 1]


@pytest.mark.django_db
def test_train_sentiment_unknown_store():
    with pytest.raises(CommandError, match="No store"):
        call_command("train_sentiment", "--store", "nope")


@pytest.mark.django_db
def test_train_sentiment_needs_reviews(store):
    factories.ReviewFactory(store=store)
    with pytest.raises(CommandError, match="at least 30"):
        call_command("train_sentiment", "--store", store.slug)
