import type { SubtitleCue } from 'src/media/render/render.types';

export interface WrapOptions {
  /** How many Latin characters fit on one line. */
  maxLatinChars: number;
  /** How many CJK (full-width) characters fit on one line. */
  maxCjkChars: number;
}

export interface CueSplitOptions extends WrapOptions {
  /** Lines shown at once; longer text becomes several cues. */
  maxLines: number;
}

// Han, kana, CJK symbols and full-width forms: a line may break between any two of them.
const BREAK_ANYWHERE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff01-\uff60\u30fc]/u;
// Hangul is as wide as Han but, like Latin, breaks only at spaces.
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff01-\uff60\u30fc]/u;
// Kinsoku: never at the start of a line.
const CLOSING = new Set([
  ...'。，、．！？；：」』）》〉】〕〗〙〛｝］｠…‥・ーゝゞ々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ',
  ...'.,!?;:)]}%’”»',
]);
// Never at the end of a line.
const OPENING = new Set([...'「『（《〈【〔〖〘〚｛［｟', ...'([{‘“«']);

interface Atom {
  text: string;
  width: number;
  /** A space separated it from the atom before. */
  spaced: boolean;
  /** A run of Latin (or Hangul) letters that may be cut when longer than a whole line. */
  word: boolean;
}

const charWidth = (ch: string, cjkWidth: number) => (WIDE.test(ch) ? cjkWidth : 1);
const textWidth = (text: string, cjkWidth: number) => [...text].reduce((sum, ch) => sum + charWidth(ch, cjkWidth), 0);

function atomsOf(text: string, cjkWidth: number): Atom[] {
  const atoms: Atom[] = [];
  let word = '';
  let spaced = false;
  const flushWord = () => {
    if (word) {
      atoms.push({ text: word, width: textWidth(word, cjkWidth), spaced, word: true });
      word = '';
      spaced = false;
    }
  };
  for (const ch of text) {
    if (/\s/u.test(ch)) {
      flushWord();
      spaced = atoms.length > 0;
    } else if (BREAK_ANYWHERE.test(ch)) {
      flushWord();
      atoms.push({ text: ch, width: cjkWidth, spaced, word: false });
      spaced = false;
    } else {
      word += ch;
    }
  }
  flushWord();
  return atoms;
}

const allIn = (text: string, set: Set<string>) => [...text].every((ch) => set.has(ch));

/** Glues closing punctuation to what precedes it and opening punctuation to what follows. */
function clusters(atoms: Atom[]): Atom[] {
  const out: Atom[] = [];
  let pendingOpen: Atom | undefined;
  for (const atom of atoms) {
    let current = atom;
    if (pendingOpen) {
      current = join(pendingOpen, current);
      pendingOpen = undefined;
    }
    const last = out[out.length - 1];
    if (last && !current.spaced && CLOSING.has([...current.text][0])) {
      out[out.length - 1] = join(last, current);
    } else if (allIn(current.text, OPENING)) {
      pendingOpen = current;
    } else {
      out.push(current);
    }
  }
  if (pendingOpen) {
    const last = out[out.length - 1];
    if (last) {
      out[out.length - 1] = join(last, pendingOpen);
    } else {
      out.push(pendingOpen);
    }
  }
  return out;
}

const join = (a: Atom, b: Atom): Atom => ({
  text: a.text + (b.spaced ? ' ' : '') + b.text,
  width: a.width + (b.spaced ? 1 : 0) + b.width,
  spaced: a.spaced,
  word: a.word && b.word && !b.spaced,
});

/** Cuts a word longer than a line into line-sized pieces. */
function cutWord(atom: Atom, max: number, cjkWidth: number): Atom[] {
  const pieces: Atom[] = [];
  let text = '';
  for (const ch of atom.text) {
    if (text && textWidth(text + ch, cjkWidth) > max) {
      pieces.push({ text, width: textWidth(text, cjkWidth), spaced: pieces.length === 0 && atom.spaced, word: true });
      text = '';
    }
    text += ch;
  }
  pieces.push({ text, width: textWidth(text, cjkWidth), spaced: pieces.length === 0 && atom.spaced, word: true });
  return pieces;
}

