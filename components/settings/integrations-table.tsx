import { CircleCheck, CirclePause, CircleX, Webhook } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { PURPOSE_INFO } from "@/lib/consent/purposes";
import { formatDateTime } from "@/lib/format";
import type { IntegrationStatus, IntegrationView } from "@/lib/integrations/manage";
import { PauseResumeDialog, RotateSecretDialog, TestSignalDialog } from "./integration-actions";
import { EditIntegrationDialog } from "./integration-form-dialogs";

/** Connected, paused or disabled, in a word and an icon: colour only reinforces it. */
export function IntegrationStatusBadge({ status }: { status: IntegrationStatus }) {
  if (status === "connected")
    return (
      <Badge tone="success" icon={CircleCheck}>
        Connected
      </Badge>
    );
  if (status === "paused")
    return (
      <Badge tone="warning" icon={CirclePause}>
        Paused
      </Badge>
    );
  return (
    <Badge tone="danger" icon={CircleX}>
      Disabled
    </Badge>
  );
}

export function IntegrationsTable({ integrations }: { integrations: IntegrationView[] }) {
  if (integrations.length === 0) {
    return (
      <EmptyState
        icon={Webhook}
        titleAs="h3"
        title="No integrations yet"
        description="Add each tool that must hear about consent changes and deletions: it gets a signed request for every signal."
      />
    );
  }
  return (
    <Table label="Integrations">
      <THead>
        <tr>
          <TH>Name</TH>
          <TH>Vendor</TH>
          <TH>Endpoint</TH>
          <TH>Purposes</TH>
          <TH>Status</TH>
          <TH>
            <span className="sr-only">Actions</span>
          </TH>
        </tr>
      </THead>
      <TBody>
        {integrations.map((integration) => (
          <TR key={integration.id}>
            <TD className="font-medium">{integration.name}</TD>
            <TD className="font-mono text-xs">{integration.vendor}</TD>
            <TD className="max-w-72 min-w-48 font-mono text-xs [overflow-wrap:anywhere]">{integration.endpointUrl}</TD>
            <TD className="min-w-32 text-xs">
              {integration.purposes.length > 0 ? integration.purposes.map((p) => PURPOSE_INFO[p].label).join(", ") : "Vendor only"}
            </TD>
            <TD className="min-w-36">
              <div className="flex flex-col items-start gap-1 py-1">
                <IntegrationStatusBadge status={integration.status} />
                {integration.status === "disabled" && integration.disabledAt ? (
                  <span className="text-xs text-muted">
                    Endpoint answered 410 Gone,{" "}
                    <time dateTime={integration.disabledAt.toISOString()}>{formatDateTime(integration.disabledAt)}</time>
                  </span>
                ) : null}
                {integration.previousSecretValidUntil ? (
                  <span className="text-xs text-muted">
                    Old secret signs until{" "}
                    <time dateTime={integration.previousSecretValidUntil.toISOString()}>
                      {formatDateTime(integration.previousSecretValidUntil)}
                    </time>
                  </span>
                ) : null}
              </div>
            </TD>
            <TD>
              {/* Two rows of two on a narrow table rather than a column wider than the screen. */}
              <div className="ml-auto flex w-60 flex-wrap justify-end gap-1.5 py-1">
                <TestSignalDialog integration={integration} />
                <EditIntegrationDialog integration={integration} />
                <RotateSecretDialog integration={integration} />
                <PauseResumeDialog integration={integration} />
              </div>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
