// The API as one CommonJS bundle; node_modules stay external (Node 20.19+ can require the ESM-only NestJS 12).
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/api'),
    clean: true,
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      // The file-import staging thread (modules/ingestion/files/staging-thread.ts), loaded by main.js at run time.
      additionalEntryPoints: [{ entryName: 'staging-thread', entryPath: './src/staging-thread.main.ts' }],
      tsConfig: './tsconfig.app.json',
      assets: [],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: false,
      sourceMap: true,
    }),
  ],
};
