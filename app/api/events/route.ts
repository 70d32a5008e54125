import { apiError, customerErased, readJsonBody, requireApiActor, route } from "@/lib/api/http";
import { ingestEvents, UnknownCustomersError, type IngestedEvent } from "@/lib/events/ingest";
import { MAX_BODY_BYTES, parseEventsBody } from "@/lib/validations/events";

// Events are data-plane writes: no audit entry per event (see lib/events/ingest.ts).

function summary(events: IngestedEvent[]) {
  const count = (status: IngestedEvent["status"]) => events.filter((e) => e.status === status).length;
  return {
    events,
    processed: count("processed"),
    partially_withheld: count("partially_withheld"),
    withheld: count("withheld"),
    duplicates: events.filter((e) => e.duplicate).length,
  };
}

/** POST /api/events: one event, or {"events": [...]} with up to 1,000, stored atomically. */
export const POST = route(async function POST(request: Request): Promise<Response> {
  const actor = await requireApiActor(request, "events:write");
  if (actor instanceof Response) return actor;

  const body = await readJsonBody(request, MAX_BODY_BYTES);
  if (!body.ok) return body.response;

  const parsed = parseEventsBody(body.value);
  if (!parsed.ok) return apiError(parsed.status, parsed.code, parsed.message, parsed.fields);

  try {
    const events = await ingestEvents(parsed.events);
    return Response.json({ data: summary(events) }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (!(error instanceof UnknownCustomersError)) throw error;
    const field = (i: number) => (parsed.single ? "customer_id" : `events[${i}].customer_id`);
    const erased = new Set(error.erased);
    const fields = Object.fromEntries(
      error.indexes.map((i) => [field(i), erased.has(i) ? "This customer was erased" : "No customer with this id"]),
    );
    if (erased.size > 0) return customerErased(fields);
    return apiError(422, "unknown_customer", `Unknown customers: ${Object.keys(fields).join(", ")}. Nothing was stored.`, fields);
  }
});
