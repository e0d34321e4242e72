// Deterministic benchmark documents: news-like paragraphs with some emoji, CJK and curly quotes,
// and spans of 1–60 code points, ~20% of them overlapping or nested, all three labels.
// Offsets are code points, as the app stores them.

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
  const document = { id, title: `Benchmark ${name}`, text, created: when, modified: when, annotations };
  const entry = JSON.stringify({
    format: 'article-annotator-store', version: 2, saved_at: when, writer: 'bench', parent: null,
    next_annotation: annotations.length + 1, document,
  });
  const index = JSON.stringify({ format: 'article-annotator-store', version: 2, documents: [id], active: id });
  return { id, text, annotations, storage: { [`article-annotator:doc:${id}`]: entry, 'article-annotator:index': index } };
}

export const SIZES = {
  S: [5_000, 100],
  M: [100_000, 2_000],
  L: [1_000_000, 10_000],
};
