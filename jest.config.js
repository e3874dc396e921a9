// One jest run for every tier: *.unit.spec.ts (pure), *.int.spec.ts (real NATS + MongoDB-wire),
// *.e2e.spec.ts (every service as its own process). Servers are started once in global-setup.
const fs = require('fs');
const swcConfig = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcConfig.$schema;

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/contracts', '<rootDir>/libs', '<rootDir>/services', '<rootDir>/tools', '<rootDir>/examples', '<rootDir>/scripts', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcConfig, swcrc: false, sourceMaps: 'inline' }] },
  moduleNameMapper: {
    '^@contracts$': '<rootDir>/contracts/index.ts',
    '^@contracts/(.*)$': '<rootDir>/contracts/$1',
    '^@libs/(.*)$': '<rootDir>/libs/$1',
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
