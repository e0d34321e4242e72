#!/usr/bin/env python3
"""Holds the app's agreement report against the reference implementations.

Two ways to run it:

    check_report.py generate [--cases N] [--seed S] --report-command CMD...
        Writes generated and hand-made studies (several annotators' native export files) to a
        temporary directory, has the app's core compute each report (CMD NAME=PATH ...; see
        crates/core/examples/agreement_report.rs), and checks it.

    check_report.py check REPORT NAME=PATH ...
        Checks a report the page exported against the files it was computed from (the
        end-to-end test uses this).

What is checked, to 1e-9 unless said otherwise, per article and for the corpus:
  - Krippendorff's alpha (nominal, code points; per label and overall) against the
    `krippendorff` package;
  - Cohen's kappa per pair (code points; per label and overall), and per attribute over
    exactly matched spans, against scikit-learn's `cohen_kappa_score`;
  - unitizing alpha against a literal transcription of Krippendorff (2004, pp. 251-256) in
    exact fractions, summing over every pair of segments (the app sweeps);
  - exact and overlap F1 counts against a multiset count and Kuhn's maximum matching;
  - relation counts.
"""

import json
import math
import os
import random
import subprocess
import sys
import tempfile
import warnings
from collections import Counter
from fractions import Fraction

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

TOLERANCE = 1e-9
LABEL_ORDER = {"quote": 0, "entity": 1, "claim": 2}


# --- reading the files ----------------------------------------------------------------------

def read_native(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    assert data["format"] == "article-annotator", f"{path}: not a native export"
    documents = []
    for doc in data["documents"]:
        text = doc["text"]
        spans = []
        for a in doc["annotations"]:
            assert text[a["start"]:a["end"]] == a["text"], f"{path}: {a['id']} text mismatch"
            spans.append({"id": a["id"], "start": a["start"], "end": a["end"], "label": a["label"],
                          "attributes": a.get("attributes", {})})
        relations = [(r["type"], r["from"], r["to"]) for r in doc.get("relations", [])]
        documents.append({"title": doc["title"], "text": text, "spans": spans, "relations": relations})
    return documents


def pair(annotators):
    """[(name, documents)] -> articles [{text, codings: [coding or None]}], by text."""
    articles, by_text = [], {}
    for who, (_, documents) in enumerate(annotators):
        for doc in documents:
            if doc["text"] not in by_text:
                by_text[doc["text"]] = len(articles)
                articles.append({"title": doc["title"], "text": doc["text"],
                                 "codings": [None] * len(annotators)})
            article = articles[by_text[doc["text"]]]
            if article["codings"][who] is None:
                article["codings"][who] = doc
    return [a for a in articles if sum(c is not None for c in a["codings"]) >= 2]


# --- the references -------------------------------------------------------------------------

def label_key(label):
    return (LABEL_ORDER.get(label, 3), label)


def code_point_values(article, label=None):
    """Per annotator, per code point: the set of labels covering it (or, given a label, whether
    it is covered by it); None for an annotator without the article."""
    n = len(article["text"])
    rows = []
    for coding in article["codings"]:
        if coding is None:
            rows.append(None)
            continue
        cover = [set() for _ in range(n)]
        for s in coding["spans"]:
            for i in range(s["start"], min(s["end"], n)):
                cover[i].add(s["label"])
        if label is None:
            rows.append(["|".join(sorted(c, key=label_key)) for c in cover])
        else:
            rows.append([int(label in c) for c in cover])
    return rows


def reference_alpha(articles, annotators, label=None):
    columns = []
    for article in articles:
        rows = code_point_values(article, label)
        n = len(article["text"])
        columns.append([r if r is not None else [None] * n for r in rows])
    values = sorted({v for block in columns for row in block for v in row if v is not None}, key=str)
    index = {v: i for i, v in enumerate(values)}
    matrix = np.array([[np.nan if v is None else float(index[v]) for block in columns for v in block[c]]
                       for c in range(annotators)])
    if matrix.size == 0:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    except ValueError:
        # "There has to be more than one value in the domain": undefined.
        return None
    return None if math.isnan(result) else float(result)


def reference_kappa(first, second):
    if not first:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = cohen_kappa_score(first, second)
    return None if math.isnan(result) else float(result)


def pair_code_points(articles, a, b, label=None):
    first, second = [], []
    for article in articles:
        if article["codings"][a] is None or article["codings"][b] is None:
            continue
        rows = code_point_values(article, label)
        first += rows[a]
        second += rows[b]
    return first, second


def exact_counts(spans_a, spans_b, label=None):
    key = lambda s: (s["start"], s["end"], s["label"])
    ca = Counter(key(s) for s in spans_a if label is None or s["label"] == label)
    cb = Counter(key(s) for s in spans_b if label is None or s["label"] == label)
    matched = sum((ca & cb).values())
    return matched, sum(ca.values()) - matched, sum(cb.values()) - matched


def maximum_matching(spans_a, spans_b, compatible):
    """Kuhn's augmenting paths: the most one-to-one pairs."""
    owner = [None] * len(spans_b)

    def augment(i, seen):
        for j, t in enumerate(spans_b):
            if j not in seen and compatible(spans_a[i], t):
                seen.add(j)
                if owner[j] is None or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(spans_a)))


