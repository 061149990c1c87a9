// npm run demo: the seed articles' scenarios, played through the real library, in the order a
// workspace admin meets them: settings and the layers for roles and teams, the network, hours, logins and their second factors,
// who sees what, API keys for other systems, mail kept out of the CRM, the security state
// that many app servers share, and the playground page that shows a policy at work.
import accessScenes from './scenes/access.js';
import apikeysScenes from './scenes/apikeys.js';
import hoursScenes from './scenes/hours.js';
import loginScenes from './scenes/login.js';
import mailScenes from './scenes/mail.js';
import netScenes from './scenes/net.js';
import otpScenes from './scenes/otp.js';
import policyScenes from './scenes/policy.js';
import layerScenes from './scenes/layers.js';
import governanceScenes from './scenes/governance.js';
import stateScenes from './scenes/state.js';
import playgroundScenes from './scenes/playground.js';
import { consolePrinter, type Scene } from './scenes/print.js';

const scenes: Scene[] = [policyScenes, layerScenes, netScenes, hoursScenes, loginScenes, otpScenes, accessScenes, apikeysScenes, mailScenes, governanceScenes, stateScenes, playgroundScenes];

const out = consolePrinter();
out.say('staffgate demo: each scene is a situation from the help-centre articles, decided by the library.');
for (const scene of scenes) await scene(out);
