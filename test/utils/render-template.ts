import type { RenderTemplate } from 'src/media/render/render.types';

/** A tiny template (180×320 at 15 fps) so real-ffmpeg tests encode in milliseconds. */
export const smallTemplate = (overrides: Partial<RenderTemplate> = {}): RenderTemplate => ({
  width: 180,
  height: 320,
  fps: 15,
  fontFamily: 'Noto Sans CJK SC',
  subtitleStyle: { fontSize: 20, primaryColor: '#FFFFFF', outlineColor: '#000000', position: 'bottom' },
  transition: 'fade',
  transitionMs: 400,
  musicVolume: 0.3,
  kenBurns: false,
  ...overrides,
});
