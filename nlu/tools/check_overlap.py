"""Check candidate messages against the published corpus before they go anywhere near training.

    .venv/bin/python -m nlu.tools.check_overlap candidates.yml [--threshold 75]

`candidates.yml` is Rasa NLU YAML whose examples are preceded by `# <url>` comment lines (the page
each message was read on). A candidate overlaps when its url is one of the corpus's (query and
`/amp` ignored) or its text is close to a corpus message (rapidfuzz ratio; partial ratio for longer
texts). Only the candidate lines are printed, never a corpus text, so the untouched half stays
unread. Collecting issue 22's fourth pass from public pages, 60-90% of candidates overlapped: the
corpus was collected from the same pages, so check every new quote.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from rapidfuzz import fuzz

from nlu import published
from nlu.normalize import normalize
from nlu.training_data import parse_annotated

_URL = re.compile(r"#\s*(https?://\S+)")
_EXAMPLE = re.compile(r"^\s*- (?!intent:)(.+)$")
PARTIAL_MIN_CHARS = 30  # below this a partial match is meaningless


def url_key(url: str) -> str:
    """A page's url without query, fragment, trailing slash or AMP suffix, lower-cased."""
    return re.sub(r"/amp$", "", url.split("#")[0].split("?")[0].rstrip("/")).replace("/amp/", "/").lower()


def similarity(a: str, b: str) -> float:
    if min(len(a), len(b)) > PARTIAL_MIN_CHARS:
        return float(fuzz.partial_ratio(a, b))
    return float(fuzz.ratio(a, b))


def overlaps(candidates: str, threshold: float) -> list[str]:
    """Lines of the candidates file that overlap the published corpus (by url or by text)."""
    corpus = published.load_published()
    urls = {url_key(ex.url) for ex in corpus}
    texts = [normalize(ex.text) for ex in corpus]
    found: list[str] = []
    for line in candidates.splitlines():
        if m := _URL.search(line):
            if url_key(m.group(1)) in urls:
                found.append(f"url already in the corpus: {m.group(1)}")
            continue
        if m := _EXAMPLE.match(line):
            text = normalize(parse_annotated(m.group(1))[0])
            best = max((similarity(text, t) for t in texts), default=0.0)
            if best >= threshold:
                found.append(f"text close to a corpus message ({best:.0f}): {m.group(1)[:100]}")
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("candidates", type=Path)
    ap.add_argument("--threshold", type=float, default=75.0, help="similarity (0-100) counted as overlap")
    args = ap.parse_args()
    found = overlaps(args.candidates.read_text(encoding="utf-8"), args.threshold)
    for line in found:
        print(line)
    print(f"{len(found)} overlapping line(s)")
    raise SystemExit(1 if found else 0)


if __name__ == "__main__":
    main()
