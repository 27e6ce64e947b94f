import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

const uuid = (name: string, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable,
});
const timestamp = (name: string, isNullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable,
});
const storedObject = (prefix: string, sizeType: 'int' | 'bigint'): TableColumnOptions[] => [
  { name: `${prefix}_key`, type: 'varchar', length: '255', isNullable: true },
  { name: `${prefix}_etag`, type: 'varchar', length: '80', isNullable: true },
  { name: `${prefix}_size_bytes`, type: sizeType, isNullable: true },
];

export class CreateVideos1795943889626 implements MigrationInterface {
  name = 'CreateVideos1795943889626';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'videos',
        columns: [
          { ...uuid('id'), isPrimary: true },
          uuid('owner_id'),
          uuid('project_id'),
          uuid('task_id', true),
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'quality', type: 'varchar', length: '16' },
          { name: 'width', type: 'int' },
          { name: 'height', type: 'int' },
          { name: 'fps', type: 'int' },
          { name: 'duration_ms', type: 'int', isNullable: true },
          ...storedObject('file', 'bigint'),
          ...storedObject('thumbnail', 'int'),
          ...storedObject('subtitles', 'int'),
          timestamp('created_at'),
          timestamp('updated_at'),
          timestamp('finished_at', true),
        ],
        indices: [
          { name: 'idx_videos_owner_created', columnNames: ['owner_id', 'created_at'] },
          { name: 'idx_videos_project_created', columnNames: ['project_id', 'created_at'] },
        ],
        foreignKeys: [
          {
            name: 'fk_videos_owner',
            columnNames: ['owner_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            name: 'fk_videos_project',
            columnNames: ['project_id'],
            referencedTableName: 'projects',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('videos');
  }
}
