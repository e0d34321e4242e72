#!/usr/bin/env python3
"""Reads every dataset file Article Annotator exports, the way a dataset user would, with the
Python standard library only, and checks that every span's offsets reproduce its text.

    python3 tests/interop/check_formats.py DIR [--expect-all]

DIR is searched recursively; files are recognised by their suffix (the names the app gives them).
Offsets are code points (Python `str` indices) everywhere except `*.doccano-utf16.jsonl`, whose
offsets are UTF-16 code units and are checked by slicing the UTF-16 encoding. Formats that do not
repeat each span's text (doccano, CSV) are checked against the native export of the same documents
found in DIR. With --expect-all, every format must be present (the golden files and the end to end
downloads hold all of them). Exits 1 on any problem.
"""

import csv
import io
import json
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

W3C_SOURCES = "article-annotator:sources"
CONTEXT_CHARS = 32

problems = []
checked = {"spans": 0, "files": 0}
seen_formats = set()


def problem(where, message):
    problems.append(f"{where}: {message}")


def utf16_slice(text, start, end):
    units = text.encode("utf-16-le")
    return units[2 * start:2 * end].decode("utf-16-le")


def utf16_to_codepoints(text, offset):
    """The code point index of UTF-16 offset `offset`, or None inside a surrogate pair."""
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        if units > offset:
            return None
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text) if units == offset else None


def check_span(where, text, start, end, quoted):
    checked["spans"] += 1
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        problem(where, f"offsets {start}..{end} are not a span of a {len(text)}-character text")
    elif quoted is not None and text[start:end] != quoted:
        problem(where, f"text[{start}:{end}] is {text[start:end]!r}, the file says {quoted!r}")


# The native export of the same documents, by id: what the formats without quoted text are
# compared with.
reference = {}


