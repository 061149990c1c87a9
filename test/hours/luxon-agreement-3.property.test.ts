// Part 3 of 4 of the million-instant agreement with luxon (see luxon-agreement.ts).
import { checkLuxonAgreement } from './luxon-agreement.js';

checkLuxonAgreement(['Asia/Tehran', 'Africa/Casablanca', 'Europe/Dublin', 'America/Havana'], 3);
