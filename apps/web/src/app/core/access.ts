// Runtime values of the shared contract come from its zod-free entry (see libs/shared/src/client.ts).
export {
  ACCESS,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  ROLE_LABELS,
  ROLE_SUMMARIES,
  ROLES,
  can,
  type Capability,
} from '@hiresignal/shared/client';
