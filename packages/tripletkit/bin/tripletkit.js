#!/usr/bin/env node
// The unscoped entry point (`npx tripletkit`, `npm i -g tripletkit`): runs @tripletkit/cli's launcher.
await import('@tripletkit/cli/bin');
