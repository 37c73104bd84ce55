#!/usr/bin/env python3
"""The training script that command-example.yaml runs: standard library only, so it works on any Python 3.

It fits a logistic regression by minibatch SGD with decoupled weight decay on a synthetic, seeded
classification task and prints one JSON object per evaluation on stdout, the format Replica's `command`
kind reads as metrics ({"step": 10, "train/loss": 0.53, ...}). Anything else on stdout is kept in the
run's stdout.log. At the end it writes the weights to OUT/model.json, which Replica lists as an artifact.

    python3 train.py --lr=0.01 --wd=0.01 --seed=0 --out=/tmp/run
"""

import argparse
import json
import math
import os
import random
import sys


def make_data(rng, n, dim, teacher):
    """n points in `dim` dimensions labelled by a fixed teacher vector, with 5% of labels flipped."""
    xs, ys = [], []
    for _ in range(n):
        x = [rng.gauss(0.0, 1.0) for _ in range(dim)]
        y = 1 if sum(w * v for w, v in zip(teacher, x)) > 0 else 0
        if rng.random() < 0.05:
            y = 1 - y
        xs.append(x)
        ys.append(y)
    return xs, ys


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def loss_and_accuracy(w, b, xs, ys):
    total, correct = 0.0, 0
    for x, y in zip(xs, ys):
        p = sigmoid(sum(wi * xi for wi, xi in zip(w, x)) + b)
        p = min(max(p, 1e-12), 1.0 - 1e-12)
        total -= y * math.log(p) + (1 - y) * math.log(1.0 - p)
        correct += int((p > 0.5) == (y == 1))
    return total / len(xs), correct / len(xs)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lr", type=float, required=True, help="learning rate")
    parser.add_argument("--wd", type=float, default=0.0, help="decoupled weight decay")
    parser.add_argument("--seed", type=int, default=0, help="seed of the data and the initialisation")
    parser.add_argument("--out", default=".", help="folder for artifacts (Replica passes the run's folder)")
    parser.add_argument("--steps", type=int, default=300, help="optimizer steps")
    parser.add_argument("--batch", type=int, default=32, help="minibatch size")
    parser.add_argument("--eval-every", type=int, default=25, help="steps between evaluations")
    args = parser.parse_args(argv)
    if not (args.lr > 0 and math.isfinite(args.lr)):
        parser.error(f"--lr must be a positive number, got {args.lr}")

    dim = 16
    data_rng = random.Random(1234)  # the task is the same for every run; the seed varies the rest
    teacher = [data_rng.gauss(0.0, 1.0) for _ in range(dim)]
    train_x, train_y = make_data(data_rng, 2000, dim, teacher)
    val_x, val_y = make_data(data_rng, 500, dim, teacher)

    rng = random.Random(args.seed)
    w = [rng.gauss(0.0, 0.01) for _ in range(dim)]
    b = 0.0
    for step in range(1, args.steps + 1):
        batch = [rng.randrange(len(train_x)) for _ in range(args.batch)]
        gw, gb = [0.0] * dim, 0.0
        for i in batch:
            x = train_x[i]
            err = sigmoid(sum(wi * xi for wi, xi in zip(w, x)) + b) - train_y[i]
            for j in range(dim):
                gw[j] += err * x[j]
            gb += err
        # SGD step on the mean gradient, then decoupled weight decay (as in AdamW) on the weights only.
        w = [wi - args.lr * (g / args.batch) - args.lr * args.wd * wi for wi, g in zip(w, gw)]
        b -= args.lr * gb / args.batch
        if step % args.eval_every == 0 or step == args.steps:
            train_loss, train_acc = loss_and_accuracy(w, b, train_x[:500], train_y[:500])
            val_loss, val_acc = loss_and_accuracy(w, b, val_x, val_y)
            print(
                json.dumps(
                    {
                        "step": step,
                        "train/loss": train_loss,
                        "train/accuracy": train_acc,
                        "val/loss": val_loss,
                        "val/accuracy": val_acc,
                    }
                ),
                flush=True,
            )

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "model.json"), "w", encoding="utf-8") as f:
        json.dump({"weights": w, "bias": b, "lr": args.lr, "wd": args.wd, "seed": args.seed}, f, indent=2)
    print(f"wrote {os.path.join(args.out, 'model.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
