import { Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import type { JobName } from './queue.types';

export const JOB_PROCESSOR_METADATA = 'hiresignal:job-processor';

/** Marks a provider as the handler of one job; the queue refuses to boot if any job has none. */
export const JobProcessor = (name: JobName) =>
  applyDecorators(Injectable(), SetMetadata(JOB_PROCESSOR_METADATA, name));
