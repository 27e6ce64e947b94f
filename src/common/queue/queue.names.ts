/** Every Bull queue. Jobs carry only ids; the database rows hold the state. */
export const QueueName = {
  Tasks: 'tasks',
  Webhooks: 'webhooks',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: QueueName[] = Object.values(QueueName);