def overlap_counts(spans_a, spans_b, label=None):
    a = [s for s in spans_a if label is None or s["label"] == label]
    b = [s for s in spans_b if label is None or s["label"] == label]
    same = lambda x, y: x["label"] == y["label"] and x["start"] < y["end"] and y["start"] < x["end"]
    matched = maximum_matching(a, b, same)
    return matched, len(a) - matched, len(b) - matched


def unitizing_reference(length, codings, label):
    """Krippendorff (2004) written out: every pair of segments, exact fractions."""
    continua = []
    for spans in codings:
        units = sorted((s["start"], min(s["end"], length)) for s in spans if s["label"] == label)
        joined = []
        for start, end in units:
            if joined and start < joined[-1][1]:
                joined[-1][1] = max(joined[-1][1], end)
            else:
                joined.append([start, end])
        segments, at = [], 0
        for start, end in joined:
            if start > at:
                segments.append((at, start - at, False))
            segments.append((start, end - start, True))
            at = end
        if at < length:
            segments.append((at, length - at, False))
        continua.append(segments)
    m = len(continua)

    def delta(g, h):
        (bg, lg, ug), (bh, lh, uh) = g, h
        if ug and uh and -lg < bg - bh < lh:
            return (bg - bh) ** 2 + (bg + lg - bh - lh) ** 2
        if ug and not uh and lh - lg >= bg - bh >= 0:
            return lg ** 2
        if not ug and uh and lg - lh >= bh - bg >= 0:
            return lh ** 2
        return 0

    observed = Fraction(0)
    for i in range(m):
        for j in range(m):
            if i != j:
                observed += sum(delta(g, h) for g in continua[i] for h in continua[j])
    observed /= m * (m - 1) * length ** 2
    units = [l for c in continua for (_, l, u) in c if u]
    gaps = [l for c in continua for (_, l, u) in c if not u]
    n = len(units)
    total = Fraction(0)
    for l in units:
        total += Fraction((n - 1) * (2 * l ** 3 - 3 * l ** 2 + l), 3)
        total += l ** 2 * sum(g - l + 1 for g in gaps if g >= l)
    denominator = m * length * (m * length - 1) - sum(l * (l - 1) for l in units)
    expected = Fraction(0) if denominator == 0 else Fraction(2, length) * total / denominator
    return observed, expected


def reference_alpha_u(articles, labels):
    if not articles:
        return None, {}
    coders = [i for i, c in enumerate(articles[0]["codings"]) if c is not None]
    length, codings = 0, [[] for _ in coders]
    for article in articles:
        for slot, who in enumerate(coders):
            for s in article["codings"][who]["spans"]:
                codings[slot].append({"start": s["start"] + length, "end": s["end"] + length, "label": s["label"]})
        length += len(article["text"])
    if len(coders) < 2 or length == 0:
        return None, {}
    present = {s["label"] for c in codings for s in c}
    observed_sum, expected_sum, by_label = Fraction(0), Fraction(0), {}
    for label in labels:
        if label not in present:
            by_label[label] = None
            continue
        observed, expected = unitizing_reference(length, codings, label)
        observed_sum += observed
        expected_sum += expected
        by_label[label] = None if expected == 0 else float(1 - observed / expected)
    overall = None if expected_sum == 0 else float(1 - observed_sum / expected_sum)
    return overall, by_label


