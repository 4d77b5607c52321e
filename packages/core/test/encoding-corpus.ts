/**
 * A deterministic corpus of SMS texts for the encoding tests and benchmark: short and long GSM-7
 * (English, Swahili, extension characters at the part boundaries), and Unicode (Arabic, Chinese,
 * emoji sequences, combining marks, Spanish/Portuguese/Turkish, typographic punctuation).
 */

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SWAHILI =
  'habari asubuhi karibu sana asante malipo yako yamepokelewa kiasi salio tafadhali piga simu leo kesho duka bei nafuu ofa mteja';
const ENGLISH =
  'hello your order has shipped payment received balance reminder meeting tomorrow code verify account thanks please call';
const SYMBOLS = ['{', '}', '[', ']', '~', '\\', '^', '|', '€', '\f'];

function words(rand: () => number, vocabulary: string, length: number): string {
  const list = vocabulary.split(' ');
  let out = '';
  while (out.length < length) out += `${list[Math.floor(rand() * list.length)]} `;
  return out.slice(0, length);
}

export interface CorpusEntry {
  kind: 'short-gsm' | 'long-gsm' | 'unicode';
  text: string;
}

export function buildCorpus(): CorpusEntry[] {
  const rand = prng(2024);
  const out: CorpusEntry[] = [];
  // Short GSM-7: everyday notifications.
  for (let i = 0; i < 90; i++) {
    const vocabulary = i % 2 ? SWAHILI : ENGLISH;
    out.push({
      kind: 'short-gsm',
      text: `${words(rand, vocabulary, 20 + Math.floor(rand() * 120))} TZS ${Math.floor(rand() * 100000)}.`,
    });
  }
  // Boundaries of GSM-7, with and without extension characters near them.
  for (const n of [153, 159, 160, 161, 305, 306, 307, 458, 459, 460, 612]) {
    out.push({ kind: n <= 160 ? 'short-gsm' : 'long-gsm', text: words(rand, ENGLISH, n) });
    const at = Math.min(n - 1, 152);
    const base = words(rand, SWAHILI, n);
    out.push({
      kind: n <= 160 ? 'short-gsm' : 'long-gsm',
      text: base.slice(0, at) + SYMBOLS[n % SYMBOLS.length] + base.slice(at + 1),
    });
  }
  // Long GSM-7 with extension characters sprinkled in.
  for (let i = 0; i < 20; i++) {
    let text = words(rand, i % 2 ? SWAHILI : ENGLISH, 170 + Math.floor(rand() * 500));
    for (let k = 0; k < 5; k++) {
      const p = Math.floor(rand() * text.length);
      text = text.slice(0, p) + SYMBOLS[Math.floor(rand() * SYMBOLS.length)] + text.slice(p + 1);
    }
    out.push({ kind: 'long-gsm', text });
  }
  out.push({ kind: 'short-gsm', text: '' }, { kind: 'short-gsm', text: 'Line one\r\nLine two\nLine three' });
  out.push({ kind: 'short-gsm', text: '@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà' });

  const unicode = [
    'مرحبا، تم استلام دفعتك بنجاح. شكرا لك',
    '您的验证码是 482913，五分钟内有效。',
    'Habari 😀 karibu tena!',
    'Familia 👨‍👩‍👧‍👦 inakusalimu',
    'Tanzania 🇹🇿 bendera, Kenya 🇰🇪',
    'Hongera 👍🏾👏🏽🎉',
    'Café au lait, crème brûlée — très bien…',
    'It’s “great” – really…',
    '¿Cómo estás? Aquí todo bien, gracias.',
    'Não, obrigação: você é ótimo',
    'Çok güzel, teşekkürler! Görüşürüz.',
    'Combining: e\u0301 a\u0300 n\u0303',
    'Keycap 1️⃣ 2️⃣ #️⃣',
    'Привет, ваш заказ отправлен',
    'नमस्ते, आपका कोड 1234 है',
    'ẞ ŉ ǆ Ω ≈ ∞ ≠ ™ © ®',
  ];
  for (const text of unicode) out.push({ kind: 'unicode', text });
  // Unicode around the 70/67 boundaries, with emoji straddling them.
  for (const n of [66, 67, 68, 69, 70, 71, 133, 134, 135, 200, 201, 202]) {
    out.push({ kind: 'unicode', text: '中'.repeat(n) });
    out.push({ kind: 'unicode', text: `${'ж'.repeat(n - 1)}😀` });
    out.push({ kind: 'unicode', text: `${'中'.repeat(Math.max(0, n - 8))}👨‍👩‍👧` });
  }
  for (let i = 0; i < 20; i++) {
    const emoji = ['😀', '🎉', '❤️', '👍🏽', '🇹🇿', '👩‍💻'];
    let text = words(rand, SWAHILI, 30 + Math.floor(rand() * 200));
    for (let k = 0; k < 3; k++) {
      const p = Math.floor(rand() * text.length);
      text = text.slice(0, p) + emoji[Math.floor(rand() * emoji.length)] + text.slice(p);
    }
    out.push({ kind: 'unicode', text });
  }
  return out;
}

/** The benchmark's mix: about 70% short GSM-7, 20% long GSM-7, 10% Unicode with emoji. */
export function benchmarkMix(size = 1000): string[] {
  const corpus = buildCorpus();
  const pick = (kind: CorpusEntry['kind']) => corpus.filter((e) => e.kind === kind).map((e) => e.text);
  const groups: [string[], number][] = [
    [pick('short-gsm'), 0.7],
    [pick('long-gsm'), 0.2],
    [pick('unicode'), 0.1],
  ];
  const out: string[] = [];
  for (const [texts, share] of groups)
    for (let i = 0; i < Math.round(size * share); i++) out.push(texts[i % texts.length]!);
  return out;
}