def load_native(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "article-annotator" and data["offset_unit"] == "codepoint"
    for doc in data["documents"]:
        spans = set()
        for a in doc["annotations"]:
            check_span(f"{path.name}: {doc['id']} {a['id']}", doc["text"], a["start"], a["end"], a["text"])
            spans.add((a["start"], a["end"], a["label"]))
        reference[doc["id"]] = (doc["text"], spans)


def compare_with_reference(where, doc_id, text, spans):
    if doc_id not in reference:
        problem(where, f"no native export of document {doc_id!r} to compare with")
        return
    ref_text, ref_spans = reference[doc_id]
    if text is not None and text != ref_text:
        problem(where, f"the text of {doc_id!r} differs from the native export")
    if set(spans) != ref_spans:
        problem(where, f"spans of {doc_id!r} differ from the native export: {sorted(set(spans) ^ ref_spans)}")


def check_jsonl(path):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        assert set(row) == {"text", "meta", "spans"}, f"{path.name} line {n}: keys {sorted(row)}"
        for k, s in enumerate(row["spans"], 1):
            check_span(f"{path.name} line {n} span {k}", row["text"], s["start"], s["end"], s["text"])
        compare_with_reference(
            f"{path.name} line {n}", row["meta"]["id"], row["text"],
            [(s["start"], s["end"], s["label"]) for s in row["spans"]])


def check_doccano(path, utf16):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        text = row["text"]
        spans = []
        for k, (start, end, label) in enumerate(row["label"], 1):
            where = f"{path.name} line {n} span {k}"
            if utf16:
                # Slicing the UTF-16 encoding is what a JavaScript consumer does; it must give the
                # same text as the code point span it converts to.
                s, e = utf16_to_codepoints(text, start), utf16_to_codepoints(text, end)
                if s is None or e is None:
                    problem(where, f"UTF-16 offsets {start}..{end} split a character")
                    continue
                if utf16_slice(text, start, end) != text[s:e]:
                    problem(where, "UTF-16 slice and code point slice disagree")
                start, end = s, e
            check_span(where, text, start, end, None)
            spans.append((start, end, label))
        compare_with_reference(f"{path.name} line {n}", row["document_id"], text, spans)


def check_w3c(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "AnnotationCollection", path.name
    assert "anno.jsonld" in data["@context"], path.name
    texts = {s["id"]: s["value"] for s in data[W3C_SOURCES]}
    items = data["first"]["items"]
    if data["total"] != len(items):
        problem(path.name, f"total is {data['total']} but the page has {len(items)} annotations")
    by_source = {}
    for item in items:
        where = f"{path.name} {item['id']}"
        source = item["target"]["source"]
        text = texts.get(source)
        if text is None:
            problem(where, f"no text for source {source}")
            continue
        selectors = {s["type"]: s for s in item["target"]["selector"]}
        position, quote = selectors["TextPositionSelector"], selectors["TextQuoteSelector"]
        start, end = position["start"], position["end"]
        check_span(where, text, start, end, quote["exact"])
        if quote.get("prefix", "") != text[max(0, start - CONTEXT_CHARS):start]:
            problem(where, "prefix is not the 32 code points before the span")
        if quote.get("suffix", "") != text[end:end + CONTEXT_CHARS]:
            problem(where, "suffix is not the 32 code points after the span")
        body = item["body"]
        if body.get("purpose") != "tagging" or body.get("type") != "TextualBody":
            problem(where, "the body is not a tagging TextualBody")
        by_source.setdefault(source, []).append((start, end, body["value"]))
    for source, text in texts.items():
        doc_id = source.rsplit(":", 1)[-1]
        compare_with_reference(path.name, doc_id, text, by_source.get(source, []))


def check_label_studio(path):
    tasks = json.loads(path.read_text(encoding="utf-8"))
    config_path = next(
        (p for p in [path.with_name(path.name.replace(".label-studio.json", ".label-studio-config.xml")),
                     path.with_name("labeling-config.xml")] if p.exists()), None)
    config_labels, from_name, to_name = None, None, None
    if config_path is not None:
        view = ET.parse(config_path).getroot()
        labels = view.find("Labels")
        from_name, to_name = labels.get("name"), labels.get("toName")
        config_labels = {label.get("value") for label in labels.findall("Label")}
        if view.find("Text").get("name") != to_name:
            problem(config_path.name, "the Text tag's name is not the Labels' toName")
    else:
        problem(path.name, "no labeling config next to it")
    for n, task in enumerate(tasks, 1):
        text = task["data"]["text"]
        spans = []
        results = task["annotations"][0]["result"] if task["annotations"] else []
        for result in results:
            where = f"{path.name} task {n} result {result['id']}"
            value = result["value"]
            check_span(where, text, value["start"], value["end"], value["text"])
            if (result["from_name"], result["to_name"]) != (from_name, to_name):
                problem(where, "from_name/to_name do not match the labeling config")
            for label in value["labels"]:
                if config_labels is not None and label not in config_labels:
                    problem(where, f"label {label!r} is not in the labeling config")
                spans.append((value["start"], value["end"], label))
        compare_with_reference(f"{path.name} task {n}", task["data"]["document_id"], text, spans)


def check_ann(where, text, ann):
    for n, line in enumerate(ann.splitlines(), 1):
        if not line.startswith("T"):
            continue
        _, type_and_offsets, quoted = line.split("\t", 2)
        fragments = type_and_offsets.split(" ", 1)[1].split(";")
        parts = []
        for fragment in fragments:
            start, end = map(int, fragment.split(" "))
            checked["spans"] += 1
            if not 0 <= start <= end <= len(text):
                problem(f"{where} line {n}", f"fragment {start}..{end} is outside the text")
            parts.append(text[start:end])
        if " ".join(parts) != quoted:
            problem(f"{where} line {n}", f"fragments give {' '.join(parts)!r}, the file says {quoted!r}")


def check_brat_zip(path):
    with zipfile.ZipFile(path) as archive:
        if archive.testzip() is not None:
            problem(path.name, "a CRC does not match")
        names = set(archive.namelist())
        if "annotation.conf" not in names:
            problem(path.name, "no annotation.conf")
        for name in sorted(n for n in names if n.endswith(".ann")):
            txt = name[:-4] + ".txt"
            if txt not in names:
                problem(path.name, f"{name} has no {txt}")
                continue
            text = archive.read(txt).decode("utf-8")
            check_ann(f"{path.name}/{name}", text, archive.read(name).decode("utf-8"))


def check_ann_file(path):
    txt = path.with_suffix(".txt")
    check_ann(path.name, txt.read_bytes().decode("utf-8"), path.read_bytes().decode("utf-8"))


def check_csv(path):
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if rows[0] != ["doc_id", "title", "label", "start", "end", "text"]:
        problem(path.name, f"header is {rows[0]}")
    for n, (doc_id, _title, _label, start, end, quoted) in enumerate(rows[1:], 2):
        if doc_id not in reference:
            problem(f"{path.name} row {n}", f"no native export of {doc_id!r} to compare with")
            continue
        check_span(f"{path.name} row {n}", reference[doc_id][0], int(start), int(end), quoted)


CHECKS = [
    (".doccano-utf16.jsonl", "doccano UTF-16", lambda p: check_doccano(p, utf16=True)),
    (".doccano.jsonl", "doccano", lambda p: check_doccano(p, utf16=False)),
    (".jsonl", "JSONL", check_jsonl),
    (".w3c.jsonld", "W3C", check_w3c),
    (".label-studio.json", "Label Studio", check_label_studio),
    (".brat.zip", "brat", check_brat_zip),
    (".ann", "brat", check_ann_file),
    (".csv", "CSV", check_csv),
]


def main():
    root = Path(sys.argv[1])
    expect_all = "--expect-all" in sys.argv[2:]
    files = sorted(p for p in root.rglob("*") if p.is_file())
    # Native exports first: the others are compared with them.
    for path in files:
        if path.name.endswith(".annotations.json"):
            load_native(path)
            checked["files"] += 1
            seen_formats.add("native")
    for path in files:
        for suffix, name, check in CHECKS:
            if path.name.endswith(suffix):
                try:
                    check(path)
                except (KeyError, ValueError, TypeError, AssertionError, IndexError) as e:
                    problem(path.name, f"unreadable as {name}: {type(e).__name__}: {e}")
                checked["files"] += 1
                seen_formats.add(name)
                break
    expected = {"native"} | {name for _, name, _ in CHECKS}
    if expect_all and not expected <= seen_formats:
        problem(str(root), f"no file of: {', '.join(sorted(expected - seen_formats))}")
    for p in problems:
        print("PROBLEM", p)
    print(f"check_formats: {checked['spans']} spans in {checked['files']} files "
          f"({', '.join(sorted(seen_formats))}), {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
