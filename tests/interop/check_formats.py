#!/usr/bin/env python3
"""Reads every dataset file Article Annotator exports, the way a dataset user would, with the
Python standard library only, and checks that every span's offsets reproduce its text.

    python3 tests/interop/check_formats.py DIR [--expect-all]

    python3 tests/interop/check_formats.py DIR --schema FILE

DIR is searched recursively; files are recognised by their suffix (the names the app gives them).
Offsets are code points (Python `str` indices) everywhere except `*.doccano-utf16.jsonl`, whose
offsets are UTF-16 code units and are checked by slicing the UTF-16 encoding. Formats that do not
repeat each span's text (doccano, CSV) are checked against the native export of the same documents
found in DIR. With --expect-all, every format must be present (the golden files and the end to end
downloads hold all of them). Exits 1 on any problem.

Relations: in every format that carries them, each relation's two ends must be spans of the same
document, named as that format names them (native and CSV: annotation ids; JSONL: indices into
`spans`; doccano: entity `id`s; Label Studio: region ids; brat: `T` ids; W3C: annotation IRIs),
and, except in brat (whose type names are not our label names), the relations must be the native
export's, span for span. A file without relations is fine; the relations checked are counted.

Authors (who made and who last changed each span): every format that carries them states them
its own way (JSONL: a span's `made_by` / `changed_by` and `meta.annotators`; W3C: `creator` and
`article-annotator:changed_by`, Person agents; Label Studio: one annotation entry per maker, its
`created_username`, and a labels result's `meta.changed_by`; brat: `\@\@made_by=` and
`\@\@changed_by=` entries of a span's AnnotatorNotes; CSV: the `made_by` and `changed_by`
columns; native: `made_by` / `changed_by`). Each name must be one a person can have in the app
(one trimmed line of at most 64 characters, no comma), and every file's authors of a document must
agree span for span with every other file's in DIR (the native export's too, where it has any).
Label Studio entries are also read the way label-studio-converter reads them (each has a `result`
list; `completed_by`, when present, is a user id or an object with an `email`).

Attribute values: each one is looked up in the label schema: the `schema` of a native export in
the file's own folder, else of DIR/source.annotations.json, else of --schema FILE (a native export
or a schema file). A value the schema lacks is printed as a FINDING, not a problem: datasets may
hold values the schema does not list (the shared fixture does, on purpose).
"""

import csv
import io
import json
import sys
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

W3C_SOURCES = "article-annotator:sources"
W3C_ATTRIBUTE = "article-annotator:attribute"
W3C_DOCUMENT = "urn:article-annotator:document:"
CONTEXT_CHARS = 32
# brat writes the built-in labels as these type names.
BRAT_BUILTIN_TYPES = {"Quote": "quote", "Entity": "entity", "Claim": "claim"}
CSV_SPAN_COLUMNS = ["document_id", "annotation_id", "label", "start", "end", "text", "made_by", "changed_by"]
W3C_CHANGED_BY = "article-annotator:changed_by"
MAX_ANNOTATOR_CHARS = 64
CSV_RELATION_COLUMNS = ["document_id", "type", "from_id", "to_id", "from_text", "to_text"]
CSV_DOCUMENT_COLUMNS = ["document_id", "title", "note"]

problems = []
findings = []
checked = {"spans": 0, "relations": 0, "attribute values": 0, "authors": 0, "files": 0}
seen_formats = set()


def problem(where, message):
    problems.append(f"{where}: {message}")


def finding(where, message):
    if f"{where}: {message}" not in findings:
        findings.append(f"{where}: {message}")


# ---------------------------------------------------------------------------------------------
# The label schema, for attribute values.
# ---------------------------------------------------------------------------------------------

# Schema member (labels, relations) by the folder of the native export that carries it.
schemas = {}
fallback_schema = {"schema": None, "root": None}


def schema_for(path):
    """The schema for a file: its folder's native export's, else the root's, else --schema's."""
    return schemas.get(path.parent) or schemas.get(fallback_schema["root"]) or fallback_schema["schema"]


def load_schema_file(path):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    # A native export carries it under `schema`; a schema file is one itself.
    return data.get("schema") or (data if "labels" in data else None)


