#!/usr/bin/env node
// The unscoped entry point (`npx tripletkit`, `npm i -g tripletkit`): runs @tripletkit/cli.
await import('@tripletkit/cli/main');
