"use client";

import { toast } from "@/components/ui/toast";
import { revokeApiKeyAction } from "@/lib/actions/api-keys";
import { ConfirmActionDialog } from "./confirm-action-dialog";

export function RevokeApiKeyDialog({ apiKey }: { apiKey: { id: string; name: string; prefix: string } }) {
  return (
    <ConfirmActionDialog
      trigger={{ label: "Revoke", ariaLabel: `Revoke ${apiKey.name}` }}
      title={`Revoke "${apiKey.name}"?`}
      description={`Every request with the key ${apiKey.prefix}… is refused (401) from now on. This cannot be undone: the client needs a new key.`}
      field={{ name: "keyId", value: apiKey.id }}
      action={revokeApiKeyAction}
      confirm={{ label: "Revoke key", pendingLabel: "Revoking…" }}
      onSuccess={(revoked) => {
        if (revoked.changed) toast({ title: "API key revoked", description: `"${revoked.name}" is refused from now on.`, tone: "success" });
      }}
    />
  );
}
