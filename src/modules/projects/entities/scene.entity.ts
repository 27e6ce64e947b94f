import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from 'src/database/transformers';
import type { TrackSentence } from 'src/modules/voice/entities/speech-cache.entity';

/** Where one sentence of a voiced narration starts and how long it lasts (subtitles are timed from it). */
export type SceneSentence = TrackSentence;

/**
 * One scene of a project. Besides what the user writes it caches what the renderer made of it:
 * the voiced narration (valid while `narrationHash` and `voiceKey` still match) and the rendered
 * segment (valid while `segmentHash` matches everything that shaped it).
 */
@Entity('project_scenes')
export class SceneEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'project_id', type: 'varchar', length: 36 }) projectId!: string;
  /** 0-based position in the project. */
  @Column({ name: 'scene_index', type: 'int' }) index!: number;
  @Column({ type: 'text' }) narration!: string;
  /** SHA-256 (hex) of the narration: what voice results are checked against. */
  @Column({ name: 'narration_hash', type: 'varchar', length: 64 }) narrationHash!: string;
  @Column({ name: 'visual_prompt', type: 'text', nullable: true }) visualPrompt!: string | null;
  @Column({ name: 'asset_id', type: 'varchar', length: 36, nullable: true }) assetId!: string | null;
  /** The renderer's hash of everything that shaped the voice (provider, voice, speed, narration). */
  @Column({ name: 'voice_key', type: 'varchar', length: 64, nullable: true }) voiceKey!: string | null;
  /** Storage key of the narration audio (speech cache: shared, never deleted with the scene). */
  @Column({ name: 'voice_track_key', type: 'varchar', length: 255, nullable: true }) voiceTrackKey!: string | null;
  @Column({ name: 'duration_ms', type: 'int', nullable: true }) durationMs!: number | null;
  @Column({ type: 'text', nullable: true, transformer: jsonText }) sentences!: SceneSentence[] | null;
  /** The renderer's hash of everything that shaped the segment video. */
  @Column({ name: 'segment_hash', type: 'varchar', length: 64, nullable: true }) segmentHash!: string | null;
  /** Storage key of the rendered segment; owned by the project (deleted with the scene). */
  @Column({ name: 'segment_key', type: 'varchar', length: 255, nullable: true }) segmentKey!: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt!: Date;
}
