"""Score token lists with NLTK's sentence BLEU, for the BLEU differential test.

Reads a JSON array of {"name", "answer": [tokens], "reference": [tokens]} on stdin and writes
{"nltk": version, "results": {name: score}} on stdout. The variant is the one
lib/evaluate/text_metrics.ts implements: one reference, uniform weights up to 4-grams,
SmoothingFunction().method2, auto_reweigh=True.
"""
import json
import sys
import warnings

import nltk
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu


def main() -> None:
    pairs = json.load(sys.stdin)
    smoothing = SmoothingFunction().method2
    out = {"nltk": nltk.__version__, "results": {}}
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
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
