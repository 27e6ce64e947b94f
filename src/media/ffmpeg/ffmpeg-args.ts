/** Flags every ffmpeg command starts with (the executor adds `-progress pipe:1 -nostats`). */
export const FFMPEG_COMMON = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'];

/** Every input is read as a plain local file, never through another protocol. */
export const fileInput = (path: string): string[] => ['-protocol_whitelist', 'file', '-i', `file:${path}`];

/** Output options writing one video frame as a JPEG file (quality 3 of mjpeg's 2–31). */
export const JPEG_FRAME = ['-frames:v', '1', '-q:v', '3', '-update', '1', '-f', 'image2'];