def check_attribute(path, where, label, name, value):
    """Looks one attribute value up in the schema: a FINDING when the schema lacks it."""
    checked["attribute values"] += 1
    schema = schema_for(path)
    if schema is None:
        finding("attribute values", "no label schema found (none in a native export here; see "
                                    "--schema), so none was looked up")
        return
    spec = next((l for l in schema.get("labels", []) if l["name"] == label), None)
    if spec is None:
        finding(where, f"attribute {name}={value!r} is on label {label!r}, which the schema lacks")
        return
    attribute = next((a for a in spec.get("attributes", []) if a["name"] == name), None)
    if attribute is None:
        finding(where, f"label {label!r} has no attribute {name!r} in the schema (value {value!r})")
    elif attribute.get("values") and value not in attribute["values"]:
        finding(where, f"{label}.{name} = {value!r} is not one of the schema's values {attribute['values']}")


def check_attributes(path, where, label, attributes):
    if not isinstance(attributes, dict):
        problem(where, f"attributes must be an object, not {type(attributes).__name__}")
        return
    for name, value in attributes.items():
        if not isinstance(value, str):
            problem(where, f"attribute {name!r} is not a string")
        check_attribute(path, where, label, name, value)


# ---------------------------------------------------------------------------------------------
# Authors.
# ---------------------------------------------------------------------------------------------

# By document id: {file name: {span key: (made_by, changed_by)}}, for the comparison at the end.
authors_by_document = {}


def label_key(label):
    """A label as every format can spell it: brat's built-in type names mapped back, and
    whitespace as `_` (brat splits type names at spaces)."""
    label = BRAT_BUILTIN_TYPES.get(label, label)
    return "".join("_" if c.isspace() else c for c in label)


def check_name(where, key, name):
    """A name as the app keeps one; returns it, or None when absent."""
    if name is None:
        return None
    if not isinstance(name, str):
        problem(where, f"{key} must be a string, not {type(name).__name__}")
        return None
    checked["authors"] += 1
    if not name or name != name.strip() or len(name) > MAX_ANNOTATOR_CHARS or "," in name \
            or any(unicodedata.category(c) == "Cc" for c in name):
        problem(where, f"{key} {name!r} is not a name the app can hold")
    return name


def record_authors(path, doc_id, spans):
    """`spans`: {(start, end, label): (made_by, changed_by)} of one document in one file."""
    keyed = {(s, e, label_key(l)): names for (s, e, l), names in spans.items()}
    authors_by_document.setdefault(doc_id, {})[str(path)] = keyed


def shown(path):
    """A file's path below DIR, as problems name it."""
    root = str(fallback_schema["root"] or "")
    return path[len(root):].lstrip("/") if root and path.startswith(root) else path


def compare_authors():
    for doc_id, files in sorted(authors_by_document.items()):
        # A native export without any author predates them (the golden fixture's source).
        stated = {f: spans for f, spans in files.items()
                  if not f.endswith(".annotations.json") or any(n != (None, None) for n in spans.values())}
        if len(stated) < 2:
            continue
        (first, expected), *others = sorted(stated.items())
        for other, spans in others:
            if spans != expected:
                diff = sorted(set(spans.items()) ^ set(expected.items()), key=str)[:4]
                problem(f"authors of {doc_id!r}", f"{shown(other)} and {shown(first)} disagree: {diff}")


# ---------------------------------------------------------------------------------------------
# Relations.
# ---------------------------------------------------------------------------------------------

def check_relation_ends(where, relations, spans):
    """`relations` as (kind, from key, to key) over `spans` {key: (start, end, label)}: both ends
    must exist and differ. Returns the relations by span, for the comparison with the native
    export."""
    by_span = set()
    for kind, start, end in relations:
        checked["relations"] += 1
        ends = [spans.get(start), spans.get(end)]
        for key, span in zip([start, end], ends):
            if span is None:
                problem(where, f"relation {kind} {start}->{end}: end {key!r} is not a span of this document")
        if start == end:
            problem(where, f"relation {kind} {start}->{end} links a span to itself")
        if None not in ends:
            by_span.add((ends[0], ends[1], kind))
    return by_span


def compare_relations(where, doc_id, relations_by_span):
    if doc_id not in reference_relations:
        return
    expected = reference_relations[doc_id]
    if relations_by_span != expected:
        problem(where, f"relations of {doc_id!r} differ from the native export: "
                       f"{sorted(relations_by_span ^ expected)}")


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
# compared with; and its relations by span ((start, end, label) of each end, type).
reference = {}
reference_relations = {}


