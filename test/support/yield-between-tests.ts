/**
 * Let the event loop turn between tests. A run of synchronous tests (each one spawning the CLI and waiting for
 * it) otherwise never reaches the loop's I/O phase, so the test runner's messages to its main process go
 * unanswered until the whole file ends, and after 60 s it reports a timeout although every test passed.
 */
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
