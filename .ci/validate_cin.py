"""Check a children in need census export with the DfE rules as data-to-insight code them.

Runs in its own virtual environment (.venv-cin: the validator pins pandas 1.x), never in
Convene's, and uses the validator's Python API, not its printed table:

    .venv-cin/bin/python .ci/validate_cin.py census.xml --ruleset cin2025_26 \
        --min-plans 6 --min-section47 9

Fails (exit 1) when a child protection rule fails (CP_RULES, the list in
shared/standards/cin-census.md), when one of those rules could not run, or when the file holds
fewer plans or section 47 enquiries than expected (so it can never pass on an empty file).
Every other failed rule (assessments, children in need plans, UPNs...) is printed as
information only: Convene does not record those items.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import re
import sys
import warnings
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Any

# The DfE rules about child protection (cin-census.md, "Validation rules that concern child
# protection"). This is the one list CI fails on.
CP_RULES = frozenset(
    {
        "1104",
        "1105",
        "2883",
        "2884",
        "2885",
        "2889",
        "8615",
        "8675Q",
        "8715",
        "8720",
        "8730",
        "8740",
        "8839",
        "8840",
        "8841",
        "8868",
        "8870Q",
        "8875",
        "8890",
        "8905",
        "8910",
        "8915",
        "8920",
        "8925",
        "8930",
        "8935",
        "8940",
        "4001",
        "4003",
        "4016",
        "4017",
    }
)
_CRASHED = re.compile(r"^Error with rule (\S+):", re.MULTILINE)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("xml", help="the census file")
    parser.add_argument("--ruleset", default="cin2025_26", help="e.g. cin2025_26")
    parser.add_argument("--min-plans", type=int, default=1)
    parser.add_argument("--min-section47", type=int, default=1)
    return parser.parse_args()


def _validate(root: ET.Element, ruleset: str) -> tuple[Any, Any, list[str]]:
    """The validator's child-level and authority-level issues, and the rules that crashed."""
    from cin_validator import cin_validator  # type: ignore[import-not-found]  # in .venv-cin

    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    missing = CP_RULES - {str(rule.code) for rule in registry.values()}
    if missing:
        sys.exit(f"The ruleset {ruleset} has no rule {', '.join(sorted(missing))}.")
    printed = io.StringIO()
    # The validator reports a rule that raised by printing it and counting the rule as passed.
    with warnings.catch_warnings(), contextlib.redirect_stdout(printed):
        warnings.simplefilter("ignore")
        data = cin_validator.process_data(cin_validator.convert_data(root))
        validator = cin_validator.CinValidator(data, registry)
    crashed = _CRASHED.findall(printed.getvalue())
    return validator.full_issue_df, validator.multichild_issues, crashed


def main() -> int:
    args = _arguments()
    if args.min_plans < 1 or args.min_section47 < 1:
        sys.exit("Expected at least one plan and one section 47 enquiry: is the demo loaded?")
    root = ET.parse(args.xml).getroot()
    plans = len(root.findall(".//ChildProtectionPlans"))
    section47 = len(root.findall(".//Section47"))
    children = len(root.findall("./Children/Child"))
    print(
        f"{args.xml}: {children} children, {section47} section 47 enquiries, "
        f"{plans} child protection plans; ruleset {args.ruleset}"
    )
    problems: list[str] = []
    if plans < args.min_plans:
        problems.append(f"the export holds {plans} plans, fewer than the {args.min_plans} expected")
    if section47 < args.min_section47:
        problems.append(
            f"the export holds {section47} section 47 enquiries, fewer than the "
            f"{args.min_section47} expected"
        )

    issues, authority_issues, crashed = _validate(root, args.ruleset)
    failed: dict[str, set[str]] = defaultdict(set)
    messages: dict[str, str] = {}
    for row in issues.itertuples(index=False):
        code = str(row.rule_code)
        child = row.child_id
        failed[code].add("(whole return)" if child is None or child != child else str(child))
        messages[code] = str(row.rule_description)
    for row in authority_issues.itertuples(index=False):
        code = str(row.rule_code)
        failed[code].add("(whole return)")
        messages[code] = str(row.rule_description)

    for code in sorted(failed, key=lambda c: (c not in CP_RULES, c)):
        kind = "FAIL (child protection)" if code in CP_RULES else "info"
        children_failing = ", ".join(sorted(failed[code]))
        print(f"  {kind:<23} {code:<6} {messages[code]} -- {children_failing}")
    for code in crashed:
        kind = "FAIL (child protection)" if code in CP_RULES else "info"
        print(f"  {kind:<23} {code:<6} the rule could not run on this file")

    cp_failed = sorted(c for c in failed if c in CP_RULES)
    cp_crashed = sorted(c for c in crashed if c in CP_RULES)
    if cp_failed:
        problems.append(f"child protection rules failed: {', '.join(cp_failed)}")
    if cp_crashed:
        problems.append(f"child protection rules could not run: {', '.join(cp_crashed)}")
    if problems:
        for problem in problems:
            print(f"Census check failed: {problem}", file=sys.stderr)
        return 1
    print(f"Census check passed: no child protection rule failed ({len(CP_RULES)} checked).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
