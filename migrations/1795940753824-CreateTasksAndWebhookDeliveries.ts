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

export class CreateTasksAndWebhookDeliveries1795940753824 implements MigrationInterface {
  name = 'CreateTasksAndWebhookDeliveries1795940753824';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'tasks',
        columns: [
          { ...uuid('id'), isPrimary: true },
          uuid('owner_id'),
          { name: 'type', type: 'varchar', length: '16' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'progress', type: 'int', default: 0 },
          { name: 'stage', type: 'varchar', length: '32', isNullable: true },
          { name: 'attempts', type: 'int', default: 0 },
          { name: 'max_attempts', type: 'int' },
          uuid('project_id', true),
          uuid('video_id', true),
          { name: 'input', type: 'text' },
          { name: 'result', type: 'text', isNullable: true },
          { name: 'error_code', type: 'varchar', length: '64', isNullable: true },
          { name: 'error_message', type: 'varchar', length: '1000', isNullable: true },
          { name: 'idempotency_key', type: 'varchar', length: '200', isNullable: true },
          { name: 'callback_url', type: 'varchar', length: '2048', isNullable: true },
          { name: 'job_id', type: 'varchar', length: '64', isNullable: true },
          timestamp('enqueued_at', true),
          { name: 'lease_owner', type: 'varchar', length: '64', isNullable: true },
          timestamp('lease_expires_at', true),
          timestamp('created_at'),
          timestamp('started_at', true),
          timestamp('finished_at', true),
          timestamp('updated_at'),
        ],
        indices: [
          { name: 'idx_tasks_owner_created', columnNames: ['owner_id', 'created_at'] },
          { name: 'idx_tasks_owner_status', columnNames: ['owner_id', 'status', 'created_at'] },
          { name: 'idx_tasks_status_lease', columnNames: ['status', 'lease_expires_at'] },
          { name: 'idx_tasks_status_enqueued', columnNames: ['status', 'enqueued_at'] },
          { name: 'uq_tasks_owner_idempotency', columnNames: ['owner_id', 'idempotency_key'], isUnique: true },
        ],
        foreignKeys: [
          {
            name: 'fk_tasks_owner',
            columnNames: ['owner_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          { ...uuid('id'), isPrimary: true },
          uuid('task_id'),
          { name: 'url', type: 'varchar', length: '2048' },
          { name: 'payload', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'int', default: 0 },
          { name: 'last_status_code', type: 'int', isNullable: true },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          timestamp('delivered_at', true),
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        indices: [{ name: 'idx_webhook_deliveries_task', columnNames: ['task_id'] }],
        foreignKeys: [
          {
            name: 'fk_webhook_deliveries_task',
            columnNames: ['task_id'],
            referencedTableName: 'tasks',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('tasks');
  }
}
