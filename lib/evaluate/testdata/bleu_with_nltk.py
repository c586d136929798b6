"""Score token lists with NLTK's sentence BLEU, and SQuAD's token F1, for the differential test.

Reads a JSON array of {"name", "answer": [tokens], "reference": [tokens], "squad_answer":
[tokens], "squad_reference": [tokens]} on stdin and writes {"nltk": version, "results": {name:
score}, "f1": {name: score}} on stdout. The BLEU variant is the one lib/evaluate/text_metrics.ts
implements: one reference, uniform weights up to 4-grams, SmoothingFunction().method2,
auto_reweigh=True. The F1 is the SQuAD v1.1 script's f1_score arithmetic on tokens already
normalised (lower case, no punctuation, no articles).
"""
import json
import sys
import warnings
from collections import Counter

import nltk
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu


def squad_f1(prediction, truth):
    common = Counter(prediction) & Counter(truth)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(prediction)
    recall = same / len(truth)
    return (2 * precision * recall) / (precision + recall)


def main() -> None:
    pairs = json.load(sys.stdin)
    smoothing = SmoothingFunction().method2
    out = {"nltk": nltk.__version__, "results": {}, "f1": {}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NLTK warns about zero n-gram overlaps
        for pair in pairs:
            score = sentence_bleu(
                [pair["reference"]],
                pair["answer"],
                smoothing_function=smoothing,
                auto_reweigh=True,
            )
            out["results"][pair["name"]] = float(score)
            if pair["squad_answer"] or pair["squad_reference"]:
                out["f1"][pair["name"]] = squad_f1(pair["squad_answer"], pair["squad_reference"])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
