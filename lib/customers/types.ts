import type { ConsentState } from "../consent/model.ts";

export interface DirectoryCustomer {
  id: string;
  externalId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  createdAt: Date;
  consent: ConsentState;
}

export interface DirectoryPage {
  customers: DirectoryCustomer[];
  /** Cursor for the page after this one, when there is one. */
  next: string | undefined;
  /** Cursor for the page before this one, when there is one. */
  previous: string | undefined;
  /** What the search ran on, for the page to say so. */
  search: { field: "email" | "name" | "phone" | "external_id"; term: string } | undefined;
}
