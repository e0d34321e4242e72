// Deterministic benchmark documents: news-like paragraphs with some emoji, CJK and curly quotes,
// and spans of 1–60 code points, ~20% of them overlapping or nested, all three labels.
// Offsets are code points, as the app stores them. The stored entries are in the app's current
// localStorage schema (5, see crates/core/src/persist/stored.rs): the text under its own key (a
// text entry, still version 3), and a document entry that names it by its fingerprint, so the
// benchmark opens a document that needs no migration (an older entry takes the slower migration
// path on load, and is written again).
//
// With `relations`, the document also gets that many relations between nearby annotations, of
// the types the default schema allows between their labels, and every other annotation a value
// of its label's first attribute. They are drawn from a PRNG of their own, so the text and the
// spans are the same as without them.

/** mulberry32: a tiny seeded PRNG, so every run generates the same documents. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ('the minister said on monday that talks with officials in the capital had made progress '
  + 'toward a ceasefire agreement while critics warned the deal could collapse within weeks according '
  + 'to people familiar with the negotiations the government spokesperson declined to comment further '
  + 'analysts expect markets to react sharply as investors weigh the risks of escalation in the region '
  + 'senators from both parties urged restraint and called for an independent inquiry into the attack').split(' ');
const NAMES = ['Chuck Schumer', 'Mao Ning', 'Xi Jinping', 'María José Núñez', 'Zoë Müller', 'The Wall Street Journal', 'NBC News'];
const EXTRAS = ['北京', '東京', '서울', '😀', '👍🏽', '👩‍👩‍👧‍👦', '🇫🇷', 'مرحبا'];

function sentence(next) {
  const pick = (list) => list[Math.floor(next() * list.length)];
  const words = [];
  const n = 8 + Math.floor(next() * 18);
  for (let i = 0; i < n; i++) {
    const r = next();
    words.push(r < 0.06 ? pick(NAMES) : r < 0.09 ? pick(EXTRAS) : pick(WORDS));
  }
  let s = words.join(' ');
  s = s[0].toUpperCase() + s.slice(1) + '.';
  return next() < 0.25 ? `“${s}”` : s;
}

/**
 * The fingerprint a stored document entry names its text by: length in code points and the
 * FNV-1a 64 hash of the UTF-8 bytes, as 16 hex digits (`TextFingerprint` in
 * crates/core/src/persist/stored.rs). 64-bit arithmetic in two 32-bit halves: BigInt is far slower on 1 MB.
 */
export function textFingerprint(text) {
  const bytes = new TextEncoder().encode(text);
  // Offset basis 0xcbf29ce484222325; prime 0x100000001b3 = 2^40 + 0x1b3.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < bytes.length; i++) {
    lo ^= bytes[i];
    // (hi·2^32 + lo) · (2^40 + 0x1b3) mod 2^64: lo·0x1b3 may carry into hi; lo·2^40 adds lo << 8
    // to hi; hi·2^40 overflows away.
    const low = (lo >>> 0) * 0x1b3;
    const carry = Math.floor(low / 0x100000000);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = low >>> 0;
  }
  const hex = (n) => n.toString(16).padStart(8, '0');
  return { chars: Array.from(text).length, fnv1a64: hex(hi) + hex(lo) };
}

/** The default schema's first attribute with a fixed set of values, per label. */
export const FIRST_CHOICE = {
  quote: ['type', ['direct', 'indirect', 'mixed']],
  entity: ['kind', ['person', 'organisation', 'place', 'other']],
  claim: ['check_worthy', ['yes', 'no', 'unsure']],
};

/**
 * The relation type the default schema gives a link between two labels (in reading order), as
 * `[type, swap]`: swap when it runs from the later annotation to the earlier; null when the
 * schema has none for the pair.
 */
function relationFor(first, second) {
  const pair = `${first}>${second}`;
  switch (pair) {
    case 'quote>entity': return ['said_by', false];
    case 'entity>quote': return ['said_by', true];
    case 'claim>entity': return ['made_by', false];
    case 'entity>claim': return ['made_by', true];
    case 'entity>entity': return ['same_as', false];
    case 'quote>quote': return ['continues', false];
    default: return null;
  }
}

/**
 * `count` relations between annotations at most 8 apart in text order, none twice, and a value of
 * the first attribute on every other annotation (in place).
 */
