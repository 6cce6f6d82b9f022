/** Jest runs the TypeScript sources through swc (no type-check here: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  testTimeout: 30000,
  // Seen here, now and then: after every suite had passed, Jest waited on with two pipe handles and two timers
  // that --detectOpenHandles did not name (after tests that spawn and SIGKILL bot processes). A run that
  // never ends would stall CI; the results are in by then, so Jest is told to exit.
  forceExit: true,
  globalSetup: '<rootDir>/test/global-setup.js',
};
