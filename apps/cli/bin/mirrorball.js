#!/usr/bin/env node
// Runs the TypeScript entry point through tsx (the repository's way of running apps).
import { register } from 'tsx/esm/api';
register();
await import('../src/main.ts');
