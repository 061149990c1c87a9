// npm run demo: the seed articles' scenarios, played through the real library.
import { consolePrinter, type Scene } from './scenes/print.js';
import loginScenes from './scenes/login.js';
import policyScenes from './scenes/policy.js';
import netScenes from './scenes/net.js';
import mailScenes from './scenes/mail.js';
import hoursScenes from './scenes/hours.js';
import apikeysScenes from './scenes/apikeys.js';
import otpScenes from './scenes/otp.js';
import accessScenes from './scenes/access.js';

const scenes: Scene[] = [policyScenes, loginScenes, accessScenes, otpScenes, apikeysScenes, hoursScenes, mailScenes, netScenes];

const out = consolePrinter();
out.say('staffgate demo: each scene is a situation from the help-centre articles, decided by the library.');
for (const scene of scenes) await scene(out);
