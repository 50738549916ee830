"""Copy generation throughput: batched versus one product at a time, in one run.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/copy_batch.py
    HF_HUB_OFFLINE=1 .venv/bin/python bench/copy_batch.py --limit 48 --sequential 12 --batch-size 32

Both modes make the same call the copy loop makes on its first attempt
(catalog/writing.py DECODING_SCHEDULE[0], greedy, description prompts from
bench/data/products_eval.csv) with the embedded SmolLM2-135M: batched is one
`generate` over all `--limit` products (the generator batches them by
ECOMOPS_ML_BATCH_GENERATOR, sorted by length, the prompt template's shared start
computed once per batch); one at a time is a `generate` per product over the
first `--sequential` of them (a smaller sample, as it is slow). Prints
products per minute for each and the ratio, and how many of the sampled texts
came out the same both ways (greedy decoding: they should).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", default=str(ROOT / "bench" / "data" / "products_eval.csv"))
    parser.add_argument("--kind", default="description")
    parser.add_argument("--limit", type=int, default=32, help="products generated batched")
    parser.add_argument("--sequential", type=int, default=8, help="of those, products generated one at a time")
    parser.add_argument("--batch-size", type=int, default=0, help="sets ECOMOPS_ML_BATCH_GENERATOR")
    args = parser.parse_args()
    if args.batch_size:
        os.environ["ECOMOPS_ML_BATCH_GENERATOR"] = str(args.batch_size)

    from copy_eval import read_products

    from catalog.numbers import allowed_numbers
    from catalog.prompts import VoiceSpec, build_chat, max_new_tokens
    from catalog.quality import key_phrases
    from catalog.writing import DECODING_SCHEDULE, STOP
    from ecomops.ml import runtime
    from ecomops.ml.generator import Generator

    products = read_products(args.input)[: args.limit]
    voice = VoiceSpec()
    first = DECODING_SCHEDULE[0]
    chats = [build_chat(product=p, kind=args.kind, voice=voice) for p in products]
    numbers = [allowed_numbers(p) for p in products]
    favour = [key_phrases(product=p, kind=args.kind) for p in products]
    decoding = dict(max_new_tokens=max_new_tokens(kind=args.kind, voice=voice), temperature=first.temperature,
                    repetition_penalty=first.repetition_penalty, no_repeat_ngram_size=first.no_repeat_ngram_size,
                    seed=first.seed, stop=STOP)  # fmt: skip
    generator = Generator.load()
    warm_up = {**decoding, "max_new_tokens": 4}
    generator.generate(chats[:1], **warm_up, allowed_numbers=numbers[:1], favour=favour[:1])

    started = time.perf_counter()
    batched = generator.generate(chats, **decoding, allowed_numbers=numbers, favour=favour)
    batched_rate = len(chats) / (time.perf_counter() - started) * 60

    sample = range(min(args.sequential, len(chats)))
    started = time.perf_counter()
    one_by_one = [
        generator.generate([chats[i]], **decoding, allowed_numbers=[numbers[i]], favour=[favour[i]])[0] for i in sample
    ]
    sequential_rate = len(sample) / (time.perf_counter() - started) * 60

    same = sum(batched[i] == one_by_one[i] for i in sample)
    print(f"device {runtime.device()}, threads {os.environ.get('ECOMOPS_ML_THREADS', 'default')}, "
          f"generator batch size {runtime.batch_size('generator')}, kind {args.kind}, "
          f"max_new_tokens {decoding['max_new_tokens']}")  # fmt: skip
    print(f"batched:          {len(chats):3d} products, {batched_rate:6.1f} products/min")
    print(f"one at a time:    {len(sample):3d} products, {sequential_rate:6.1f} products/min")
    print(f"ratio:            {batched_rate / sequential_rate:.1f}x  (same text both ways: {same}/{len(sample)})")


if __name__ == "__main__":
    main()
