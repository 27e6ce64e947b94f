import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

const uuid = (name: string, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable,
});
const timestamp = (name: string): TableColumnOptions => ({ name, type: 'datetime', precision: 3 });

export class CreateProjectsAndScenes1795943889625 implements MigrationInterface {
  name = 'CreateProjectsAndScenes1795943889625';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'projects',
        columns: [
          { ...uuid('id'), isPrimary: true },
          uuid('owner_id'),
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'topic', type: 'varchar', length: '500', isNullable: true },
          { name: 'language', type: 'varchar', length: '16' },
          uuid('template_id'),
          { name: 'voice_id', type: 'varchar', length: '100', isNullable: true },
          uuid('music_asset_id', true),
          { name: 'subtitles', type: 'boolean', default: true },
          uuid('latest_video_id', true),
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        indices: [
          { name: 'idx_projects_owner_created', columnNames: ['owner_id', 'created_at'] },
          { name: 'idx_projects_template', columnNames: ['template_id'] },
          { name: 'idx_projects_music_asset', columnNames: ['music_asset_id'] },
        ],
        foreignKeys: [
          {
            name: 'fk_projects_owner',
            columnNames: ['owner_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            // A template in use cannot be deleted (the API answers 409).
            name: 'fk_projects_template',
            columnNames: ['template_id'],
            referencedTableName: 'templates',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
          {
            // The API refuses to delete an asset in use; SET NULL only keeps a user's deletion possible.
            name: 'fk_projects_music_asset',
            columnNames: ['music_asset_id'],
            referencedTableName: 'assets',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'project_scenes',
        columns: [
          { ...uuid('id'), isPrimary: true },
          uuid('project_id'),
          { name: 'scene_index', type: 'int' },
          { name: 'narration', type: 'text' },
          { name: 'narration_hash', type: 'varchar', length: '64' },
          { name: 'visual_prompt', type: 'text', isNullable: true },
          uuid('asset_id', true),
          { name: 'voice_key', type: 'varchar', length: '64', isNullable: true },
          { name: 'voice_track_key', type: 'varchar', length: '255', isNullable: true },
          { name: 'duration_ms', type: 'int', isNullable: true },
          { name: 'sentences', type: 'text', isNullable: true },
          { name: 'segment_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'segment_key', type: 'varchar', length: '255', isNullable: true },
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        indices: [
          { name: 'uq_project_scenes_order', columnNames: ['project_id', 'scene_index'], isUnique: true },
          { name: 'idx_project_scenes_asset', columnNames: ['asset_id'] },
        ],
        foreignKeys: [
          {
            name: 'fk_project_scenes_project',
            columnNames: ['project_id'],
            referencedTableName: 'projects',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            name: 'fk_project_scenes_asset',
            columnNames: ['asset_id'],
            referencedTableName: 'assets',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('project_scenes');
    await queryRunner.dropTable('projects');
  }
}
