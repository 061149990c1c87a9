// Entry for workerd (Cloudflare Workers): the smoke suite runs inside a request, as a worker's
// code would (workerd refuses random values at global scope), and answers with its result.
import { runSmoke } from './smoke.js';

export default {
  async fetch(): Promise<Response> {
    const result = await runSmoke();
    return Response.json(result, { status: result.ok ? 200 : 500 });
  },
};
