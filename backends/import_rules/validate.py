"""Check country files against the schema: ``python -m backends.import_rules.validate [FILE ...]``.

Without arguments it checks every file in backends/seed_data/import_rules/.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Tuple

import yaml
from pydantic import ValidationError

from backends.import_rules.schema import CountryRules

RULES_DIR = Path(__file__).resolve().parent.parent / "seed_data" / "import_rules"


def country_files() -> List[Path]:
    return sorted(RULES_DIR.glob("[A-Z][A-Z].yml"))


def read_country(path: Path) -> CountryRules:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    rules = CountryRules.parse_obj(data)
    if rules.country != path.stem:
        raise ValueError(f"{path.name} describes {rules.country}; the file is named after its country")
    for threshold in (rules.duty_free_threshold, rules.tax_free_threshold):
        if threshold.amount is not None:
            threshold.amount.minor()
    return rules


def check(paths: List[Path]) -> List[Tuple[Path, str]]:
    problems = []
    for path in paths:
        try:
            read_country(path)
        except (ValidationError, ValueError, yaml.YAMLError) as error:
            problems.append((path, str(error)))
    return problems


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in argv] or country_files()
    problems = check(paths)
    for path, problem in problems:
        print(f"{path}: {problem}\n", file=sys.stderr)
    print(f"{len(paths) - len(problems)} of {len(paths)} country files valid")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
