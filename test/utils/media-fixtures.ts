import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface MediaFixtures {
  png: string;
  jpeg: string;
  mp4: string;
  wav: string;
  mp3: string;
}

const ffmpeg = (args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: 'ignore' });

/** Small real media made by ffmpeg, for tests that must not ship binary fixtures. */
export function makeMediaFixtures(dir: string): MediaFixtures {
  const files = {
    png: join(dir, 'still.png'),
    jpeg: join(dir, 'photo.jpg'),
    mp4: join(dir, 'clip.mp4'),
    wav: join(dir, 'tone.wav'),
    mp3: join(dir, 'tone.mp3'),
  };
  ffmpeg(['-f', 'lavfi', '-i', 'color=c=red:s=64x48', '-frames:v', '1', files.png]);
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=80x60:d=1', '-frames:v', '1', files.jpeg]);
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc=s=160x120:r=25:d=1.2',
    '-f',
    'lavfi',
    '-i',
    'sine=f=440:d=1.2',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    files.mp4,
  ]);
  ffmpeg(['-f', 'lavfi', '-i', 'sine=f=330:d=0.5', files.wav]);
  ffmpeg(['-f', 'lavfi', '-i', 'sine=f=330:d=0.8', '-c:a', 'libmp3lame', files.mp3]);
  return files;
}
