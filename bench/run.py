"""`make bench`: run every benchmark in bench/ and print one JSON document.

BENCH_SECONDS sets the measuring time per load (default 10), BENCH_REPEATS the rounds whose
median is reported (default 3). Runs on SQLite unless
DATABASE_URL is set; the issue targets are stated for PostgreSQL.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import list_page


def main():
    seconds = float(os.environ.get("BENCH_SECONDS", "10"))
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    results = [list_page.main(seconds=seconds, repeats=repeats)]
    print(json.dumps({"benchmarks": results}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
