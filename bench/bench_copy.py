"""`make bench`: products per minute for copy generation, batched vs one at a time (see copy_batch.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from copy_batch import main  # noqa: E402

if __name__ == "__main__":
    main()
