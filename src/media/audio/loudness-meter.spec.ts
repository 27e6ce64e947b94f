import { integratedLoudness } from 'src/media/audio/loudness-meter';
import type { PcmAudio } from 'src/media/ffmpeg/wav';

/** A sine of `seconds` at peak `amplitude` (1 = full scale). */
function sine(amplitude: number, hz: number, seconds: number, sampleRate = 48_000): PcmAudio {
  const samples = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < samples.length; i++) {
    samples[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  }
  return { sampleRate, samples };
}

const silence = (seconds: number, sampleRate = 48_000): PcmAudio => ({
  sampleRate,
  samples: new Float32Array(Math.round(seconds * sampleRate)),
});

describe(integratedLoudness.name, () => {
  // BS.1770's reference: a 997 Hz sine at full scale in one channel reads -3.01 LUFS; K-weighting
  // is ~0 dB at 1 kHz, so a mono sine of peak A reads 20·log10(A) - 3.01.
  it.each([
    [1, 48_000, -3.01],
    [0.1, 48_000, -23.01],
    [0.1, 22_050, -23.01],
    [0.01, 24_000, -43.01],
  ])('reads a 997 Hz sine of peak %s at %d Hz as %s LUFS', (amplitude, rate, lufs) => {
    expect(integratedLoudness([sine(amplitude, 997, 3, rate)])).toBeCloseTo(lufs, 1);
  });

  it('weights highs up and lows down like the K curve', () => {
    const at1k = integratedLoudness([sine(0.1, 997, 3)])!;
    expect(integratedLoudness([sine(0.1, 4000, 3)])! - at1k).toBeGreaterThan(3);
    expect(integratedLoudness([sine(0.1, 30, 3)])! - at1k).toBeLessThan(-1);
  });

  it('gates out silence, however long, and pools pieces as one programme', () => {
    expect(integratedLoudness([sine(0.1, 997, 2), silence(10), sine(0.1, 997, 2)])).toBeCloseTo(-23.01, 1);
    // A piece 20 dB quieter sits exactly at the relative gate's edge and is mostly gated away.
    expect(integratedLoudness([sine(0.1, 997, 3), sine(0.01, 997, 3)])).toBeCloseTo(-23.01, 0);
  });

  it.each([[[]], [[silence(3)]], [[sine(0.1, 997, 0.3)]]])('has no loudness for %#', (pieces) => {
    expect(integratedLoudness(pieces)).toBeUndefined();
  });
});
