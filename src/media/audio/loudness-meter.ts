import type { PcmAudio } from 'src/media/ffmpeg/wav';

/**
 * Integrated loudness (LUFS) after ITU-R BS.1770-4 / EBU R128, for mono speech read in-process:
 * K-weighting (a +4 dB high shelf above ~1.7 kHz, then a ~38 Hz high-pass), mean square over
 * 400 ms blocks every 100 ms, an absolute gate at -70 LUFS and a relative gate 10 LU below the
 * mean of the blocks that passed. Several pieces (sentence clips) are measured as one programme by
 * pooling their blocks; silence between them would be gated out anyway. Computing it here spares
 * an ffmpeg measuring pass per narration track; tests hold it to ffmpeg's `ebur128`.
 */

const ABSOLUTE_GATE_LUFS = -70;
const RELATIVE_GATE_LU = -10;
const BLOCK_SECONDS = 0.4;
const STEP_SECONDS = 0.1;

interface Biquad {
  b: [number, number, number];
  a: [number, number];
}

/** The two K-weighting stages for a sample rate, by the bilinear transform of their analogue designs. */
function kWeighting(sampleRate: number): [Biquad, Biquad] {
  // Stage 1: high shelf, +4 dB (f0 1681.97 Hz, Q 0.7072), models the head's acoustic effect.
  const shelfK = Math.tan((Math.PI * 1681.974450955533) / sampleRate);
  const shelfQ = 0.7071752369554196;
  const vh = 10 ** (3.999843853973347 / 20);
  const vb = vh ** 0.4996667741545416;
  const shelfA0 = 1 + shelfK / shelfQ + shelfK * shelfK;
  const shelf: Biquad = {
    b: [
      (vh + (vb * shelfK) / shelfQ + shelfK * shelfK) / shelfA0,
      (2 * (shelfK * shelfK - vh)) / shelfA0,
      (vh - (vb * shelfK) / shelfQ + shelfK * shelfK) / shelfA0,
    ],
    a: [(2 * (shelfK * shelfK - 1)) / shelfA0, (1 - shelfK / shelfQ + shelfK * shelfK) / shelfA0],
  };
  // Stage 2: the "RLB" high-pass (f0 38.14 Hz, Q 0.5003).
  const passK = Math.tan((Math.PI * 38.13547087602444) / sampleRate);
  const passQ = 0.5003270373238773;
  const passA0 = 1 + passK / passQ + passK * passK;
  const highPass: Biquad = {
    b: [1, -2, 1],
    a: [(2 * (passK * passK - 1)) / passA0, (1 - passK / passQ + passK * passK) / passA0],
  };
  return [shelf, highPass];
}

function filter(samples: ArrayLike<number>, { b, a }: Biquad): Float64Array {
  const out = new Float64Array(samples.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i];
    const y = b[0] * x + b[1] * x1 + b[2] * x2 - a[0] * y1 - a[1] * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    out[i] = y;
  }
  return out;
}

/** Mean square of the K-weighted signal in every full 400 ms block, 100 ms apart. */
function blockPowers({ samples, sampleRate }: PcmAudio): number[] {
  const [shelf, highPass] = kWeighting(sampleRate);
  const weighted = filter(filter(samples, shelf), highPass);
  const block = Math.round(BLOCK_SECONDS * sampleRate);
  const step = Math.round(STEP_SECONDS * sampleRate);
  const squares = new Float64Array(weighted.length + 1);
  for (let i = 0; i < weighted.length; i++) {
    squares[i + 1] = squares[i] + weighted[i] * weighted[i];
  }
  const powers: number[] = [];
  for (let start = 0; start + block <= weighted.length; start += step) {
    powers.push((squares[start + block] - squares[start]) / block);
  }
  return powers;
}

const loudnessOf = (power: number) => -0.691 + 10 * Math.log10(power);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Integrated loudness of the pieces as one programme, or undefined when nothing passes the gates. */
export function integratedLoudness(pieces: readonly PcmAudio[]): number | undefined {
  const powers = pieces.flatMap(blockPowers).filter((p) => p > 0 && loudnessOf(p) > ABSOLUTE_GATE_LUFS);
  if (powers.length === 0) {
    return undefined;
  }
  const relativeGate = loudnessOf(mean(powers)) + RELATIVE_GATE_LU;
  const gated = powers.filter((p) => loudnessOf(p) > relativeGate);
  return gated.length > 0 ? loudnessOf(mean(gated)) : undefined;
}
