"""Generate -> clean -> check -> retry: the loop that turns products into checked copy.

Pure Python, no Django: services, the `generate_copy` command and benchmarks
call `write_copies` with a generator (and optionally an embedder) from
`ecomops.ml.registry`. Each attempt is ONE batched generator call for every
item still failing; a retry changes the seed, temperature and penalty and
tells the model which key facts its last try left out. Nothing here writes
copy itself: a text that fails every attempt is returned flagged (fails
closed), never replaced by a template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from catalog.claims import words_to_keep_out
from catalog.numbers import allowed_numbers
from catalog.prompts import PROMPT_VERSION, ProductFacts, VoiceSpec, build_chat, max_new_tokens
from catalog.quality import (
    check_copy,
    clean_copy,
    failure_score,
    key_attributes,
    key_phrases,
    passed,
)
from ecomops.ml.generator import generate_resilient


@dataclass(frozen=True)
class Decoding:
    temperature: float
    repetition_penalty: float
    no_repeat_ngram_size: int
    seed: int
    samples: int = 1  # candidates per failing item, all in the attempt's one batched call


# Attempt 1 is greedy: deterministic, and the best single try. The penalty counts
# the generated tokens only (Generator.generate), so product names copied from
# the facts are not pushed away. Retries sample two candidates per failing item,
# told which key facts the best try so far left out, with a stronger penalty;
# the best candidate of all attempts is kept (bench/copy_eval.py: first attempt
# vs after retry).
DECODING_SCHEDULE = (
    Decoding(temperature=0.0, repetition_penalty=1.15, no_repeat_ngram_size=3, seed=0),
    Decoding(temperature=0.7, repetition_penalty=1.2, no_repeat_ngram_size=3, seed=1, samples=2),
    Decoding(temperature=0.9, repetition_penalty=1.25, no_repeat_ngram_size=3, seed=2, samples=2),
)
MAX_ATTEMPTS = len(DECODING_SCHEDULE)
STOP = ("\n\n",)  # the copy is one paragraph; what follows a blank line is the model rambling on


@dataclass
class CopyResult:
    product: ProductFacts
    kind: str
    text: str
    flags: dict
    passed: bool
    attempts: int
    model_version: str
    prompt_version: str = PROMPT_VERSION
    generated_by_model: bool = True  # always: this loop never fills in template text
    history: list[str] = field(default_factory=list, repr=False)  # every candidate's cleaned text, in order


def write_copies(
    *,
    items: Sequence[tuple[ProductFacts, str]],
    voice: VoiceSpec,
    generator,
    embedder=None,
    max_attempts: int = MAX_ATTEMPTS,
    existing_texts: dict[str, Sequence[str]] | None = None,
) -> list[CopyResult]:
    """One checked CopyResult per (product, kind), in input order.

    `existing_texts` maps a kind to other products' copy already in the store,
    for the near-duplicate check (copies in this batch are checked against each
    other too). Makes at most `max_attempts` generator calls in all."""
    existing_texts = existing_texts or {}
    version = getattr(generator, "version", type(generator).__name__)
    results = [CopyResult(product=p, kind=str(k), text="", flags={}, passed=False, attempts=0, model_version=version)
               for p, k in items]  # fmt: skip
    embeddings: list = [None] * len(results)
    pending = list(range(len(results)))
    for attempt, decoding in enumerate(DECODING_SCHEDULE[: max(1, max_attempts)]):
        if not pending:
            break
        rows = [index for index in pending for _ in range(decoding.samples)]
        texts = _generate(results, rows, voice=voice, generator=generator, decoding=decoding, attempt=attempt)
        fresh = embedder.embed(texts) if embedder is not None else [None] * len(texts)
        for index in pending:
            results[index].attempts = attempt + 1
        for index, text, embedding in zip(rows, texts, fresh):
            _consider(results, embeddings, index, text, embedding, voice=voice, existing=existing_texts)
        pending = [i for i in pending if not results[i].passed]
    for index in range(len(results)):  # later items' retries may have changed what earlier ones are compared to
        _recheck(results, embeddings, index, voice=voice, existing=existing_texts)
    return results


def _generate(results, pending, *, voice, generator, decoding, attempt) -> list[str]:
    chats, numbers, favour, avoid, limit = [], [], [], [], 0
    for index in pending:
        result = results[index]
        hint = _missing_facts(result) if attempt else []
        chats.append(build_chat(product=result.product, kind=result.kind, voice=voice, must_mention=hint))
        numbers.append(allowed_numbers(result.product))
        favour.append(key_phrases(product=result.product, kind=result.kind))
        avoid.append([*words_to_keep_out(result.product), *voice.words_to_avoid])
        limit = max(limit, max_new_tokens(kind=result.kind, voice=voice))
    raw = generate_resilient(
        generator,
        chats,
        max_new_tokens=limit,
        temperature=decoding.temperature,
        repetition_penalty=decoding.repetition_penalty,
        no_repeat_ngram_size=decoding.no_repeat_ngram_size,
        seed=decoding.seed,
        stop=STOP,
        allowed_numbers=numbers,
        favour=favour,
        avoid=avoid,
    )
    return [clean_copy(text, kind=results[i].kind) for i, text in zip(pending, raw)]


def _missing_facts(result: CopyResult) -> list[str]:
    """The key facts the best attempt so far left out, as values to mention."""
    missing = [role.strip() for role in str(result.flags.get("attributes_missing", "")).split(",") if role.strip()]
    keys = key_attributes(result.product)
    return [keys[role] for role in missing if role in keys]


def _others(results, embeddings, index, existing):
    """Other products' copy of the same kind: the store's, then this batch's earlier items."""
    me = results[index]
    same = [j for j in range(index) if results[j].kind == me.kind and results[j].text
            and results[j].product != me.product]  # fmt: skip
    texts = [*existing.get(me.kind, ()), *(results[j].text for j in same)]
    vectors = [embeddings[j] for j in same if embeddings[j] is not None]
    return texts, (vectors if len(vectors) == len(same) and not existing.get(me.kind) else None)


def _flags(results, embeddings, index, text, embedding, *, voice, existing) -> dict:
    others, other_vectors = _others(results, embeddings, index, existing)
    result = results[index]
    return check_copy(text=text, product=result.product, kind=result.kind, voice=voice, other_texts=others,
                      embedding=embedding, other_embeddings=other_vectors or None)  # fmt: skip


def _consider(results, embeddings, index, text, embedding, *, voice, existing) -> None:
    """Keep this attempt if it passes or fails less badly than the best so far."""
    result = results[index]
    flags = _flags(results, embeddings, index, text, embedding, voice=voice, existing=existing)
    result.history.append(text)
    if result.passed:
        return  # an earlier sample of this round already passed
    if len(result.history) == 1 or passed(flags) or failure_score(flags) < failure_score(result.flags):
        result.text, result.flags, result.passed = text, flags, passed(flags)
        embeddings[index] = embedding


def _recheck(results, embeddings, index, *, voice, existing) -> None:
    result = results[index]
    result.flags = _flags(results, embeddings, index, result.text, embeddings[index], voice=voice, existing=existing)
    result.passed = passed(result.flags)
