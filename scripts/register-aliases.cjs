// Resolves the @switchyard/* path aliases for the compiled output under dist/ (node -r ./scripts/register-aliases.cjs …).
const path = require('node:path');
const tsconfigPaths = require('tsconfig-paths');

tsconfigPaths.register({
  baseUrl: path.join(__dirname, '..', 'dist'),
  paths: { '@switchyard/config': ['config'], '@switchyard/*': ['libs/*/src'] },
});
