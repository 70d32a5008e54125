"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toast";
import { revokeApiKeyAction } from "@/lib/actions/api-keys";
import { FormAlert } from "./form-alert";
import { useSettingsForm } from "./use-settings-form";

export function RevokeApiKeyDialog({ apiKey }: { apiKey: { id: string; name: string; prefix: string } }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm" aria-label={`Revoke ${apiKey.name}`}>
          Revoke
        </Button>
      </DialogTrigger>
      {open ? <RevokeContent apiKey={apiKey} onClose={() => setOpen(false)} /> : null}
    </Dialog>
  );
}

function RevokeContent({ apiKey, onClose }: { apiKey: { id: string; name: string; prefix: string }; onClose: () => void }) {
  const { pending, onSubmit, formError, fieldError } = useSettingsForm(revokeApiKeyAction, {
    onSuccess: (revoked) => {
      if (revoked.changed) toast({ title: "API key revoked", description: `"${revoked.name}" is refused from now on.`, tone: "success" });
      onClose();
    },
  });
  return (
    <DialogContent
      title={`Revoke "${apiKey.name}"?`}
      description={`Every request with the key ${apiKey.prefix}… is refused (401) from now on. This cannot be undone: the client needs a new key.`}
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <input type="hidden" name="keyId" value={apiKey.id} />
        <FormAlert message={formError ?? fieldError("keyId")} />
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button" variant="secondary" autoFocus>
              Cancel
            </Button>
          </DialogClose>
          <Button type="submit" variant="danger" pending={pending}>
            {pending ? "Revoking…" : "Revoke key"}
          </Button>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}
