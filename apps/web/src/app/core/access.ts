/*
 * Runtime values of the shared contract, each from its own file: the @hiresignal/shared barrel also exports the
 * zod record schemas, and a value import from it would put them (about 460 kB) into the dashboard's bundle.
 */
// eslint-disable-next-line @nx/enforce-module-boundaries -- one file of libs/shared, mapped in apps/web/tsconfig.json
export { ACCESS, ROLE_LABELS, ROLE_SUMMARIES, can, type Capability } from '@hiresignal/shared/access';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
export { ROLES } from '@hiresignal/shared/roles';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@hiresignal/shared/team';
