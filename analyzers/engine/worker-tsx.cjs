// The worker entry when Wirecheck runs from its TypeScript sources (tests): compiled on the fly by tsx.
// The bundle starts dist/worker.js instead.
require('tsx/cjs');
require('./worker.ts');
