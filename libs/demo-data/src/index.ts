export * from './lib/random';
export * from './lib/demo-model';
export * from './lib/generate-demo-data';
export * from './lib/csv';
export * from './lib/write-demo-data';
