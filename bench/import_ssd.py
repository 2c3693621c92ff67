"""How long `import_ssd` takes on a synthetic 10,000-child extract: fresh, again, and newer.

Run by hand (not a test): `.venv/bin/python bench/import_ssd.py [--children 10000]`.
It writes extracts with bench/ssd_generator.py under var/bench/, builds a throwaway SQLite
database there, and times:

1. a fresh import of the extract;
2. a re-import of the same extract, which must create and update nothing;
3. an update: the same history taken six months earlier is imported into an emptied database,
   then the current extract is timed over it (plans ended, reviews held, new referrals since).

It prints the machine, the Python version, the rows and the timings. Results go in
docs/performance.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "var" / "bench"
DB = BENCH / "import_ssd.sqlite3"

# Run as a script, this folder is on the path: the generator sits beside this file.
from ssd_generator import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 24))
    args = parser.parse_args()

    extract = BENCH / f"ssd-extract-{args.children}"
    older = BENCH / f"ssd-extract-{args.children}-six-months-earlier"
    started = time.perf_counter()
    counts = generate(extract, args.children, today=args.today)
    generated = time.perf_counter() - started
    generate(older, args.children, today=args.today, as_of=args.today - timedelta(days=182))

    DB.parent.mkdir(parents=True, exist_ok=True)
    DB.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "convene.settings.test"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from convene.returns.ssd import import_extract

    print(f"machine: {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.platform()}, {os.cpu_count()} CPUs")  # fmt: skip
    print(f"extract: {extract} ({generated:.1f} s to generate)")
    for table, count in counts.items():
        print(f"  {table + '.csv':<32} {count:>9,} rows")
    print(f"  {'total':<32} {sum(counts.values()):>9,} rows")

    def timed(title: str, directory: Path) -> int:
        result = import_extract(directory)
        if not result.ok:
            for problem in result.problems[:20]:
                print(problem)
            sys.exit(f"{title}: {len(result.problems)} problems")
        print(f"\n{title}: {result.seconds:.2f} s")
        for name, tally in result.tallies.items():
            print(f"  {name:<26} {tally.created:>8,} created {tally.updated:>8,} updated "
                  f"{tally.unchanged:>8,} unchanged")  # fmt: skip
        return sum(t.created + t.updated for t in result.tallies.values())

    timed("1. fresh import", extract)
    if changed := timed("2. re-import of the same extract", extract):
        sys.exit(f"the re-import created or updated {changed} records: it must change nothing")
    call_command("flush", interactive=False, verbosity=0)
    import_extract(older)
    timed("3. the current extract over one taken six months earlier", extract)


if __name__ == "__main__":
    main()
