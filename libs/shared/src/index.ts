export * from './lib/records';
export * from './lib/validation';
export * from './lib/roles';
export * from './lib/api';
export * from './lib/imports';
export * from './lib/rubrics';
export * from './lib/analytics';
export * from './lib/settings';