def load_native(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "article-annotator" and data["offset_unit"] == "codepoint"
    if data.get("schema") is not None:
        schemas[path.parent] = data["schema"]
    for doc in data["documents"]:
        spans = set()
        by_id = {}
        authors = {}
        for a in doc["annotations"]:
            where = f"{path.name}: {doc['id']} {a['id']}"
            check_span(where, doc["text"], a["start"], a["end"], a["text"])
            spans.add((a["start"], a["end"], a["label"]))
            by_id[a["id"]] = (a["start"], a["end"], a["label"])
            check_attributes(path, where, a["label"], a.get("attributes", {}))
            authors[(a["start"], a["end"], a["label"])] = (
                check_name(where, "made_by", a.get("made_by")), check_name(where, "changed_by", a.get("changed_by")))
        record_authors(path, doc["id"], authors)
        relations = [(r["type"], r["from"], r["to"]) for r in doc.get("relations", [])]
        reference[doc["id"]] = (doc["text"], spans)
        reference_relations[doc["id"]] = check_relation_ends(f"{path.name}: {doc['id']}", relations, by_id)


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
        assert {"text", "meta", "spans"} <= set(row) <= {"text", "meta", "spans", "relations", "note"}, \
            f"{path.name} line {n}: keys {sorted(row)}"
        spans = {}
        authors = {}
        for k, s in enumerate(row["spans"]):
            where = f"{path.name} line {n} span {k + 1}"
            check_span(where, row["text"], s["start"], s["end"], s["text"])
            spans[k] = (s["start"], s["end"], s["label"])
            check_attributes(path, where, s["label"], s.get("attributes", {}))
            authors[spans[k]] = (check_name(where, "made_by", s.get("made_by")),
                                 check_name(where, "changed_by", s.get("changed_by")))
        where = f"{path.name} line {n}"
        # meta.annotators: everyone who made or changed a span, once each, sorted; absent for none.
        named = sorted({name for pair in authors.values() for name in pair if name is not None})
        if row["meta"].get("annotators", []) != named or row["meta"].get("annotators") == []:
            problem(where, f"meta.annotators is {row['meta'].get('annotators')!r}, the spans name {named}")
        record_authors(path, row["meta"]["id"], authors)
        relations = row.get("relations", [])
        for r in relations:
            # head_span / child_span repeat the spans head and child index.
            for index_key, span_key in [("head", "head_span"), ("child", "child_span")]:
                repeated = r.get(span_key)
                named = spans.get(r[index_key])
                if repeated is not None and named is not None and \
                        (repeated["start"], repeated["end"], repeated.get("label", named[2])) != named:
                    problem(where, f"relation {r['label']}: {span_key} is not span {r[index_key]}")
        by_span = check_relation_ends(where, [(r["label"], r["head"], r["child"]) for r in relations], spans)
        compare_with_reference(where, row["meta"]["id"], row["text"], list(spans.values()))
        compare_relations(where, row["meta"]["id"], by_span)


def check_doccano(path, utf16):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        text = row["text"]
        spans = []
        # The relation shape: entities with ids; else the sequence labeling triples.
        entities = row.get("entities")
        if entities is not None:
            triples = [(e["start_offset"], e["end_offset"], e["label"]) for e in entities]
        else:
            triples = row["label"]
        by_id = {}
        for k, (start, end, label) in enumerate(triples, 1):
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
            if entities is not None:
                by_id[entities[k - 1]["id"]] = (start, end, label)
                check_attributes(path, where, label, entities[k - 1].get("attributes", {}))
        where = f"{path.name} line {n}"
        relations = [(r["type"], r["from_id"], r["to_id"]) for r in row.get("relations", [])]
        by_span = check_relation_ends(where, relations, by_id)
        compare_with_reference(where, row["document_id"], text, spans)
        compare_relations(where, row["document_id"], by_span)


def w3c_bodies(item):
    body = item.get("body", [])
    return body if isinstance(body, list) else [body]


def check_w3c(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "AnnotationCollection", path.name
    assert "anno.jsonld" in data["@context"], path.name
    texts = {s["id"]: s["value"] for s in data[W3C_SOURCES]}
    items = data["first"]["items"]
    if data["total"] != len(items):
        problem(path.name, f"total is {data['total']} but the page has {len(items)} annotations")
    by_source = {}
    spans_by_iri = {}
    authors_of_source = {}
    links = []
    for item in items:
        where = f"{path.name} {item['id']}"
        motivation = item.get("motivation")
        if motivation == "linking":
            links.append(item)
            continue
        if motivation == "commenting":
            # The article's note: a comment on the whole document.
            if item["target"] not in texts:
                problem(where, f"the note's target {item['target']} is not a source of this file")
            if [b.get("purpose") for b in w3c_bodies(item)] != ["commenting"]:
                problem(where, "the article note is not one commenting body")
            continue
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
        bodies = w3c_bodies(item)
        body = bodies[0]
        if body.get("purpose") != "tagging" or body.get("type") != "TextualBody":
            problem(where, "the first body is not a tagging TextualBody")
        for extra in bodies[1:]:
            if W3C_ATTRIBUTE in extra:
                if extra.get("purpose") != "describing":
                    problem(where, f"the attribute body {extra[W3C_ATTRIBUTE]!r} is not describing")
                check_attribute(path, where, body["value"], extra[W3C_ATTRIBUTE], extra["value"])
            elif extra.get("purpose") != "commenting":
                problem(where, f"a body is neither an attribute value nor a note: {extra}")
        by_source.setdefault(source, []).append((start, end, body["value"]))
        spans_by_iri[item["id"]] = (source, (start, end, body["value"]))
        names = []
        for key in ["creator", W3C_CHANGED_BY]:
            agent = item.get(key)
            if agent is not None and (not isinstance(agent, dict) or agent.get("type") != "Person"):
                problem(where, f"{key} is not a Person agent: {agent!r}")
                agent = None
            names.append(check_name(where, key, agent and agent.get("name")))
        authors_of_source.setdefault(source, {})[(start, end, body["value"])] = tuple(names)
    relations_by_source = {source: [] for source in texts}
    for link in links:
        where = f"{path.name} {link['id']}"
        targets = link["target"]
        if not (isinstance(targets, list) and len(targets) == 2):
            problem(where, "a linking annotation must have two targets (from, to)")
            continue
        source = link["id"].split("#", 1)[0]
        if any(t.split("#", 1)[0] != source for t in targets):
            problem(where, "links annotations of another document")
        kind = link["body"]["value"]
        relations_by_source.setdefault(source, []).append((kind, targets[0], targets[1]))
    for source, text in texts.items():
        doc_id = urllib.parse.unquote(source[len(W3C_DOCUMENT):]) if source.startswith(W3C_DOCUMENT) else source
        compare_with_reference(path.name, doc_id, text, by_source.get(source, []))
        record_authors(path, doc_id, authors_of_source.get(source, {}))
        spans = {iri: span for iri, (s, span) in spans_by_iri.items() if s == source}
        by_span = check_relation_ends(f"{path.name} {source}", relations_by_source.get(source, []), spans)
        compare_relations(f"{path.name} {source}", doc_id, by_span)


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
        regions = {}
        authors = {}
        results = []
        makers = []
        for k, entry in enumerate(task["annotations"], 1):
            where = f"{path.name} task {n} annotation {k}"
            # What label-studio-converter reads of each entry (and Label Studio's import accepts).
            if not isinstance(entry.get("result"), list):
                problem(where, "has no result list")
                continue
            completed_by = entry.get("completed_by")
            if completed_by is not None and not isinstance(completed_by, int) and \
                    not (isinstance(completed_by, dict) and "email" in completed_by):
                problem(where, f"completed_by {completed_by!r} is neither a user id nor an object with an email")
            maker = check_name(where, "created_username", entry.get("created_username"))
            if maker in makers:
                problem(where, f"a second entry of {maker!r}: one entry per annotator")
            makers.append(maker)
            own = {r["id"] for r in entry["result"] if r["type"] == "labels"}
            for result in entry["result"]:
                if result["type"] == "relation" and result["from_id"] not in own:
                    problem(where, f"relation {result['from_id']}->{result['to_id']} is not in the entry of its from span")
                results.append((result, maker))
        if makers != sorted(m for m in makers if m is not None) + [None] * makers.count(None) or makers.count(None) > 1:
            problem(f"{path.name} task {n}", f"entries are not one per maker in name order, nobody last: {makers}")
        for result, maker in ((r, m) for r, m in results if r["type"] == "labels"):
            where = f"{path.name} task {n} result {result['id']}"
            value = result["value"]
            check_span(where, text, value["start"], value["end"], value["text"])
            changed_by = check_name(where, "meta.changed_by", (result.get("meta") or {}).get("changed_by"))
            for label in value["labels"]:
                authors[(value["start"], value["end"], label)] = (maker, changed_by)
            if (result["from_name"], result["to_name"]) != (from_name, to_name):
                problem(where, "from_name/to_name do not match the labeling config")
            for label in value["labels"]:
                if config_labels is not None and label not in config_labels:
                    problem(where, f"label {label!r} is not in the labeling config")
                spans.append((value["start"], value["end"], label))
            regions[result["id"]] = (value["start"], value["end"], value["labels"][0])
        results = [r for r, _ in results]
        for result in (r for r in results if r["type"] in ("choices", "textarea") and r.get("id") in regions):
            # A per-region attribute value: from_name is the label (`_` doubled), `_` and the name.
            where = f"{path.name} task {n} result {result['id']}"
            label = regions[result["id"]][2]
            prefix = label.replace("_", "__") + "_"
            if result["from_name"] == "note" or not result["from_name"].startswith(prefix):
                continue
            name = result["from_name"][len(prefix):]
            values = result["value"].get("choices") or result["value"].get("text") or []
            for value in values:
                check_attribute(path, where, label, name, value)
        where = f"{path.name} task {n}"
        relations = []
        for result in (r for r in results if r["type"] == "relation"):
            start, end = result["from_id"], result["to_id"]
            if result.get("direction") == "left":
                start, end = end, start
            for kind in result.get("labels") or ["(unlabelled)"]:
                relations.append((kind, start, end))
        by_span = check_relation_ends(where, relations, regions)
        compare_with_reference(where, task["data"]["document_id"], text, spans)
        compare_relations(where, task["data"]["document_id"], by_span)
        record_authors(path, task["data"]["document_id"], authors)


def brat_note_entries(field):
    """The entries of an AnnotatorNotes text as brat.rs writes them: (name, value, reserved)
    for each `\\@name=value\\n`, reserved when the name starts with an escaped `@`."""
    escapes = {"\\": "\\", "n": "\n", "t": "\t", "r": "\r", "=": "=", "@": "@"}
    pieces, i = [], 0
    while i < len(field):
        c = field[i]
        nxt = field[i + 1] if i + 1 < len(field) else ""
        if c == "\\" and nxt in escapes:
            pieces.append((escapes[nxt], True))
            i += 2
        elif c == "\\" and nxt == "u" and len(field) >= i + 6:
            pieces.append((chr(int(field[i + 2:i + 6], 16)), True))
            i += 6
        else:
            pieces.append((c, False))
            i += 1
    entries = []
    while pieces[:1] == [("@", True)]:
        rest = pieces[1:]
        if ("=", False) not in rest:
            break
        equals = rest.index(("=", False))
        name, after = rest[:equals], rest[equals + 1:]
        end = after.index(("\n", True)) if ("\n", True) in after else len(after)
        reserved = name[:1] == [("@", True)]
        entries.append(("".join(c for c, _ in (name[1:] if reserved else name)),
                        "".join(c for c, _ in after[:end]), reserved))
        pieces = after[end + 1:]
    return entries


def check_ann(path, where, text, ann):
    spans = {}
    relations = []
    authors = {}
    for n, line in enumerate(ann.splitlines(), 1):
        if line.startswith("T"):
            t_id, type_and_offsets, quoted = line.split("\t", 2)
            brat_type, offsets = type_and_offsets.split(" ", 1)
            fragments = offsets.split(";")
            parts = []
            for fragment in fragments:
                start, end = map(int, fragment.split(" "))
                checked["spans"] += 1
                if not 0 <= start <= end <= len(text):
                    problem(f"{where} line {n}", f"fragment {start}..{end} is outside the text")
                parts.append(text[start:end])
            if " ".join(parts) != quoted:
                problem(f"{where} line {n}", f"fragments give {' '.join(parts)!r}, the file says {quoted!r}")
            spans[t_id] = (fragments[0], fragments[-1], brat_type)
            span = (int(fragments[0].split(" ")[0]), int(fragments[-1].split(" ")[1]), brat_type)
            authors.setdefault(span, (None, None))
        elif line.startswith("R"):
            # R1<TAB>said_by Arg1:T2 Arg2:T5
            _, rest = line.split("\t", 1)
            kind, arg1, arg2 = rest.split("\t", 1)[0].split(" ")
            relations.append((kind, arg1.split(":", 1)[1], arg2.split(":", 1)[1]))
        elif line.startswith("A"):
            # A1<TAB>type T3 direct (a binary attribute has no value)
            _, rest = line.split("\t", 1)
            name, target, *value = rest.split(" ")
            if target not in spans:
                problem(f"{where} line {n}", f"attribute {name} is on {target}, which is no T line above")
            else:
                label = BRAT_BUILTIN_TYPES.get(spans[target][2], spans[target][2])
                check_attribute(path, f"{where} line {n}", label, name, " ".join(value))
        elif line.startswith("#"):
            target = line.split("\t")[1].split(" ")[1]
            if target not in spans:
                problem(f"{where} line {n}", f"the note is on {target}, which is no T line above")
                continue
            first, last, brat_type = spans[target]
            span = (int(first.split(" ")[0]), int(last.split(" ")[1]), brat_type)
            made, changed = authors.get(span, (None, None))
            for name, value, reserved in brat_note_entries(line.split("\t", 2)[2]):
                if reserved and name == "made_by":
                    made = check_name(f"{where} line {n}", "made_by", value)
                elif reserved and name == "changed_by":
                    changed = check_name(f"{where} line {n}", "changed_by", value)
                elif reserved:
                    problem(f"{where} line {n}", f"unknown reserved entry {name!r}")
            authors[span] = (made, changed)
    # brat type names are not our label names, so these relations are not compared with the
    # native export's; their ends must exist.
    check_relation_ends(where, relations, spans)
    return authors


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
            authors = check_ann(path, f"{path.name}/{name}", text, archive.read(name).decode("utf-8"))
            # The document id is the file's stem (ids other than [A-Za-z0-9._-] are rewritten).
            record_authors(f"{path}/{name}", Path(name).stem, authors)


def check_ann_file(path):
    txt = path.with_suffix(".txt")
    authors = check_ann(path, path.name, txt.read_bytes().decode("utf-8"), path.read_bytes().decode("utf-8"))
    record_authors(path, path.stem, authors)


def read_csv(where, data):
    """The rows of one RFC 4180 table (CRLF row ends, no byte order mark)."""
    if data.startswith("\ufeff"):
        problem(where, "starts with a byte order mark")
    if data and not data.endswith("\r\n"):
        problem(where, "the last row does not end with CRLF")
    return list(csv.reader(io.StringIO(data, newline="")))


def check_csv_tables(path, where, tables):
    """spans.csv, relations.csv and documents.csv of one export, as {name: text}."""
    for name in ["spans.csv", "relations.csv", "documents.csv"]:
        if name not in tables:
            problem(where, f"no {name}")
            return
    spans = read_csv(f"{where}/spans.csv", tables["spans.csv"])
    header = spans[0]
    attribute_columns = header[len(CSV_SPAN_COLUMNS):-1]
    if header[:len(CSV_SPAN_COLUMNS)] != CSV_SPAN_COLUMNS or header[-1] != "note" or \
            any(not c.startswith("attr:") for c in attribute_columns):
        problem(f"{where}/spans.csv", f"header is {header}")
        return
    by_document = {}
    authors = {}
    fixed = len(CSV_SPAN_COLUMNS)
    for n, row in enumerate(spans[1:], 2):
        row_where = f"{where}/spans.csv row {n}"
        doc_id, annotation_id, label, start, end, quoted, made_by, changed_by = row[:fixed]
        authors.setdefault(doc_id, {})[(int(start), int(end), label)] = (
            check_name(row_where, "made_by", made_by or None), check_name(row_where, "changed_by", changed_by or None))
        if doc_id not in reference:
            problem(row_where, f"no native export of {doc_id!r} to compare with")
            continue
        check_span(row_where, reference[doc_id][0], int(start), int(end), quoted)
        by_document.setdefault(doc_id, {})[annotation_id] = ((int(start), int(end), label), quoted)
        for column, value in zip(attribute_columns, row[fixed:-1]):
            if value:
                check_attribute(path, row_where, label, column[len("attr:"):], value)
    for doc_id, spans_of in by_document.items():
        compare_with_reference(f"{where}/spans.csv", doc_id, None, [s for s, _ in spans_of.values()])
    for doc_id, spans_of in authors.items():
        record_authors(path, doc_id, spans_of)
    relations = read_csv(f"{where}/relations.csv", tables["relations.csv"])
    if relations[0] != CSV_RELATION_COLUMNS:
        problem(f"{where}/relations.csv", f"header is {relations[0]}")
        return
    relations_of = {doc_id: [] for doc_id in by_document}
    for n, (doc_id, kind, start, end, start_text, end_text) in enumerate(relations[1:], 2):
        spans_of = by_document.get(doc_id, {})
        for key, text in [(start, start_text), (end, end_text)]:
            if key in spans_of and spans_of[key][1] != text:
                problem(f"{where}/relations.csv row {n}", f"the text of {key} is {spans_of[key][1]!r}, not {text!r}")
        relations_of.setdefault(doc_id, []).append((kind, start, end))
    for doc_id, listed in relations_of.items():
        spans_of = {key: span for key, (span, _) in by_document.get(doc_id, {}).items()}
        by_span = check_relation_ends(f"{where}/relations.csv {doc_id}", listed, spans_of)
        compare_relations(f"{where}/relations.csv", doc_id, by_span)
    documents = read_csv(f"{where}/documents.csv", tables["documents.csv"])
    if documents[0] != CSV_DOCUMENT_COLUMNS:
        problem(f"{where}/documents.csv", f"header is {documents[0]}")
    for n, row in enumerate(documents[1:], 2):
        if row[0] not in reference:
            problem(f"{where}/documents.csv row {n}", f"no native export of {row[0]!r} to compare with")


def check_csv_zip(path):
    with zipfile.ZipFile(path) as archive:
        if archive.testzip() is not None:
            problem(path.name, "a CRC does not match")
        tables = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    check_csv_tables(path, path.name, tables)


def check_csv_folder(path):
    """spans.csv with relations.csv and documents.csv beside it (an unzipped export)."""
    tables = {p.name: p.read_bytes().decode("utf-8") for p in path.parent.glob("*.csv")}
    check_csv_tables(path, f"{path.parent.name}", tables)


CHECKS = [
    (".doccano-utf16.jsonl", "doccano UTF-16", lambda p: check_doccano(p, utf16=True)),
    (".doccano.jsonl", "doccano", lambda p: check_doccano(p, utf16=False)),
    (".jsonl", "JSONL", check_jsonl),
    (".w3c.jsonld", "W3C", check_w3c),
    (".label-studio.json", "Label Studio", check_label_studio),
    (".brat.zip", "brat", check_brat_zip),
    (".ann", "brat", check_ann_file),
    (".csv.zip", "CSV", check_csv_zip),
    ("spans.csv", "CSV", check_csv_folder),
]


def main():
    root = Path(sys.argv[1])
    expect_all = "--expect-all" in sys.argv[2:]
    if "--schema" in sys.argv[2:]:
        fallback_schema["schema"] = load_schema_file(sys.argv[sys.argv.index("--schema") + 1])
    fallback_schema["root"] = root
    files = sorted(p for p in root.rglob("*") if p.is_file())
    # Schemas first: every native export's, so that attribute values read before it (in files
    # sorted earlier) are looked up too.
    for path in files:
        if path.name.endswith(".annotations.json"):
            schema = json.loads(path.read_text(encoding="utf-8")).get("schema")
            if schema is not None:
                schemas[path.parent] = schema
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
    compare_authors()
    expected = {"native"} | {name for _, name, _ in CHECKS}
    if expect_all and not expected <= seen_formats:
        problem(str(root), f"no file of: {', '.join(sorted(expected - seen_formats))}")
    for f in findings:
        print("FINDING", f)
    for p in problems:
        print("PROBLEM", p)
    print(f"check_formats: {checked['spans']} spans, {checked['relations']} relations, "
          f"{checked['attribute values']} attribute values and {checked['authors']} author names "
          f"in {checked['files']} files "
          f"({', '.join(sorted(seen_formats))}), {len(problems)} problems, {len(findings)} findings")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
