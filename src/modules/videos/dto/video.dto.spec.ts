import { VideoEntity } from 'src/modules/videos/entities/video.entity';
import { VideoDto } from 'src/modules/videos/dto/video.dto';

const video = (overrides: Partial<VideoEntity> = {}) =>
  Object.assign(new VideoEntity(), {
    id: 'v1',
    projectId: 'p1',
    taskId: null,
    status: 'pending',
    quality: 'standard',
    width: 1080,
    height: 1920,
    fps: 30,
    durationMs: null,
    fileKey: null,
    fileSizeBytes: null,
    thumbnailKey: null,
    subtitlesKey: null,
    createdAt: new Date('2026-01-02T03:04:05.006Z'),
    ...overrides,
  });

describe(VideoDto.name, () => {
  it('has no URLs until the video is ready', () => {
    const dto = VideoDto.from(video({ fileKey: 'k', thumbnailKey: 't', subtitlesKey: 's' }));
    expect(dto).toMatchObject({ status: 'pending', fileUrl: null, thumbnailUrl: null, subtitlesUrl: null });
  });

  it('links each stored file of a ready video, and only those', () => {
    const dto = VideoDto.from(
      video({ status: 'ready', fileKey: 'k', fileSizeBytes: 42, thumbnailKey: 't', durationMs: 1500 }),
    );
    expect(dto).toEqual({
      id: 'v1',
      projectId: 'p1',
      status: 'ready',
      quality: 'standard',
      taskId: null,
      width: 1080,
      height: 1920,
      fps: 30,
      durationMs: 1500,
      sizeBytes: 42,
      createdAt: '2026-01-02T03:04:05.006Z',
      fileUrl: '/api/v1/videos/v1/file',
      thumbnailUrl: '/api/v1/videos/v1/thumbnail',
      subtitlesUrl: null,
    });
  });
});
