import type { SubtitleStyle } from 'src/media/render/render.types';
import { AspectRatio } from 'src/modules/templates/entities/template.entity';

const RATIOS: Record<AspectRatio, number> = { '9:16': 9 / 16, '16:9': 16 / 9, '1:1': 1 };
// Frames a few pixels off the exact ratio (854×480 for 16:9) are common and harmless.
const RATIO_TOLERANCE = 0.01;

export const matchesAspectRatio = (ratio: AspectRatio, width: number, height: number): boolean =>
  Math.abs(width / height - RATIOS[ratio]) / RATIOS[ratio] <= RATIO_TOLERANCE;

/** The contract's aspect ratio a frame has, or undefined when it has none of them. */
export function aspectRatioOf(width: number, height: number): AspectRatio | undefined {
  return (Object.keys(RATIOS) as AspectRatio[]).find((ratio) => matchesAspectRatio(ratio, width, height));
}

/** White text with a black outline at the bottom, about 6 % of the frame's height. */
export function defaultSubtitleStyle(height: number): SubtitleStyle {
  return {
    fontSize: Math.round(height * 0.06),
    primaryColor: '#FFFFFF',
    outlineColor: '#000000',
    position: 'bottom',
  };
}