# --- the comparison -------------------------------------------------------------------------

class Mismatch(Exception):
    pass


def same(where, ours, theirs):
    if ours is None or theirs is None:
        if ours is not None or theirs is not None:
            raise Mismatch(f"{where}: report {ours!r}, reference {theirs!r}")
        return
    if abs(ours - theirs) > TOLERANCE:
        raise Mismatch(f"{where}: report {ours!r}, reference {theirs!r} (off by {abs(ours - theirs):.3g})")


def same_counts(where, counts, reference):
    ours = (counts["matched"], counts["only_a"], counts["only_b"])
    if ours != reference:
        raise Mismatch(f"{where}: report {ours}, reference {reference}")
    matched, only_a, only_b = reference
    total = 2 * matched + only_a + only_b
    same(f"{where} F1", counts["f1"], None if total == 0 else 2 * matched / total)


def check_section(where, section, articles, annotators, labels, complete):
    n = len(annotators)
    same(f"{where} alpha", section["alpha"], reference_alpha(articles, n))
    for label in labels:
        same(f"{where} alpha[{label}]", section["alpha_by_label"][label], reference_alpha(articles, n, label))
    overall_u, by_label_u = reference_alpha_u(complete, labels)
    same(f"{where} alpha_u", section["alpha_u"], overall_u)
    for label in labels:
        same(f"{where} alpha_u[{label}]", section["alpha_u_by_label"].get(label), by_label_u.get(label))
    pairs = {(p["a"], p["b"]): p for p in section["pairs"]}
    for a in range(n):
        for b in range(a + 1, n):
            shared = [x for x in articles if x["codings"][a] is not None and x["codings"][b] is not None]
            key = (annotators[a], annotators[b])
            if not shared:
                if key in pairs:
                    raise Mismatch(f"{where}: pair {key} has no shared article but is reported")
                continue
            p = pairs[key]
            w = f"{where} {key[0]}~{key[1]}"
            same(f"{w} kappa", p["kappa"], reference_kappa(*pair_code_points(shared, a, b)))
            for label in labels:
                same(f"{w} kappa[{label}]", p["kappa_by_label"][label],
                     reference_kappa(*pair_code_points(shared, a, b, label)))

            def summed(count, label=None):
                totals = [0, 0, 0]
                for x in shared:
                    for i, v in enumerate(count(x["codings"][a]["spans"], x["codings"][b]["spans"], label)):
                        totals[i] += v
                return tuple(totals)

            same_counts(f"{w} exact", p["exact"], summed(exact_counts))
            same_counts(f"{w} overlap", p["overlap"], summed(overlap_counts))
            for label in labels:
                same_counts(f"{w} exact[{label}]", p["exact_by_label"][label], summed(exact_counts, label))
                same_counts(f"{w} overlap[{label}]", p["overlap_by_label"][label], summed(overlap_counts, label))

            # Attributes and relations over exactly matched spans.
            values, relations = {}, [0, 0, 0]
            for x in shared:
                ca, cb = x["codings"][a], x["codings"][b]
                by_key = {(s["start"], s["end"], s["label"]): s for s in cb["spans"]}
                to_b = {}
                for s in ca["spans"]:
                    t = by_key.get((s["start"], s["end"], s["label"]))
                    if t is None:
                        continue
                    to_b[s["id"]] = t["id"]
                    for name in set(s["attributes"]) | set(t["attributes"]):
                        values.setdefault(name, ([], []))
                        values[name][0].append(s["attributes"].get(name, "\u0000unset"))
                        values[name][1].append(t["attributes"].get(name, "\u0000unset"))
                theirs = set(cb["relations"])
                matched = sum((k, to_b.get(f), to_b.get(t)) in theirs for (k, f, t) in ca["relations"])
                relations[0] += matched
                relations[1] += len(ca["relations"]) - matched
                relations[2] += len(theirs) - matched
            same_counts(f"{w} relations", p["relations"], tuple(relations))
            if set(values) != set(p["attributes"]):
                raise Mismatch(f"{w} attributes: report {sorted(p['attributes'])}, reference {sorted(values)}")
            for name, (first, second) in values.items():
                got = p["attributes"][name]
                if got["spans"] != len(first) or got["agreed"] != sum(x == y for x, y in zip(first, second)):
                    raise Mismatch(f"{w} attribute {name}: counts {got}")
                same(f"{w} attribute {name} kappa", got["kappa"], reference_kappa(first, second))


