"""`make bench`: reviews scored per second, batched vs one at a time (see sentiment_speed.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sentiment_speed import main  # noqa: E402

if __name__ == "__main__":
    main()
