import { parentPort, workerData } from 'node:worker_threads';
import { runStagingThread, stagingTaskOf } from './modules/ingestion/files/staging-thread';

/*
 * Entry of the staging worker thread (a bundle of its own, so the thread loads the parser and the checks, not
 * NestJS): see modules/ingestion/files/staging-thread.ts.
 */
const task = stagingTaskOf(workerData);
const port = parentPort;
if (task && port) void runStagingThread(task, (message) => port.postMessage(message));
