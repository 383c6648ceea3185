module.exports = {
  'node-option': ['import=tsx'],
  spec: ['test/unit/**/*.test.ts'],
  timeout: 10000,
};
