// Entry for Node, Bun and Deno: runs the smoke suite and prints its result as one JSON line.
// A failure also exits non-zero (the thrown error), so the file works on its own too.
import { runSmoke } from './smoke.js';

const result = await runSmoke();
console.log(JSON.stringify(result));
if (!result.ok) throw new Error(`staffgate smoke failed on ${result.runtime}:\n${result.failures.join('\n')}`);
