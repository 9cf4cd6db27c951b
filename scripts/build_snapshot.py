"""Cut the bundled offline snapshot from a corpus file: the latest N listing days, fields trimmed.

python scripts/build_snapshot.py bench/data/hf_papers_corpus.jsonl.gz --days 75
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from bot.sources.corpus import CorpusRow

KEEP = list(CorpusRow.model_fields)  # what a corpus line is read for
OUT = Path(__file__).resolve().parent.parent / "bot" / "data" / "snapshot.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--days", type=int, default=75)
    args = parser.parse_args()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    days = sorted({row["daily_date"] for row in rows})[-args.days :]
    keep = set(days)
    chosen = sorted((r for r in rows if r["daily_date"] in keep), key=lambda r: (r["daily_date"], r["rank_in_file"]))
    lines = "".join(
        json.dumps({k: r.get(k) for k in KEEP}, ensure_ascii=False, separators=(",", ":")) + "\n" for r in chosen
    )
    # mtime=0: the same corpus always gives the same bytes, so the file only changes when its data does
    OUT.write_bytes(gzip.compress(lines.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{OUT}: {len(chosen)} listings over {len(days)} days, {days[0]} to {days[-1]}")


if __name__ == "__main__":
    main()
