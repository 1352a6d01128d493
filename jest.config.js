/** One jest config for unit (co-located *.spec.ts) and e2e (test/**) suites. Type checking is done once by `tsc` in `npm test`,
 * so ts-jest only transpiles (isolatedModules) to keep the suite fast. */
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: 'tsconfig.jest.json' }] },
  moduleNameMapper: {
    '^@switchyard/config$': '<rootDir>/config',
    '^@switchyard/(.*)$': '<rootDir>/libs/$1/src',
  },
  testEnvironment: 'node',
  testTimeout: 60000,
  maxWorkers: 2,
};
