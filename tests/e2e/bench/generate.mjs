// Deterministic benchmark documents: news-like paragraphs with some emoji, CJK and curly quotes,
// and spans of 1–60 code points, ~20% of them overlapping or nested, all three labels.
// Offsets are code points, as the app stores them. The stored entries are in the app's current
// localStorage schema (3, see src/export/stored.rs): the text under its own key, and a document
// entry that names it by its fingerprint, so the benchmark opens a document that needs no
// migration.

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
 * src/export/stored.rs). 64-bit arithmetic in two 32-bit halves: BigInt is far slower on 1 MB.
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

/** A document of about `chars` code points with `spans` annotations. */
export function generate(name, chars, spans, seed = 42) {
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
  const id = `bench-${name.toLowerCase()}`;
  const when = '2026-11-29T00:00:00.000Z';
  const store = { format: 'article-annotator-store', version: 3 };
  const { chars: textChars, fnv1a64 } = textFingerprint(text);
  const textEntry = JSON.stringify({ ...store, chars: textChars, fnv1a64, saved_at: when, text });
  const document = {
    id, title: `Benchmark ${name}`, text_chars: textChars, text_fnv1a64: fnv1a64, created: when, modified: when,
    annotations: annotations.map(({ id, label, start, end }) => ({ id, label, start, end })),
  };
  const entry = JSON.stringify({
    ...store, saved_at: when, writer: 'bench', parent: null, next_annotation: annotations.length + 1, document,
  });
  const index = JSON.stringify({ ...store, documents: [id], active: id });
  return {
    id,
    text,
    annotations,
    // Insertion order is the order a save writes them in: the text, its document, the index.
    storage: {
      [`article-annotator:text:${id}`]: textEntry,
      [`article-annotator:doc:${id}`]: entry,
      'article-annotator:index': index,
    },
  };
}

export const SIZES = {
  S: [5_000, 100],
  M: [100_000, 2_000],
  L: [1_000_000, 10_000],
};
