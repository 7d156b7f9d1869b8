"""Score `match_references` output against the benchmark's truth.

    python -m bench.matching.evaluate truth.jsonl out.jsonl [--split test|calibration|all] [--dump FILE]

`--dump FILE` writes one JSON line per reference that was not answered right (fp, fn, fp+fn):
its truth row, the answer given, its score and the reference itself (from refs.jsonl beside the
truth), to read the errors rather than count them.

Per reference: TP when the DOI given is the expected one; FP when a DOI is given but is wrong
or none was expected; FN when a DOI was expected and none given (a wrong DOI where one was
expected counts as FP and FN, as in Crossref's evaluation). DOIs compare case-insensitively,
with or without a resolver prefix. A reference missing from the output counts as no answer;
a line that cannot be read is skipped and counted.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

STRUCTURED_STYLE = "structured"
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normalise_doi(value) -> str | None:
    if not value or not isinstance(value, str):
        return None
    value = _DOI_PREFIX.sub("", value.strip()).lower()
    return value or None


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn - self._double

    _double: int = 0  # wrong-DOI answers counted as both FP and FN

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, expected: str | None, got: str | None) -> str:
        """Count one reference; returns its outcome: tp, fp, fn, tn or fp+fn."""
        if expected and got == expected:
            self.tp += 1
            return "tp"
        if expected and got:
            self.fp += 1
            self.fn += 1
            self._double += 1
            return "fp+fn"
        if expected:
            self.fn += 1
            return "fn"
        if got:
            self.fp += 1
            return "fp"
        self.tn += 1
        return "tn"


@dataclass
class Report:
    overall: Counts = field(default_factory=Counts)
    by: dict[str, dict[str, Counts]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counts)))
    missing: int = 0  # references with no output line
    unreadable: int = 0  # output lines that are not JSON objects with an id
    unknown: int = 0  # output ids not in the truth
    references: int = 0

    def group(self, name: str) -> dict[str, Counts]:
        return self.by[name]

    @property
    def weakest_style(self) -> tuple[str, Counts] | None:
        styles = {name: c for name, c in self.by["style"].items() if name != STRUCTURED_STYLE}
        if not styles:
            return None
        return min(styles.items(), key=lambda pair: (pair[1].f1, pair[0]))

    @property
    def structured(self) -> Counts:
        """References given as fields (structured category and structured not-in-registry ones)."""
        return self.by["form"].get(STRUCTURED_STYLE) or Counts()


def read_jsonl(path: Path) -> tuple[list[dict], int]:
    rows, bad = [], 0
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                bad += 1
                continue
            if isinstance(row, dict) and "id" in row:
                rows.append(row)
            else:
                bad += 1
    return rows, bad


def evaluate(truth: list[dict], output: list[dict], *, split: str = "test") -> Report:
    report = Report()
    answers: dict[str, str | None] = {}
    for row in output:
        answers[str(row["id"])] = normalise_doi(row.get("DOI"))
    known = set()
    for row in truth:
        known.add(row["id"])
        if split != "all" and row.get("split") != split:
            continue
        report.references += 1
        if row["id"] not in answers:
            report.missing += 1
        expected, got = normalise_doi(row.get("expected")), answers.get(row["id"])
        report.overall.add(expected, got)
        for group in ("style", "category", "kind", "form", "target_kind", "target_type"):
            value = row.get(group)
            if value:
                report.by[group][value].add(expected, got)
                if group == "kind" and "/" in value:  # "held-out/ocr": also counted under "ocr"
                    report.by["degradation"][value.split("/", 1)[1]].add(expected, got)
                elif group == "kind" and row.get("category") == "degraded":
                    report.by["degradation"][value].add(expected, got)
    report.unknown = len(set(answers) - known)
    return report


def errors(truth: list[dict], output: list[dict], references: list[dict], *, split: str = "test") -> list[dict]:
    """The references of `split` answered wrong or not at all, each with what was answered and the reference."""
    answers = {str(row["id"]): row for row in output}
    given = {str(row["id"]): row for row in references}
    wrong = []
    for row in truth:
        if split != "all" and row.get("split") != split:
            continue
        answer = answers.get(row["id"], {})
        outcome = Counts().add(normalise_doi(row.get("expected")), normalise_doi(answer.get("DOI")))
        if outcome in ("tp", "tn"):
            continue
        reference = {k: v for k, v in given.get(row["id"], {}).items() if k != "id"}
        wrong.append({**row, "outcome": outcome, "got": answer.get("DOI"), "score": answer.get("score"),
                      "method": answer.get("method"), "reference": reference})
    return wrong


def format_report(report: Report, *, title: str = "") -> str:
    lines = []
    if title:
        lines.append(title)
    lines.append(f"  references scored: {report.references:,}   no answer in output: {report.missing:,}   "
                 f"unreadable output lines: {report.unreadable:,}   unknown ids: {report.unknown:,}")
    lines.append(_row("overall", report.overall))
    for group, heading in (("category", "per category"), ("style", "per style"), ("form", "per form"),
                           ("kind", "per kind"), ("degradation", "per degradation (in and out of the registry)"),
                           ("target_kind", "per cited work's kind"), ("target_type", "per cited work's type")):
        counts = report.by.get(group)
        if not counts:
            continue
        lines.append(f"  {heading}:")
        for name, c in sorted(counts.items(), key=lambda pair: (-pair[1].total, pair[0])):
            lines.append("  " + _row(name, c))
    weakest = report.weakest_style
    if weakest:
        lines.append(f"  weakest style: {weakest[0]} (F1 {weakest[1].f1:.3f})")
    return "\n".join(lines)


def _row(name: str, c: Counts) -> str:
    return (f"  {name:<44} n={c.total:>6}  P={c.precision:.3f}  R={c.recall:.3f}  F1={c.f1:.3f}"
            f"   tp={c.tp} fp={c.fp} fn={c.fn} tn={c.tn}")


def evaluate_files(truth_path: Path, output_path: Path, *, split: str = "test") -> Report:
    truth, _ = read_jsonl(truth_path)
    output, bad = read_jsonl(output_path) if output_path.exists() else ([], 0)
    report = evaluate(truth, output, split=split)
    report.unreadable = bad
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Score match_references output against truth.jsonl")
    parser.add_argument("truth", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--split", choices=("test", "calibration", "all"), default="test")
    parser.add_argument("--dump", type=Path, help="write the references answered wrong or not at all here (JSON Lines)")
    args = parser.parse_args(argv)
    report = evaluate_files(args.truth, args.output, split=args.split)
    print(format_report(report, title=f"Split: {args.split}"))
    if args.dump:
        references_path = args.truth.with_name("refs.jsonl")
        references = read_jsonl(references_path)[0] if references_path.exists() else []
        wrong = errors(read_jsonl(args.truth)[0], read_jsonl(args.output)[0], references, split=args.split)
        with open(args.dump, "w", encoding="utf-8") as dump:
            dump.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in wrong)
        print(f"{len(wrong):,} references answered wrong or not at all written to {args.dump}")


if __name__ == "__main__":
    main()
