/** 'all' is the embedded default: the HTTP API and a worker in one process. */
export type ProcessRole = 'all' | 'api' | 'worker';

/** Injection token for the role this process was started in. */
export const PROCESS_ROLE = Symbol('PROCESS_ROLE');

export const servesHttp = (role: ProcessRole): boolean => role !== 'worker';
export const runsJobs = (role: ProcessRole): boolean => role !== 'api';
