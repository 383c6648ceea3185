module.exports = {
  'node-option': ['import=tsx'],
  spec: ['test/contract/**/*.test.ts'],
  timeout: 20000,
};
