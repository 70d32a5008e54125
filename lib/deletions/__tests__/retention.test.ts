import { describe, expect, it } from "vitest";
import { customerRetention, erasedColumns, RETENTION, tablePolicy } from "../retention.ts";

// What the erasure and the dialog read from the one declaration.

describe("erasedColumns", () => {
  it("lists each erased column with the value it is set to", () => {
    expect(erasedColumns("customers")).toEqual([
      { column: "external_id", sql: "NULL" },
      { column: "name", sql: "NULL" },
      { column: "name_search", sql: "NULL" },
      { column: "email", sql: "NULL" },
      { column: "phone", sql: "NULL" },
      { column: "push_token", sql: "NULL" },
      { column: "attributes", sql: "'{}'::jsonb" },
    ]);
    expect(erasedColumns("loyalty_events")).toEqual([
      { column: "event_id", sql: "NULL" },
      { column: "attributes", sql: "'{}'::jsonb" },
    ]);
    expect(erasedColumns("consent_changes")).toEqual([
      { column: "reason", sql: "NULL" },
      { column: "consent_string", sql: "NULL" },
    ]);
    expect(erasedColumns("customer_consents").map((c) => c.column)).toEqual(["consent_string", "tcf"]);
  });

  it("leaves out kept and anonymised columns, and gives nothing for a table it keeps whole", () => {
    // The payload is anonymised (the external id becomes the hash), never set to NULL by the generic SET list.
    expect(erasedColumns("integration_signals")).toEqual([]);
    expect(erasedColumns("audit_entries")).toEqual([]);
    expect(erasedColumns("audience_past_memberships")).toEqual([]);
  });

  it("refuses a table the policy does not name", () => {
    expect(() => erasedColumns("no_such_table")).toThrow("No retention policy for table no_such_table");
    expect(() => tablePolicy("customer")).toThrow(/customer$/);
  });
});

describe("customerRetention", () => {
  const shown = customerRetention();

  it("shows the tables that hold customer data, in the policy's order, and no other", () => {
    expect(shown.map((t) => t.table)).toEqual(RETENTION.filter((t) => t.customerData).map((t) => t.table));
    expect(shown.map((t) => t.table)).toEqual(
      expect.arrayContaining(["customers", "consent_changes", "loyalty_events", "integration_signals", "customer_tombstones"]),
    );
    for (const staff of ["users", "sessions", "api_keys", "audit_entries", "_prisma_migrations"])
      expect(shown.map((t) => t.table)).not.toContain(staff);
  });

  it("gives every field its action and a reason, and keeps the consent history's proof with its legal basis", () => {
    for (const table of shown) {
      expect(table.label.length, table.table).toBeGreaterThan(0);
      expect(table.rows.length, table.table).toBeGreaterThan(0);
      for (const field of table.fields) {
        expect(["erase", "anonymise", "keep"], `${table.table}.${field.column}`).toContain(field.action);
        expect(field.why.length, `${table.table}.${field.column}`).toBeGreaterThan(10);
      }
    }
    const history = shown.find((t) => t.table === "consent_changes")!;
    expect(history.fields.find((f) => f.column === "after")).toMatchObject({ action: "keep", why: expect.stringContaining("Art. 7(1)") });
    expect(history.fields.find((f) => f.column === "reason")).toMatchObject({ action: "erase", to: "null" });
    const signals = shown.find((t) => t.table === "integration_signals")!;
    expect(signals.fields.find((f) => f.column === "payload")).toMatchObject({ action: "anonymise", how: expect.stringContaining("hash") });
  });

  it("erases every direct identifier of the profile", () => {
    const profile = shown.find((t) => t.table === "customers")!;
    const erased = profile.fields.filter((f) => f.action === "erase").map((f) => f.column);
    expect(erased).toEqual(expect.arrayContaining(["external_id", "name", "name_search", "email", "phone", "push_token", "attributes"]));
    expect(profile.fields.filter((f) => f.action !== "erase")).toEqual([]);
  });
});
