"""`make bench`: recommender training time at 10k/100k/1M interactions, a full `recommend` at 200k, and the
recommendation API's latency under load (see recommender_speed.py and recommender_api.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import recommender_api  # noqa: E402
import recommender_speed  # noqa: E402

if __name__ == "__main__":
    recommender_speed.main()
    print()
    recommender_api.main()
