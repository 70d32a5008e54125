import { describe, expect, it } from "vitest";
import { parseSendPreviewPageParams, parseSendPreviewRequest } from "../../validations/audiences.ts";
import { REPEATED_PARAM_MESSAGE } from "../../validations/search-params.ts";

const AUDIENCE = "ef8211b4-5e2b-5a1e-258e-64e77f7d5b1a";

describe("parseSendPreviewPageParams", () => {
  it("reads the page's URL state, a repeated key refused by name and empty ones absent", () => {
    expect(parseSendPreviewPageParams({ audience: [AUDIENCE, "x"], channel: "push" })).toEqual({
      params: { channel: "push" },
      errors: [{ field: "audience", message: REPEATED_PARAM_MESSAGE }],
    });
    expect(
      parseSendPreviewPageParams({ audience: [AUDIENCE], channel: "push", status: "no_contact", after: AUDIENCE, before: "" }),
    ).toEqual({
      params: { audience: AUDIENCE, channel: "push", status: "no_contact", after: AUDIENCE, before: undefined },
      errors: [],
    });
    expect(parseSendPreviewPageParams({})).toEqual({ params: {}, errors: [] });
  });

  it("names each bad parameter and keeps the good ones", () => {
    const { params, errors } = parseSendPreviewPageParams({
      audience: "not-an-id",
      channel: "sms",
      status: "maybe",
      after: "1",
      before: AUDIENCE,
    });
    expect(errors.map((e) => e.field).sort()).toEqual(["after", "audience", "channel", "status"]);
    expect(errors.find((e) => e.field === "channel")?.message).toBe('must be "email" or "push"');
    expect(params).toEqual({ audience: undefined, channel: undefined, status: undefined, after: undefined, before: AUDIENCE });
  });
});

describe("parseSendPreviewRequest", () => {
  it("takes an audience id and a channel", () => {
    expect(parseSendPreviewRequest({ id: AUDIENCE, channel: "email" })).toEqual({ ok: true, data: { id: AUDIENCE, channel: "email" } });
  });

  it.each([
    [{ id: AUDIENCE, channel: null }, { channel: 'is required: "email" or "push"' }],
    [{ id: AUDIENCE, channel: "" }, { channel: 'is required: "email" or "push"' }],
    [{ id: AUDIENCE, channel: "Email" }, { channel: 'must be "email" or "push"' }],
    [{ id: "42", channel: "push" }, { id: "must be an audience id" }],
    [{ id: AUDIENCE, channel: ["email", "push"] }, { channel: REPEATED_PARAM_MESSAGE }],
  ])("refuses %j naming the field", (input, fields) => {
    const result = parseSendPreviewRequest(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.fromEntries(result.errors.map((e) => [e.field, e.message]))).toEqual(fields);
  });
});
