// Vitest's globalSetup of the main run: calls left by an earlier run must not count.
export { clearAwsCalls as setup } from './aws-call-log.ts';
