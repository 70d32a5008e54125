import "server-only";
import { cache } from "react";
import { getSendPreview } from "@/lib/audiences/send-preview";

/** Once per request: the summary cards and the member list's filter both read it. */
export const getSendPreviewOnce = cache(getSendPreview);
