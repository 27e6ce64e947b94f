/** What Reelsmith needs to know about a media file, from ffprobe's JSON. */
export interface MediaInfo {
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "png_pipe", "wav". */
  formatName: string;
  durationMs: number;
  video?: { codec: string; width: number; height: number; fps: number; frames: number };
  audio?: { codec: string; channels: number; sampleRate: number };
}

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  channels?: number;
  sample_rate?: string;
  duration?: string;
}

interface RawProbe {
  streams?: RawStream[];
  format?: { format_name?: string; duration?: string };
}

// Missing or unparsable numbers become 0, so callers compare numbers, never undefined.
const num = (value: unknown): number => {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : NaN;
  return Number.isFinite(parsed) ? parsed : 0;
};

/** "30000/1001" → 29.97; "0/0" → 0. */
export function parseRate(rate: string | undefined): number {
  const [n, d] = String(rate ?? '')
    .split('/')
    .map(Number);
  return d ? Math.round((n / d) * 1000) / 1000 : num(n);
}

/** Converts ffprobe -print_format json output into MediaInfo (first video and audio stream). */
export function parseProbe(json: string): MediaInfo {
  const raw = JSON.parse(json) as RawProbe;
  const streams = raw.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  const audio = streams.find((s) => s.codec_type === 'audio');
  const seconds = num(raw.format?.duration) || Math.max(0, ...streams.map((s) => num(s.duration)));
  return {
    formatName: raw.format?.format_name ?? '',
    durationMs: Math.round(seconds * 1000),
    ...(video && {
      video: {
        codec: video.codec_name ?? '',
        width: num(video.width),
        height: num(video.height),
        fps: parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate),
        frames: num(video.nb_frames),
      },
    }),
    ...(audio && {
      audio: { codec: audio.codec_name ?? '', channels: num(audio.channels), sampleRate: num(audio.sample_rate) },
    }),
  };
}
