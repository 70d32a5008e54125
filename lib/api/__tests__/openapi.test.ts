import { describe, expect, it } from "vitest";
import { PURPOSES } from "../../consent/purposes.ts";
import { openApiDocument } from "../openapi.ts";

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: unknown;
  items?: Schema;
  maxItems?: number;
  oneOf?: Schema[];
};
type Operation = { requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, unknown> };
const doc = openApiDocument("http://localhost:3000") as unknown as { openapi: string; paths: Record<string, Record<string, Operation>> };

describe("the OpenAPI document", () => {
  it("lists every API route with its methods", () => {
    expect(doc.openapi).toBe("3.0.3");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/audiences/{id}/send-preview",
      "/api/audit/export",
      "/api/customers/{id}",
      "/api/customers/{id}/consent-history",
      "/api/deletion-batches",
      "/api/deletion-batches/{id}",
      "/api/deletion-batches/{id}/approve",
      "/api/deletion-batches/{id}/reject",
      "/api/deletion-batches/{id}/result",
      "/api/deletion-requests",
      "/api/deletion-requests/{id}",
      "/api/deletion-requests/{id}/extension",
      "/api/deletion-requests/{id}/receipt",
      "/api/events",
      "/api/integrations",
      "/api/integrations/{id}",
      "/api/integrations/{id}/deliveries",
      "/api/integrations/{id}/retry-failed",
      "/api/integrations/{id}/rotate-secret",
      "/api/integrations/{id}/test",
      "/api/signals/{id}/retry",
      "/api/storefront/v1/customers/{id}",
      "/api/storefront/v1/customers/{id}/consent",
    ]);
    expect(
      Object.keys(doc.paths["/api/storefront/v1/customers/{id}/consent"]!)
        .filter((k) => k !== "parameters")
        .sort(),
    ).toEqual(["get", "patch"]);
  });

  it("describes the consent PATCH body from the zod schema: every purpose, nothing else", () => {
    const body = doc.paths["/api/storefront/v1/customers/{id}/consent"]!.patch!.requestBody!.content["application/json"]!.schema;
    const consent = body.properties!.consent!;
    expect(Object.keys(consent.properties!.purposes!.properties!).sort()).toEqual([...PURPOSES].sort());
    expect(consent.properties!.purposes!.additionalProperties).toBe(false);
    expect(consent.additionalProperties).toBe(false);
    expect(doc.paths["/api/storefront/v1/customers/{id}/consent"]!.patch!.responses).toHaveProperty("409");
  });

  it("describes the integration bodies from the zod schemas: purposes by name, vendor only when adding, overlap bounded", () => {
    const create = doc.paths["/api/integrations"]!.post!.requestBody!.content["application/json"]!.schema;
    expect(Object.keys(create.properties!).sort()).toEqual(["enabled", "endpoint_url", "name", "purposes", "vendor"]);
    expect(create.additionalProperties).toBe(false);
    expect((create.properties!.purposes!.items as Schema & { enum?: string[] }).enum).toEqual([...PURPOSES]);
    expect(doc.paths["/api/integrations"]!.post!.responses).toHaveProperty("409");
    const rotate = doc.paths["/api/integrations/{id}/rotate-secret"]!.post!.requestBody!.content["application/json"]!.schema;
    expect(rotate.properties!.overlap_hours).toMatchObject({ minimum: 0, maximum: 168, default: 24 });
    expect(Object.keys(doc.paths["/api/integrations"]!).sort()).toEqual(["get", "post"]);
  });

  it("describes the events body as one event or a batch of at most 1,000", () => {
    const [single, batch] = doc.paths["/api/events"]!.post!.requestBody!.content["application/json"]!.schema.oneOf!;
    expect(single!.properties).toHaveProperty("customer_id");
    expect(batch!.properties!.events!.maxItems).toBe(1000);
  });

  it("describes the delivery routes: the log's filters, and the retries' refusals", () => {
    const log = doc.paths["/api/integrations/{id}/deliveries"]!.get! as Operation & { parameters: Array<{ name: string }> };
    expect(log.parameters.map((p) => p.name).sort()).toEqual(["after", "before", "from", "kind", "limit", "status", "to"]);
    expect(Object.keys(doc.paths["/api/signals/{id}/retry"]!.post!.responses)).toEqual(
      expect.arrayContaining(["200", "403", "404", "409"]),
    );
    expect(doc.paths["/api/integrations/{id}/retry-failed"]!.post!.responses).toHaveProperty("409");
  });

  it("names the 410 customer_erased answer on the consent API and event ingestion", () => {
    const consent = doc.paths["/api/storefront/v1/customers/{id}/consent"]!;
    for (const op of [consent.get!, consent.patch!, doc.paths["/api/events"]!.post!]) expect(op.responses).toHaveProperty("410");
  });

  it("describes the deletion intake: an optional strict body from the zod schema, 202 new and 200 again", () => {
    for (const path of ["/api/customers/{id}", "/api/storefront/v1/customers/{id}"]) {
      const op = doc.paths[path]!.delete! as Operation & { requestBody: { required: boolean } };
      expect(op.requestBody.required).toBe(false);
      const body = op.requestBody.content["application/json"]!.schema;
      expect(Object.keys(body.properties!).sort()).toEqual(["reason", "regime"]);
      expect(body.additionalProperties).toBe(false);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "202", "401", "403", "404", "422"]));
    }
  });

  it("describes the deletion request routes: the list's filters, the extension's body from its schema, and its refusals", () => {
    const list = doc.paths["/api/deletion-requests"]!.get! as Operation & { parameters: Array<{ name: string }> };
    expect(list.parameters.map((p) => p.name).sort()).toEqual([
      "after",
      "before",
      "deadline",
      "from",
      "limit",
      "regime",
      "source",
      "status",
      "to",
    ]);
    const extend = doc.paths["/api/deletion-requests/{id}/extension"]!.post!;
    const body = extend.requestBody!.content["application/json"]!.schema;
    expect(Object.keys(body.properties!).sort()).toEqual(["extension", "reason"]);
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(extend.responses)).toEqual(expect.arrayContaining(["200", "403", "404", "409", "422"]));
    expect(doc.paths["/api/deletion-requests/{id}/receipt"]!.get!.responses).toHaveProperty("404");
  });

  it("describes the bulk deletion upload: a CSV body or a JSON envelope from the zod schema, and its refusals", () => {
    const post = doc.paths["/api/deletion-batches"]!.post!;
    expect(Object.keys(post.requestBody!.content).sort()).toEqual(["application/json", "text/csv"]);
    const envelope = post.requestBody!.content["application/json"]!.schema;
    expect(Object.keys(envelope.properties!).sort()).toEqual(["csv", "file_name", "reason", "regime"]);
    expect(envelope.additionalProperties).toBe(false);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(["201", "413", "415", "422"]));
    expect(doc.paths["/api/deletion-batches/{id}/approve"]!.post!.responses).toHaveProperty("409");
  });
});
