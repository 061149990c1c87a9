// Part 4 of 4 of the million-instant agreement with luxon (see luxon-agreement.ts).
import { checkLuxonAgreement } from './luxon-agreement.js';

checkLuxonAgreement(['Antarctica/Troll', 'Asia/Gaza', 'Pacific/Kiritimati', 'Africa/Monrovia'], 4);