def check(report, annotators_files):
    annotators = [(name, read_native(path)) for name, path in annotators_files]
    names = [name for name, _ in annotators]
    if report["annotators"] != names:
        raise Mismatch(f"annotators: report {report['annotators']}, files {names}")
    articles = pair(annotators)
    labels = sorted({s["label"] for x in articles for c in x["codings"] if c for s in c["spans"]}, key=label_key)
    if report["labels"] != labels:
        raise Mismatch(f"labels: report {report['labels']}, reference {labels}")
    if len(report["articles"]) != len(articles):
        raise Mismatch(f"articles: report {len(report['articles'])}, reference {len(articles)}")
    for section, article in zip(report["articles"], articles):
        if section["text_chars"] != len(article["text"]):
            raise Mismatch(f"{article['title']}: text_chars {section['text_chars']} != {len(article['text'])}")
        check_section(f"article {article['title']!r}", section, [article], names, labels, [article])
    complete = [x for x in articles if all(c is not None for c in x["codings"])]
    check_section("corpus", report["corpus"], articles, names, labels, complete)


# --- generated studies ----------------------------------------------------------------------

WORDS = ["the", "minister", "said", "«we", "will", "not»", "😀", "👩‍👩‍👧", "café", "cafe\u0301",
         "東京", "مرحبا", "שלום", "claim", "\n", "according", "to", "Ana", "Łódź", "ok."]


def random_text(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 80)))


def perturb(rng, base, length, labels):
    spans = []
    for s in base:
        roll = rng.random()
        if roll < 0.12:
            continue  # missed
        start, end, label = s
        if roll < 0.35:
            start = max(0, min(length - 1, start + rng.randint(-3, 3)))
            end = max(start + 1, min(length, end + rng.randint(-3, 3)))
        elif roll < 0.45:
            label = rng.choice(labels)
        spans.append((start, end, label))
    for _ in range(rng.randint(0, 2)):
        start = rng.randrange(length)
        spans.append((start, min(length, start + rng.randint(1, 12)), rng.choice(labels)))
    return spans


def native_file(documents):
    out = []
    for n, (title, text, spans, extras) in enumerate(documents):
        annotations, seen = [], set()
        for i, (start, end, label) in enumerate(spans):
            if (start, end, label) in seen or start >= end:
                continue  # the app keeps one annotation per span and label
            seen.add((start, end, label))
            record = {"id": f"a{i + 1}", "label": label, "start": start, "end": end, "text": text[start:end]}
            if extras.get(i):
                record["attributes"] = extras[i]
            annotations.append(record)
        # Each quote said by the nearest entity (most of the time), so relations often match.
        relations = []
        entities = [b for b in annotations if b["label"] == "entity"]
        for k, a in enumerate(annotations):
            if a["label"] == "quote" and entities and (k + n) % 4:
                speaker = min(entities, key=lambda b: (abs(b["start"] - a["start"]), b["start"]))
                relations.append({"from": a["id"], "to": speaker["id"], "type": "said_by"})
        out.append({"id": f"d{n}", "title": title, "text": text, "created": "2026-01-01T00:00:00.000Z",
                    "modified": "2026-01-01T00:00:00.000Z", "annotations": annotations, "relations": relations})
    return {"format": "article-annotator", "version": 2, "offset_unit": "codepoint", "documents": out}


def generated_study(rng):
    labels = ["quote", "entity", "claim"] + (["PERSON"] if rng.random() < 0.3 else [])
    annotators = rng.randint(2, 4)
    per_annotator = [[] for _ in range(annotators)]
    for d in range(rng.randint(1, 4)):
        text = random_text(rng)
        length = len(text)
        base = []
        for _ in range(rng.randint(0, 8)):
            start = rng.randrange(length)
            base.append((start, min(length, start + rng.randint(1, 25)), rng.choice(labels)))
        for who in range(annotators):
            if d > 0 and rng.random() < 0.15:
                continue  # this annotator did not do this article
            spans = perturb(rng, base, length, labels)
            extras = {i: {"check_worthy": rng.choice(["yes", "no"])} for i, s in enumerate(spans)
                      if s[2] == "claim" and rng.random() < 0.8}
            per_annotator[who].append((f"article {d}", text, spans, extras))
    return [native_file(docs) for docs in per_annotator]


