/**
 * Share links: a scenario travels in the `?s=` parameter of the page's address, as the fields
 * that differ from the defaults, in JSON, compressed by lz-string into URL-safe characters.
 * Anything can arrive in an address, so decoding refuses what is too long, damaged, invalid or
 * too large to simulate, with a message that says which.
 */
import LZString from 'lz-string';
import { count } from '../format';
import {
  checkWork,
  diffPatch,
  parseScenario,
  replacedWhole,
  WorkTooLargeError,
  type Scenario,
} from '../sim';
import { BROWSER_MAX_EVENTS } from './playback.svelte';

/** The query parameter that carries a shared scenario. */
export const SHARE_PARAM = 's';
/** Longer parameters are refused before anything is decompressed. */
export const MAX_SHARE_PARAM_CHARS = 8 * 1024;
/** The longest JSON a parameter may decompress to. */
export const MAX_SHARE_JSON_CHARS = 64 * 1024;

export type DecodeResult = { ok: true; scenario: Scenario } | { ok: false; message: string };

const parsedDefaults = parseScenario({});
if (!parsedDefaults.ok)
  throw new Error(`the schema's defaults are invalid: ${parsedDefaults.message}`);
/**
 * Only the fields that differ from the defaults travel: the schema fills in the rest of an object,
 * field by field, and the workload, lists and settings without a default travel whole.
 */
const DEFAULTS: Record<string, unknown> = parsedDefaults.scenario;

/** The scenario as a compact, URL-safe string. */
export function encodeShare(scenario: Scenario): string {
  return LZString.compressToEncodedURIComponent(
    JSON.stringify(diffPatch(DEFAULTS, scenario, replacedWhole)),
  );
}

/** Reads a share parameter; never throws. */
export function decodeShare(param: string, maxEvents = BROWSER_MAX_EVENTS): DecodeResult {
  if (param.length > MAX_SHARE_PARAM_CHARS) {
    return {
      ok: false,
      message:
        `The share link is too long (${count(param.length)} characters; ` +
        `the limit is ${count(MAX_SHARE_PARAM_CHARS)}).`,
    };
  }
  let json: string | null;
  try {
    json = LZString.decompressFromEncodedURIComponent(param);
  } catch {
    json = null;
  }
  if (!json) {
    return { ok: false, message: 'The share link is damaged: it could not be decompressed.' };
  }
  if (json.length > MAX_SHARE_JSON_CHARS) {
    return {
      ok: false,
      message:
        `The share link holds too much (${count(json.length)} characters once unpacked; ` +
        `the limit is ${count(MAX_SHARE_JSON_CHARS)}).`,
    };
  }
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch {
    return { ok: false, message: 'The share link is damaged: its contents are not valid JSON.' };
  }
  const parsed = parseScenario(input);
  if (!parsed.ok) {
    return { ok: false, message: `The shared scenario is invalid: ${parsed.message}.` };
  }
  try {
    checkWork(parsed.scenario, maxEvents);
  } catch (error) {
    if (error instanceof WorkTooLargeError) {
      return {
        ok: false,
        message: `The shared scenario is too large for a browser: ${error.message}.`,
      };
    }
    throw error;
  }
  return { ok: true, scenario: parsed.scenario };
}

/** `base` with `?s=` set to the scenario; other parameters and the fragment are kept. */
export function shareUrl(base: string, scenario: Scenario): string {
  const url = new URL(base);
  url.searchParams.set(SHARE_PARAM, encodeShare(scenario));
  return url.href;
}

/** The scenario shared in an address, or null when the address shares none. */
export function readShareFromUrl(url: string): DecodeResult | null {
  let param: string | null;
  try {
    param = new URL(url).searchParams.get(SHARE_PARAM);
  } catch {
    return { ok: false, message: 'The address is not a valid URL.' };
  }
  return param === null ? null : decodeShare(param);
}
