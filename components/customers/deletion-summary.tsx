import { Badge } from "@/components/ui/badge";
import type { DeletionPreview } from "@/lib/deletions/preview";
import { plural } from "@/lib/format";

function Names({ names, count }: { names: readonly string[]; count: number }) {
  const more = count - names.length;
  return (
    <span className="text-fg">
      {names.join(", ")}
      {more > 0 ? `, and ${plural(more, "more", "more")}` : ""}
    </span>
  );
}

/** The first part of the delete dialog: who the customer leaves and who is told, counted and named. */
export function DeletionSummary({ preview }: { preview: DeletionPreview }) {
  const { audiences, journeys, integrations } = preview;
  const paused = integrations.filter((i) => i.paused);
  return (
    <section aria-labelledby="deletion-summary-heading" className="flex flex-col gap-2">
      <h3 id="deletion-summary-heading" className="text-sm font-semibold text-fg">
        What will happen
      </h3>
      <ul className="flex flex-col gap-2 text-sm text-muted" aria-labelledby="deletion-summary-heading">
        <li>
          {audiences.count === 0 ? (
            "In no audience: no membership to end."
          ) : (
            <>
              Leaves {plural(audiences.count, "audience")}: <Names {...audiences} />.
            </>
          )}
        </li>
        <li>
          {journeys.count === 0 ? (
            "In no active journey: no enrolment to end."
          ) : (
            <>
              Ends {plural(journeys.count, "active journey enrolment")}: <Names {...journeys} />.
            </>
          )}
        </li>
        <li>
          {integrations.length === 0 ? (
            "No integration is connected: nobody else needs telling."
          ) : (
            <>
              Tells {plural(integrations.length, "integration")} to delete the person too:
              <ul className="mt-1 flex flex-wrap gap-1.5" aria-label="Integrations to notify">
                {integrations.map((i) => (
                  <li key={i.id} className="flex items-center gap-1 rounded-md border border-border px-2 py-0.5 text-fg">
                    {i.name}
                    {i.paused ? <Badge tone="warning">Paused: told once resumed</Badge> : null}
                  </li>
                ))}
              </ul>
              {paused.length > 0 ? (
                <span className="mt-1 block text-xs">
                  A paused integration&apos;s delete signal waits in its queue and goes out when it is resumed.
                </span>
              ) : null}
            </>
          )}
        </li>
        <li>
          Erases the name, email, phone, push token, external id and free-text attributes everywhere they are stored. This cannot be undone.
        </li>
      </ul>
    </section>
  );
}
