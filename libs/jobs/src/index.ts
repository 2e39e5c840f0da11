export * from './bullmq-job-queue.js';
export * from './in-process-job-queue.js';
export * from './job-catalogue.js';
export * from './job-queue.js';
export * from './jobs.module.js';
