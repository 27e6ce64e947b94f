import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AssetKind } from 'src/modules/assets/asset-classifier';

const bigint = {
  to: (value: number) => value,
  from: (value: string | number) => Number(value),
};

/** A user's image, video or audio file. The bytes live in storage under `storageKey`. */
@Entity('assets')
export class AssetEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'owner_id', type: 'varchar', length: 36 }) ownerId!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: AssetKind;
  @Column({ name: 'mime_type', type: 'varchar', length: 64 }) mimeType!: string;
  @Column({ name: 'size_bytes', type: 'bigint', transformer: bigint }) sizeBytes!: number;
  @Column({ name: 'original_name', type: 'varchar', length: 255 }) originalName!: string;
  @Column({ name: 'storage_key', type: 'varchar', length: 255 }) storageKey!: string;
  /** False when the object is shared (content-addressed speech): deleting the asset keeps it. */
  @Column({ name: 'owns_object', type: 'boolean', default: true }) ownsObject!: boolean;
  @Column({ type: 'varchar', length: 80 }) etag!: string;
  @Column({ type: 'int', nullable: true }) width!: number | null;
  @Column({ type: 'int', nullable: true }) height!: number | null;
  @Column({ name: 'duration_ms', type: 'int', nullable: true }) durationMs!: number | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
}
