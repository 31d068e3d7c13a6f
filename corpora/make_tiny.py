"""Write ``tiny-sentiment.csv``: 400 short made-up reviews for fast tests and demos.

Sentences are built from templates with a fixed seed, so the file is reproducible. Positive and
negative reviews share their frame words and differ in their opinion words; some put the opinion at
the start, some at the end, so one-directional and bidirectional models both have something to learn.
Run: python corpora/make_tiny.py
"""

import csv
import random
from pathlib import Path

POSITIVE = ["wonderful", "great", "excellent", "moving", "superb", "delightful", "brilliant", "charming"]
NEGATIVE = ["awful", "boring", "terrible", "dull", "dreadful", "clumsy", "tedious", "weak"]
SUBJECTS = ["the acting", "the plot", "the film", "the story", "the music", "the script", "the cast", "the ending"]
FILLERS = ["honestly", "as far as i can tell", "from start to finish", "for the most part", "to be fair", "overall"]
TEMPLATES = [
    "{subject} was {opinion}",
    "{filler} {subject} was {opinion}",
    "{opinion} , that is how {subject} felt {filler}",
    "i thought {subject} was {opinion} and {opinion2}",
    "{subject} felt {opinion} {filler}",
]


def review(rng: random.Random, label: int) -> str:
    words = POSITIVE if label else NEGATIVE
    return rng.choice(TEMPLATES).format(
        subject=rng.choice(SUBJECTS), filler=rng.choice(FILLERS), opinion=rng.choice(words), opinion2=rng.choice(words)
    ).capitalize() + "."


def main() -> None:
    rng = random.Random(7)
    rows = [(review(rng, label), label) for label in (1, 0) * 200]
    path = Path(__file__).with_name("tiny-sentiment.csv")
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        writer.writerows(rows)


if __name__ == "__main__":
    main()
