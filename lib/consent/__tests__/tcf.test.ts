import { describe, expect, it } from "vitest";
import { decodeTcString } from "../tcf.ts";

describe("decodeTcString", () => {
  it("decodes a TCF v2 TC string", () => {
    const result = decodeTcString("CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA", "2.2");
    expect(result).toMatchObject({
      ok: true,
      tcf: { version: "2.2", cmpId: 31, tcfPolicyVersion: 2, created: expect.stringMatching(/^2022-/) },
    });
  });

  it.each([
    ["empty", ""],
    ["not base64url", "not a tc string!"],
    ["truncated", "CPXxRfAPXxRfAAfKABENB"],
    ["too short to hold a core segment", "AAAA"],
    ["a TCF v1 consent string", "BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA"],
  ])("refuses %s, in its own words", (_name, value) => {
    const result = decodeTcString(value);
    expect(result.ok).toBe(false);
    // Never the library's exception text ("Cannot read properties of undefined (reading 'core')").
    expect(result.ok ? "" : result.message).not.toMatch(/Cannot read|undefined|properties/);
  });

  it("refuses a v2 string the client calls another version", () => {
    expect(decodeTcString("CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA", "1.1")).toMatchObject({ ok: false });
  });
});
