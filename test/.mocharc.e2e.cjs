module.exports = {
  'node-option': ['import=tsx'],
  spec: ['test/e2e/**/*.test.ts'],
  timeout: 120000,
  exit: true,
};
