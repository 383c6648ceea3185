module.exports = {
  'node-option': ['import=tsx'],
  spec: ['test/integration/**/*.test.ts'],
  timeout: 180000,
  exit: true,
};
