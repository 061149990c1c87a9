// Part 2 of 4 of the million-instant agreement with luxon (see luxon-agreement.ts).
import { checkLuxonAgreement } from './luxon-agreement.js';

checkLuxonAgreement(['America/Santiago', 'Pacific/Apia', 'Europe/London', 'America/New_York'], 2);
