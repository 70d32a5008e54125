import { TCString } from "@iabtcf/core";
import type { TcfSummary } from "./record.ts";

// IAB TCF v2 TC strings, decoded with the IAB Tech Lab's own library
// (@iabtcf/core). Its decoder throws on malformed base64 and bit lengths but
// accepts some strings that decode to nonsense, so the result is checked too.

const TC_STRING = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
export const MAX_TC_STRING = 8_192;

export type TcDecodeResult = { ok: true; tcf: TcfSummary } | { ok: false; message: string };

function isoOrNull(date: Date | undefined): string | null {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

/** Validates and decodes a TC string; `version` is the TCF version the client named, if any. */
export function decodeTcString(value: string, version?: string): TcDecodeResult {
  if (value.length === 0 || value.length > MAX_TC_STRING || !TC_STRING.test(value)) {
    return { ok: false, message: "is not a TC string (base64url segments separated by dots)." };
  }
  let model: ReturnType<typeof TCString.decode>;
  try {
    model = TCString.decode(value);
  } catch {
    // Our own words: the library's exception text is about its internals ("reading 'core'"), not the client's input.
    return { ok: false, message: "could not be decoded as a TCF v2 TC string (its segments or bit lengths are malformed)." };
  }
  if (model.version !== 2) return { ok: false, message: `is a TCF v${String(model.version)} string; only TCF v2 is accepted.` };
  if (!(Number(model.cmpId) > 0)) return { ok: false, message: "names no CMP (cmpId 0): not a valid TC string." };
  const created = isoOrNull(model.created);
  if (created === null) return { ok: false, message: "has no valid creation date." };
  if (version !== undefined && !version.startsWith("2")) {
    return { ok: false, message: `is TCF v2 but "version" says ${version}.` };
  }
  return {
    ok: true,
    tcf: {
      version: version ?? "2.0",
      tcfPolicyVersion: Number(model.policyVersion),
      cmpId: Number(model.cmpId),
      cmpVersion: Number(model.cmpVersion),
      vendorListVersion: Number(model.vendorListVersion),
      created,
      lastUpdated: isoOrNull(model.lastUpdated),
      consentLanguage: model.consentLanguage,
      publisherCountryCode: model.publisherCountryCode,
      purposeConsents: [...model.purposeConsents.values()].sort((a, b) => a - b),
      vendorConsents: [...model.vendorConsents.values()].sort((a, b) => a - b),
    },
  };
}