/** Greedy line filling at a width counted in Latin characters. */
function wrapAtWidth(groups: Atom[], max: number, cjkWidth: number): string[] {
  const lines: Atom[] = [];
  for (const cluster of groups) {
    const pieces = cluster.word && cluster.width > max ? cutWord(cluster, max, cjkWidth) : [cluster];
    for (const piece of pieces) {
      const line = lines[lines.length - 1];
      const width = line ? line.width + (piece.spaced ? 1 : 0) + piece.width : Infinity;
      if (line && width <= max) {
        lines[lines.length - 1] = join(line, piece);
      } else {
        lines.push({ ...piece, spaced: false });
      }
    }
  }
  return lines.map((line) => line.text);
}

const cjkWidthOf = (options: WrapOptions) => Math.max(1, options.maxLatinChars) / Math.max(1, options.maxCjkChars);

/**
 * Wraps subtitle text greedily: Latin breaks at spaces, CJK between any two characters, never
 * before closing punctuation (。，！？」) nor after opening punctuation (「（). Widths are counted in
 * Latin characters; a CJK character counts as maxLatinChars / maxCjkChars of them.
 */
export function wrapSubtitleText(text: string, options: WrapOptions): string[] {
  const cjkWidth = cjkWidthOf(options);
  return wrapAtWidth(clusters(atomsOf(text, cjkWidth)), Math.max(1, options.maxLatinChars), cjkWidth);
}

/**
 * The same line breaking with lines of even length: the narrowest width that still needs no more
 * than `lines` lines (default: as many as greedy wrapping), never so narrow that a word is cut.
 */
export function wrapBalanced(text: string, options: WrapOptions, lines?: number): string[] {
  const cjkWidth = cjkWidthOf(options);
  const groups = clusters(atomsOf(text, cjkWidth));
  const max = Math.max(1, options.maxLatinChars);
  const widest = Math.min(max, Math.max(...groups.map((group) => group.width)));
  let best = wrapAtWidth(groups, max, cjkWidth);
  const target = lines ?? best.length;
  for (let width = max - 1; width >= widest; width--) {
    // Kinsoku glue makes the line count not quite monotonic in the width: try every width.
    const candidate = wrapAtWidth(groups, width, cjkWidth);
    if (candidate.length <= target) {
      best = candidate;
    }
  }
  return best;
}

/**
 * A cue whose text wraps to more than maxLines lines becomes several consecutive cues. Lines are
 * evened out (as many as greedy wrapping needs, none left as a short orphan), spread evenly over
 * the cues, and each cue gets a share of the time proportional to its text width. Cue text holds lines joined by "\n".
 */
export function splitCues(cue: SubtitleCue, options: CueSplitOptions): SubtitleCue[] {
  const greedy = wrapSubtitleText(cue.text, options);
  if (greedy.length === 0) {
    return [];
  }
  const maxLines = Math.max(1, options.maxLines);
  const count = Math.ceil(greedy.length / maxLines);
  const lines = wrapBalanced(cue.text, options, greedy.length);
  const groups: string[][] = [];
  for (let i = 0, from = 0; i < count; i++) {
    const size = Math.floor(lines.length / count) + (i < lines.length % count ? 1 : 0);
    groups.push(lines.slice(from, from + size));
    from += size;
  }
  const cjkWidth = cjkWidthOf(options);
  const weights = groups.map((group) => group.reduce((sum, line) => sum + textWidth(line, cjkWidth), 0));
  const total = weights.reduce((a, b) => a + b, 0);
  const span = cue.endMs - cue.startMs;
  let covered = 0;
  return groups.map((group, i) => {
    const startMs = cue.startMs + Math.round((span * covered) / total);
    covered += weights[i];
    const endMs = i === groups.length - 1 ? cue.endMs : cue.startMs + Math.round((span * covered) / total);
    return { startMs, endMs, text: group.join('\n') };
  });
}