function addRelations(annotations, count, seed) {
  const next = rng(seed);
  const relations = [];
  const seen = new Set();
  let tries = 0;
  while (relations.length < count && tries < count * 50) {
    tries++;
    const i = Math.floor(next() * (annotations.length - 1));
    const j = Math.min(annotations.length - 1, i + 1 + Math.floor(next() * 8));
    const found = relationFor(annotations[i].label, annotations[j].label);
    if (!found) continue;
    const [type, swap] = found;
    const [from, to] = swap ? [annotations[j].id, annotations[i].id] : [annotations[i].id, annotations[j].id];
    const key = `${type} ${from} ${to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    relations.push({ type, from, to });
  }
  annotations.forEach((a, i) => {
    if (i % 2 !== 0) return;
    const [name, values] = FIRST_CHOICE[a.label];
    a.attributes = { [name]: values[Math.floor(next() * values.length)] };
  });
  return relations;
}

/**
 * A document of about `chars` code points with `spans` annotations, and `relations` relations
 * (with attribute values on half the annotations) when that is more than 0.
 */
/** Who made the benchmark's annotations (alternately). */
const ANNOTATORS = ['Ann Lee', 'Bob 李'];

export function generate(name, chars, spans, relationCount = 0, seed = 42) {
  const next = rng(seed);
  const paragraphs = [];
  let length = 0;
  while (length < chars) {
    let p = '';
    const target = 300 + Math.floor(next() * 500);
    while (Array.from(p).length < target) p += (p ? ' ' : '') + sentence(next);
    paragraphs.push(p);
    length += Array.from(p).length + 2;
  }
  const text = Array.from(paragraphs.join('\n\n')).slice(0, chars).join('');
  const cps = Array.from(text);
  const total = cps.length;
  const labels = ['quote', 'entity', 'claim'];
  const seen = new Set();
  const list = [];
  while (list.length < spans) {
    let start;
    let end;
    const r = next();
    if (list.length > 0 && r < 0.2) {
      // Overlap or nest with an earlier span.
      const other = list[Math.floor(next() * list.length)];
      if (next() < 0.5) {
        start = other.start + Math.floor(next() * Math.max(1, other.end - other.start));
        end = Math.min(total, start + 1 + Math.floor(next() * 60));
      } else {
        start = other.start + Math.floor(next() * Math.max(1, (other.end - other.start) / 2));
        end = Math.min(other.end, start + 1 + Math.floor(next() * 30));
      }
    } else {
      start = Math.floor(next() * (total - 1));
      end = Math.min(total, start + 1 + Math.floor(next() * 60));
    }
    if (end <= start) continue;
    const label = labels[Math.floor(next() * 3)];
    const key = `${start}:${end}:${label}`;
    if (seen.has(key)) continue;
    seen.add(key);
    list.push({ start, end, label });
  }
  list.sort((a, b) => a.start - b.start || b.end - a.end || labels.indexOf(a.label) - labels.indexOf(b.label));
  const annotations = list.map((a, i) => ({
    id: `a${i + 1}`, label: a.label, start: a.start, end: a.end, text: cps.slice(a.start, a.end).join(''),
  }));
  const relations = relationCount > 0 ? addRelations(annotations, relationCount, seed + 1) : [];
  const id = `bench-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const when = '2026-11-29T00:00:00.000Z';
  const store = { format: 'article-annotator-store', version: 5 };
  const { chars: textChars, fnv1a64 } = textFingerprint(text);
  // Text entries kept the shape they had in schema 3, and the number with it.
  const textEntry = JSON.stringify({ ...store, version: 3, chars: textChars, fnv1a64, saved_at: when, text });
  const document = {
    id, title: `Benchmark ${name}`, text_chars: textChars, text_fnv1a64: fnv1a64, created: when, modified: when,
    // Made by one of two annotators, every 5th last changed by the other: what a team's library
    // holds, names and all (storage writes `changed_by` only where it is somebody else).
    annotations: annotations.map(({ id, label, start, end, attributes }, i) => ({
      id, label, start, end, ...(attributes ? { attributes } : {}),
      made_by: ANNOTATORS[i % 2], ...(i % 5 === 0 ? { changed_by: ANNOTATORS[(i + 1) % 2] } : {}),
    })),
    relations,
  };
  const entry = JSON.stringify({
    ...store, saved_at: when, writer: 'bench', parent: null, next_annotation: annotations.length + 1, document,
  });
  const index = JSON.stringify({ ...store, documents: [id], active: id });
  return {
    id,
    text,
    annotations,
    relations,
    // Insertion order is the order a save writes them in: the text, its document, the index.
    storage: {
      [`article-annotator:text:${id}`]: textEntry,
      [`article-annotator:doc:${id}`]: entry,
      'article-annotator:index': index,
      // The browser's annotator: edits are stamped, and the first export asks nothing.
      'article-annotator-annotator': ANNOTATORS[0],
    },
  };
}

/** [code points, spans, relations]: "+R" is the same document with relations and values. */
export const SIZES = {
  S: [5_000, 100, 0],
  M: [100_000, 2_000, 0],
  L: [1_000_000, 10_000, 0],
  'S+R': [5_000, 100, 50],
  'L+R': [1_000_000, 10_000, 5_000],
};
