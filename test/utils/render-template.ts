import type { RenderTemplate } from 'src/media/render/render.types';

/** A tiny template (180×320 at 15 fps) so real-ffmpeg tests encode in milliseconds. */
export const smallTemplate = (overrides: Partial<RenderTemplate> = {}): RenderTemplate => ({
  width: 180,
  height: 320,
  fps: 15,
  fontFamily: 'Noto Sans CJK SC',
  subtitleStyle: { fontSize: 20, primaryColor: '#FFFFFF', outlineColor: '#000000', position: 'bottom' },
  transition: 'fade',
  // A 12-frame dip to black: 6 frames out, 6 in.
  transitionMs: 800,
  musicVolume: 0.3,
  kenBurns: false,
  ...overrides,
});
