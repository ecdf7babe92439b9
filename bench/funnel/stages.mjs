/** The benchmark organization's stage list, in order (the generator in run.mjs draws its stage events over it). */
export const STAGES = [
  'recruiter_screen',
  'pipeline_debugging',
  'inference_latency',
  'system_design',
  'cross_functional',
  'offer',
  'hired',
];
