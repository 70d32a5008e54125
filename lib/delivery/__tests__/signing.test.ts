import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateSigningSecret, secretKey, secretsInEffect, signatureHeaders, verifies } from "../signing.ts";

// Checked against the standardwebhooks package: an implementation we did not write.

describe("Standard Webhooks signatures", () => {
  const body = JSON.stringify({ type: "integration.test", timestamp: "2026-12-01T12:00:00.000Z", data: { ok: true } });
  const now = Math.floor(Date.now() / 1000);

  it("makes secrets of 32 random bytes in the whsec_ form", () => {
    const a = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(secretKey(a)).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(a);
  });

  it("signs so that the standardwebhooks package verifies it", () => {
    const secret = generateSigningSecret();
    const headers = signatureHeaders({ id: "msg_1", timestamp: now, body, secrets: [secret] });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(verifies(secret, "msg_1", now, body, headers["webhook-signature"])).toBe(true);
  });

  it("signs with both secrets during a rotation, each verifying on its own", () => {
    const [current, previous] = [generateSigningSecret(), generateSigningSecret()];
    const headers = signatureHeaders({ id: "msg_2", timestamp: now, body, secrets: [current, previous] });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(generateSigningSecret()).verify(body, headers)).toThrow();
  });

  it("fails verification when the body, id or timestamp changes", () => {
    const secret = generateSigningSecret();
    const headers = signatureHeaders({ id: "msg_3", timestamp: now, body, secrets: [secret] });
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, "webhook-id": "msg_4" })).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, "webhook-timestamp": String(now + 1) })).toThrow();
  });

  it("refuses a secret that is not whsec_ base64 of at least 24 bytes", () => {
    expect(() => secretKey("whsec_" + Buffer.alloc(16).toString("base64"))).toThrow();
    expect(() => secretKey("sk_" + Buffer.alloc(32).toString("base64"))).toThrow();
    expect(() => secretKey("whsec_not*base64")).toThrow();
  });

  it("keeps the previous secret only until its overlap ends", () => {
    const integration = {
      signingSecret: "whsec_new",
      previousSecret: "whsec_old",
      previousSecretExpiresAt: new Date("2026-12-02T00:00:00Z"),
    };
    expect(secretsInEffect(integration, new Date("2026-12-01T23:59:59Z"))).toEqual(["whsec_new", "whsec_old"]);
    expect(secretsInEffect(integration, new Date("2026-12-02T00:00:00Z"))).toEqual(["whsec_new"]);
    expect(secretsInEffect({ ...integration, previousSecret: null }, new Date("2026-12-01T00:00:00Z"))).toEqual(["whsec_new"]);
  });
});
