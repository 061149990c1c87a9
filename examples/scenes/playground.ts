import { EXAMPLES } from '../../playground/examples.js';
import { analyse } from '../../playground/model.js';
import { decodeState, encodeState } from '../../playground/state.js';
import type { Printer } from './print.js';

// The playground page (npm run playground) runs on the same analysis as this scene: the road
// user's example, decided, and the link that reproduces it.
export default async function playgroundScenes(out: Printer): Promise<void> {
  out.scene('Playground: a policy you can try, and a link that shows it to a colleague');
  const road = EXAMPLES.find((e) => e.id === 'road') ?? EXAMPLES[0];
  if (road === undefined) return;
  const a = analyse(road.state);
  out.say(`“${road.title}”: ${road.state.whatIf.staffId} (teams ${road.state.whatIf.teams}) signs in from ${road.state.whatIf.ip} at ${road.state.whatIf.at}.`);
  if (a.whatIf.ok) {
    out.show('decision', a.whatIf.simulation.decision.outcome);
    out.show('trace', a.whatIf.simulation.trace.map((s) => `${s.rule} ${s.status} [${s.source}]`));
  }
  out.show('lint', (a.findings ?? []).map((f) => `${f.severity} ${f.code} ${f.path}`));
  const fragment = await encodeState(road.state);
  out.show('link', `npm run playground, then open …/#${fragment.slice(0, 48)}… (${String(fragment.length)} characters for ${String(JSON.stringify(road.state).length)} of state)`);
  const back = await decodeState(fragment);
  out.show('the link reproduces the state', back.ok && JSON.stringify(back.state) === JSON.stringify(road.state));
  const hostile = await decodeState('#s=not-a-playground-link');
  out.show('a damaged link', hostile.ok ? 'read' : hostile.message);
}
