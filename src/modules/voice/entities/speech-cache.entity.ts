import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from 'src/database/transformers';

export type SpeechCacheKind = 'clip' | 'track';

export interface TrackSentence {
  text: string;
  startMs: number;
  durationMs: number;
}

/**
 * Content-addressed speech: the same provider, voice, speed and text are synthesized once and
 * shared by every task and user. A clip is one sentence; a track is a whole narration.
 */
@Entity('speech_cache')
export class SpeechCacheEntity {
  /** SHA-256 (hex) of everything that shapes the audio. */
  @PrimaryColumn({ name: 'cache_key', type: 'varchar', length: 64 }) cacheKey!: string;
  @Column({ type: 'varchar', length: 8 }) kind!: SpeechCacheKind;
  @Column({ name: 'storage_key', type: 'varchar', length: 255 }) storageKey!: string;
  @Column({ name: 'duration_ms', type: 'int' }) durationMs!: number;
  @Column({ name: 'size_bytes', type: 'int' }) sizeBytes!: number;
  @Column({ type: 'varchar', length: 80 }) etag!: string;
  /** Tracks: where each sentence starts and how long it lasts (subtitles are timed from these). */
  @Column({ type: 'text', nullable: true, transformer: jsonText }) sentences!: TrackSentence[] | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
}
