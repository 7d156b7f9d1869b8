"""The matching benchmark's scorer, on hand-made truth and outputs."""
from __future__ import annotations

import json

import pytest

from bench.matching.evaluate import errors, evaluate, evaluate_files, normalise_doi
from bench.matching.run import final_line


def truth_row(ref_id, expected, *, style="apa", category="unstructured", form="unstructured", split="test", kind="clean"):
    return {"id": ref_id, "expected": expected, "style": style, "category": category, "kind": kind, "form": form, "split": split}


TRUTH = [
    truth_row("a", "10.1/aa"),  # answered right: TP
    truth_row("b", "10.1/bb"),  # answered with another DOI: FP and FN
    truth_row("c", "10.1/cc", style="ieee"),  # no answer: FN
    truth_row("d", None, style="ieee", category="not-in-registry", kind="held-out"),  # answered: FP
    truth_row("e", None, style="ieee", category="not-in-registry", kind="near-miss"),  # null: TN
    truth_row("f", "10.1/ff", style="structured", category="structured", form="structured", kind="structured-full"),  # TP
    truth_row("g", "10.1/gg", split="calibration"),  # not scored on the test split
]
OUTPUT = [
    {"id": "a", "DOI": "https://doi.org/10.1/AA", "score": 0.9, "method": "unstructured"},
    {"id": "b", "DOI": "10.1/xx", "score": 0.8, "method": "unstructured"},
    {"id": "c", "DOI": None, "score": 0.1, "method": "unstructured"},
    {"id": "d", "DOI": "10.1/dd", "score": 0.7, "method": "unstructured"},
    {"id": "e", "DOI": None, "score": 0.0, "method": "unstructured"},
    {"id": "f", "DOI": "10.1/ff", "score": 1.0, "method": "structured"},
    {"id": "g", "DOI": None, "score": 0.0, "method": "unstructured"},
]


def test_counts_tp_fp_fn_per_reference():
    report = evaluate(TRUTH, OUTPUT)
    c = report.overall
    assert (c.tp, c.fp, c.fn, c.tn) == (2, 2, 2, 1)
    assert report.references == 6
    assert c.precision == pytest.approx(2 / 4)
    assert c.recall == pytest.approx(2 / 4)
    assert c.f1 == pytest.approx(0.5)


def test_groups_by_style_category_and_form():
    report = evaluate(TRUTH, OUTPUT)
    ieee = report.by["style"]["ieee"]
    assert (ieee.tp, ieee.fp, ieee.fn, ieee.tn) == (0, 1, 1, 1)
    assert report.by["category"]["not-in-registry"].fp == 1
    assert report.structured.f1 == 1.0
    assert report.weakest_style[0] == "ieee"  # "structured" is not a style


def test_calibration_split_is_scored_apart():
    report = evaluate(TRUTH, OUTPUT, split="calibration")
    assert report.references == 1 and report.overall.fn == 1


def test_missing_and_unreadable_output_lines_are_no_answers(tmp_path):
    truth_path, out_path = tmp_path / "truth.jsonl", tmp_path / "out.jsonl"
    truth_path.write_text("".join(json.dumps(row) + "\n" for row in TRUTH))
    out_path.write_text(json.dumps(OUTPUT[0]) + "\nnot json\n" + json.dumps({"id": "zz", "DOI": "10.1/zz"}) + "\n")
    report = evaluate_files(truth_path, out_path)
    assert report.overall.tp == 1 and report.missing == 5 and report.unreadable == 1 and report.unknown == 1
    assert evaluate_files(truth_path, tmp_path / "absent.jsonl").overall.tp == 0


def test_doi_forms_compare_equal():
    assert normalise_doi("https://doi.org/10.1/AbC") == normalise_doi("doi:10.1/abc") == "10.1/abc"
    assert normalise_doi("") is None and normalise_doi(None) is None


def test_final_line_has_every_figure_in_order():
    figures = {"precision": 0.9981, "recall": 0.9, "f1": 0.95, "refs_per_s": 312.4, "doi_refs_per_s": 4000.0,
               "speedup_2w": 1.8, "weakest_style_f1": 0.91, "structured_f1": float("nan")}
    assert final_line(figures) == (
        "precision=0.998 recall=0.900 f1=0.950 refs_per_s=312 doi_refs_per_s=4000 speedup_2w=1.80 "
        "weakest_style_f1=0.910 structured_f1=nan"
    )


def test_errors_lists_each_wrong_or_missing_answer_with_its_reference():
    references = [{"id": ref_id, "unstructured": f"reference {ref_id}"} for ref_id in "abcdefg"]
    wrong = {row["id"]: row for row in errors(TRUTH, OUTPUT, references)}
    assert sorted(wrong) == ["b", "c", "d"]  # a, f right; e rightly null; g on the calibration split
    assert wrong["b"]["outcome"] == "fp+fn" and wrong["b"]["got"] == "10.1/xx" and wrong["b"]["expected"] == "10.1/bb"
    assert wrong["c"]["outcome"] == "fn" and wrong["d"]["outcome"] == "fp"
    assert wrong["d"]["reference"] == {"unstructured": "reference d"}
    assert [row["id"] for row in errors(TRUTH, OUTPUT, references, split="calibration")] == ["g"]
