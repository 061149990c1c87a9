// Part 1 of 4 of the million-instant agreement with luxon (see luxon-agreement.ts).
import { checkLuxonAgreement } from './luxon-agreement.js';

checkLuxonAgreement(['Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham'], 1);