def hand_made_studies():
    text = "The minister said «we will not resign» 😀 according to Ana."
    quote, minister, ana = (18, 38, "quote"), (4, 12, "entity"), (53, 56, "entity")
    same_work = native_file([("agree", text, [quote, minister, ana], {})])
    yield "perfect agreement", [same_work, same_work]
    yield "shifted and relabelled", [
        same_work,
        native_file([("agree", text, [(19, 37, "quote"), (4, 12, "claim")], {})]),
    ]
    yield "nothing tagged by anyone", [native_file([("empty", text, [], {})])] * 3
    yield "one annotator tagged nothing", [same_work, native_file([("empty", text, [], {})])]
    yield "nested quotes of one annotator", [
        native_file([("nest", text, [(18, 38, "quote"), (19, 37, "quote")], {})]),
        native_file([("nest", text, [(18, 38, "quote")], {})]),
    ]


def run_study(files, command, directory, index):
    arguments = []
    for who, content in enumerate(files):
        path = os.path.join(directory, f"study{index}-annotator{who}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(content, f, ensure_ascii=False)
        arguments.append((f"annotator{who}", path))
    output = subprocess.run(command + [f"{n}={p}" for n, p in arguments],
                            check=True, capture_output=True, text=True).stdout
    return json.loads(output), arguments


def main(argv):
    if len(argv) >= 3 and argv[1] == "check":
        with open(argv[2], encoding="utf-8") as f:
            report = json.load(f)
        files = [a.split("=", 1) for a in argv[3:]]
        check(report, files)
        print(f"agreement: the report matches the references ({len(report['articles'])} articles)")
        return 0
    if len(argv) >= 2 and argv[1] == "generate":
        args = argv[2:]
        cases, seed = 150, 20261204
        while args and args[0].startswith("--") and args[0] != "--report-command":
            flag, value = args[0], args[1]
            args = args[2:]
            cases = int(value) if flag == "--cases" else cases
            seed = int(value) if flag == "--seed" else seed
        assert args and args[0] == "--report-command", "give --report-command CMD..."
        command = args[1:]
        rng = random.Random(seed)
        checked = 0
        with tempfile.TemporaryDirectory() as directory:
            # Three annotators' files made in the app (by tests/e2e/compare.spec.mjs).
            made = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../fixtures/agreement")
            arguments = [(name, os.path.join(made, f"{name}.json")) for name in ("ann", "bob", "cy")]
            output = subprocess.run(command + [f"{n}={p}" for n, p in arguments],
                                    check=True, capture_output=True, text=True).stdout
            try:
                check(json.loads(output), arguments)
            except Mismatch as e:
                raise Mismatch(f"the files made in the app: {e}") from None
            checked += 1
            for index, (name, files) in enumerate(hand_made_studies()):
                report, arguments = run_study(files, command, directory, f"h{index}")
                try:
                    check(report, arguments)
                except Mismatch as e:
                    raise Mismatch(f"hand-made study {name!r}: {e}") from None
                checked += 1
            for index in range(cases):
                report, arguments = run_study(generated_study(rng), command, directory, index)
                try:
                    check(report, arguments)
                except Mismatch as e:
                    raise Mismatch(f"generated study {index} (seed {seed}): {e}") from None
                checked += 1
            # The checker itself must be able to fail: a report off by 1e-7 is refused.
            rng = random.Random(seed)
            report, arguments = run_study(generated_study(rng), command, directory, "self-test")
            report["corpus"]["alpha"] = (report["corpus"]["alpha"] or 0.0) + 1e-7
            try:
                check(report, arguments)
            except Mismatch:
                pass
            else:
                raise Mismatch("a report with a wrong alpha passed the check")
        print(f"agreement: {checked} studies match krippendorff, scikit-learn's cohen_kappa_score and "
              f"the written-out alpha_u to {TOLERANCE}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Mismatch as e:
        print(f"agreement: MISMATCH {e}", file=sys.stderr)
        sys.exit(1)
