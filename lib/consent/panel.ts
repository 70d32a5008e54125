import type { Purpose } from "./purposes.ts";
import type { ConsentRecord } from "./record.ts";

/** A consent record as the dashboard's client components hold it (plain JSON). */
export interface PanelConsent {
  customerId: string;
  recorded: boolean;
  version: number;
  purposes: Record<Purpose, boolean | null>;
  vendors: Record<string, boolean>;
  updatedAt: string | null;
}

export function toPanelConsent(record: ConsentRecord): PanelConsent {
  return {
    customerId: record.customerId,
    recorded: record.recorded,
    version: record.version,
    purposes: record.purposes,
    vendors: record.vendors,
    updatedAt: record.updatedAt?.toISOString() ?? null,
  };
}

/** What a saved change did, for the toast. */
export interface SavedConsent {
  consent: PanelConsent;
  /** false when the save changed nothing. */
  changed: boolean;
  emailCleared: number;
  emailRestored: number;
  pushCleared: number;
  pushRestored: number;
  notified: string[];
}
