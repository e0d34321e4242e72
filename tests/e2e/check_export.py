#!/usr/bin/env python3
"""Checks an exported article-annotator JSON file the way a dataset script would use it.

Usage: check_export.py EXPORT.json [EXPECTED.json]

Every annotation must satisfy text[start:end] == annotation["text"] under Python's code point
slicing, and (version 2) every relation must join two annotations of its own document.
EXPECTED (optional) maps document titles to the [label, text] pairs that must be there (in text
order), or to {"spans": [[label, text], ...], "relations": [[from text, type, to text], ...],
"attributes": [[label, text, name, value], ...]} where relations and attribute values are
compared as sets (relations are written in no particular order). Standard library only.
"""
import json
import sys

LABELS = {"quote", "entity", "claim"}


def check(export_path, expected_path=None):
    with open(export_path, encoding="utf-8") as f:
        data = json.load(f)
    problems = []
    # Version 2 added relations, attribute values, notes and the schema; version 1 files are
    # still read by the app, so both pass.
    if (data.get("format"), data.get("offset_unit")) != ("article-annotator", "codepoint") \
            or data.get("version") not in (1, 2):
        problems.append(f"bad header: {data.get('format')!r} v{data.get('version')!r} {data.get('offset_unit')!r}")
    checked = 0
    for doc in data["documents"]:
        text = doc["text"]
        if "\r" in text:
            problems.append(f"{doc['id']}: text contains \\r")
        ids = set()
        previous = None
        for a in doc["annotations"]:
            checked += 1
            start, end = a["start"], a["end"]
            if not (0 <= start < end <= len(text)):
                problems.append(f"{doc['id']}/{a['id']}: bad offsets {start}..{end} (len {len(text)})")
            elif text[start:end] != a["text"]:
                problems.append(f"{doc['id']}/{a['id']}: text[{start}:{end}] = {text[start:end]!r} != {a['text']!r}")
            if a["label"] not in LABELS:
                problems.append(f"{doc['id']}/{a['id']}: unknown label {a['label']!r}")
            if a["id"] in ids:
                problems.append(f"{doc['id']}: duplicate id {a['id']}")
            ids.add(a["id"])
            key = (start, -end)
            if previous is not None and key < previous:
                problems.append(f"{doc['id']}/{a['id']}: not in text order")
            previous = key
        for r in doc.get("relations", []):
            if r.get("from") not in ids or r.get("to") not in ids or r["from"] == r["to"]:
                problems.append(f"{doc['id']}: relation {r} does not join two of its annotations")
    if expected_path:
        with open(expected_path, encoding="utf-8") as f:
            expected = json.load(f)
        by_title = {d["title"]: d for d in data["documents"]}
        for title, spans in expected.items():
            doc = by_title.get(title)
            if doc is None:
                problems.append(f"missing document {title!r}")
                continue
            if isinstance(spans, dict):
                want = spans
                spans = want.get("spans", [])
            else:
                want = {}
            got = [[a["label"], a["text"]] for a in doc["annotations"]]
            if got != spans:
                problems.append(f"{title!r}: spans differ\n  got      {got}\n  expected {spans}")
            text_of = {a["id"]: a["text"] for a in doc["annotations"]}
            if "relations" in want:
                got_relations = sorted([text_of.get(r["from"]), r["type"], text_of.get(r["to"])]
                                       for r in doc.get("relations", []))
                if got_relations != sorted(want["relations"]):
                    problems.append(f"{title!r}: relations differ\n  got      {got_relations}\n"
                                    f"  expected {sorted(want['relations'])}")
            if "attributes" in want:
                got_values = sorted([a["label"], a["text"], name, value]
                                    for a in doc["annotations"]
                                    for name, value in a.get("attributes", {}).items())
                if got_values != sorted(want["attributes"]):
                    problems.append(f"{title!r}: attribute values differ\n  got      {got_values}\n"
                                    f"  expected {sorted(want['attributes'])}")
    for p in problems:
        print("FAIL", p)
    print(f"check_export: {checked} annotations in {len(data['documents'])} documents, "
          f"{len(problems)} problems")
    return not problems


if __name__ == "__main__":
    sys.exit(0 if check(*sys.argv[1:3]) else 1)
