/** Milliseconds → seconds as ffmpeg reads them ("2.5", "0.04"), to the millisecond. */
export const seconds = (ms: number): string => String(Math.round(ms) / 1000);

/**
 * Makes any string safe as one option value inside a filtergraph (`ass=filename=<here>`).
 * ffmpeg unescapes twice (https://ffmpeg.org/ffmpeg-filters.html#Notes-on-filtergraph-escaping):
 * the option parser reads `'…'` literally (a quote itself as `'\''`), then the graph parser needs
 * `\ ' [ ] , ;` backslash-escaped. argv has no shell, so there is no third level.
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = `'${value.replace(/'/g, `'\\''`)}'`;
  return optionLevel.replace(/[\\'[\],;]/g, (ch) => `\\${ch}`);
}

/** "#RRGGBB" → "0xRRGGBB" for lavfi colour options; anything else is refused. */
export function lavfiColor(hex: string): string {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) {
    throw new Error(`not a #RRGGBB colour: ${JSON.stringify(hex)}`);
  }
  return `0x${hex.slice(1).toUpperCase()}`;
}
