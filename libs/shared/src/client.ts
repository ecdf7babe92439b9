/*
 * The shared contract without the zod record schemas: what the dashboard imports values from. The main entry
 * (@hiresignal/shared) also exports the schemas, and a value import from it would put zod (about 460 kB) into the
 * dashboard's bundle.
 */
export * from './lib/access';
export * from './lib/roles';
export * from './lib/team';
export * from './lib/fairness';
