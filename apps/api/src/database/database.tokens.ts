export const DATABASE_MODE = Symbol('DATABASE_MODE');
export type DatabaseMode = 'postgres' | 'embedded';
